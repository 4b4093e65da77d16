/**
 * Property tests (fast-check) of the evidence parser (issue 13, item 15): it never throws on
 * any string, and whatever it returns is what is stored and what the reply says — the reply
 * names the number and date exactly when they are stored, quotes the text when no number was
 * recognised, and says "Chưa có" only when nothing is stored. `/xong` through the use case
 * too: a refused reading changes nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDirectory } from "../../src/core/agencies.ts";
import { toVnDay } from "../../src/core/calendar.ts";
import { evidenceLine, parseEvidence, plainText } from "../../src/core/progress.ts";
import { viDate } from "../../src/core/text.ts";
import type { Caller } from "../../src/domain/access.ts";
import { reportDone, resolveTarget } from "../../src/domain/assignments.ts";
import { Refusal } from "../../src/domain/context.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { agencies, assignment, at, dated, task } from "../reminders/fixtures.ts";

const NOW = at("2021-03-31", "09:00");
const TODAY = toVnDay(NOW);

/** Pieces evidence is made of, markup and traps included, glued at random; and any string at all. */
const PIECES = [
  "189/KH-UBND",
  "12/2021/QĐ-UBND",
  "30c/NQ-CP",
  "1/KH",
  "12/qđ-ubnd",
  "<b>",
  "</b>",
  "<i>1</i>",
  "&amp;",
  "&#65;",
  "&#0;",
  "*",
  "_",
  "`",
  "~",
  " ",
  "\n",
  "-",
  "/",
  "ngày ",
  "ngay ",
  "Ngày ",
  "30/12/2020",
  "31/02/2021",
  "01/01/2030",
  "31/12/1999",
  "5.1.2021",
  "5 tháng 3 năm 2021",
  " tháng ",
  " năm ",
  "Quyết định số ",
  "kèm phụ lục",
  "e\u0301",
  "\u202e",
  "😀",
];
const evidenceText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((parts) => parts.join("")),
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 })), { maxLength: 10 }).map((parts) => parts.join("")),
);

describe("parseEvidence (property)", () => {
  it("never throws; a reading is what the reply says, and reading the stored text again gives the same", () => {
    fc.assert(
      fc.property(evidenceText, (text) => {
        const reading = parseEvidence(text, NOW);
        if (!reading.ok) {
          expect(reading.problem).toMatch(/^Ngày văn bản .*Không có gì thay đổi/);
          return;
        }
        expect(reading.text).toBe(plainText(text));
        expect(reading.text).not.toMatch(/<\/?[a-zA-Z][^<>]*>/);
        const stored = reading.text
          ? { documentNumber: reading.documentNumber, documentDate: reading.documentDate, text: reading.text }
          : null;
        const line = evidenceLine(stored);
        if (reading.documentNumber) {
          expect(reading.text).toContain(reading.documentNumber);
          expect(line.startsWith(`Văn bản kiểm chứng: ${reading.documentNumber}`)).toBe(true);
        } else {
          expect(line).not.toContain("Văn bản kiểm chứng:");
        }
        if (reading.documentDate) {
          expect(reading.documentDate <= TODAY && reading.documentDate >= "2000-01-01").toBe(true);
          expect(line).toContain(viDate(reading.documentDate));
        }
        if (reading.text && !reading.documentNumber) expect(line).toContain(`«${reading.text}»`);
        expect(line === "Chưa có văn bản kiểm chứng.").toBe(reading.text === "");
        // One parse: what is stored reads back the same.
        const again = parseEvidence(reading.text, NOW);
        expect(again).toEqual(reading);
      }),
      // Found by this property once: one layer of markup removed made another.
      { numRuns: 2000, examples: [["<_A>"], ["&lt;b&gt;1&lt;/b&gt;/KH"], ["&amp;lt;i&amp;gt;"]] },
    );
  });

  it("/xong through the use case: stored evidence is the reading; a refused reading changes nothing", async () => {
    const directory = createDirectory(agencies);
    const officer: Caller = {
      chatId: "tg:-1",
      chatKind: "group",
      chatAgencyId: "so-tu-phap",
      isCoordinatorChat: false,
      userId: "tg:7",
      userName: "Cán bộ",
      isAdmin: false,
      isManager: false,
    };
    await fc.assert(
      fc.asyncProperty(evidenceText, async (text) => {
        const store = createMemoryStore({
          ...emptyStoreData(),
          tasks: [task("A1", dated("2021-06-30"))],
          assignments: [assignment("A1", "so-tu-phap")],
        });
        const deps = { store, directory, now: NOW };
        const before = store.read();
        const reading = parseEvidence(text, NOW);
        try {
          const result = await reportDone(deps, officer, resolveTarget(deps, officer, "A1"), text, `/xong A1 ${text}`);
          expect(reading.ok).toBe(true);
          const kept = store.read().assignments[0].evidence;
          if (!reading.ok) return;
          if (reading.text === "") expect(kept).toEqual([]);
          else {
            expect(kept).toEqual([
              {
                documentNumber: reading.documentNumber,
                documentDate: reading.documentDate,
                text: reading.text,
                at: NOW.toISOString(),
                by: "tg:7",
              },
            ]);
          }
          expect(evidenceLine(result.evidence)).toBe(evidenceLine(kept[0] ?? null));
        } catch (error) {
          expect(error).toBeInstanceOf(Refusal);
          expect(reading.ok).toBe(false);
          expect(store.read()).toBe(before);
        }
      }),
      { numRuns: 300 },
    );
  });
});
