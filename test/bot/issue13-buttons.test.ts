/**
 * Issue 13 (items 10 and 12), property-tested with fast-check: every assignment button fits
 * Telegram's 64-byte callback data whatever the task code and agency id, and its payload
 * resolves back to the same share and milestone.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignmentButtons, CALLBACK_LIMIT, parseCallback, parseDonePayload } from "../../src/bot/buttons.ts";
import { createDirectory } from "../../src/core/agencies.ts";
import { Agency } from "../../src/core/schemas.ts";
import type { Caller } from "../../src/domain/access.ts";
import { resolveTarget } from "../../src/domain/assignments.ts";
import { createMemoryStore } from "../../src/store/memory.ts";
import { emptyStoreData } from "../../src/store/types.ts";
import { agencies, assignment, dated, task } from "../reminders/fixtures.ts";

const code = fc.stringMatching(/^[A-Z][A-Z0-9.-]{0,9}$/);
const agencyId = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,99}$/);
const day = fc
  .date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("assignment buttons (property)", () => {
  it("all four buttons exist, each ≤ 64 bytes, and resolve to the share and milestone they were made for", () => {
    fc.assert(
      fc.property(code, agencyId, agencyId, day, (taskCode, id, otherId, due) => {
        fc.pre(id !== otherId);
        const buttons = assignmentButtons(taskCode, id, { conditional: true, done: { id: due, label: "(hạn …)" } });
        expect(buttons).toHaveLength(4);
        for (const b of buttons) expect(Buffer.byteLength(b.data)).toBeLessThanOrEqual(CALLBACK_LIMIT);
        // The same task shared with another agency: the payload still names the right one.
        const store = createMemoryStore({
          ...emptyStoreData(),
          tasks: [task(taskCode, dated(due))],
          assignments: [assignment(taskCode, id), assignment(taskCode, otherId)],
          extraAgencies: [Agency.parse({ id, name: `Cơ quan ${id}` }), Agency.parse({ id: otherId, name: `Cơ quan ${otherId}` })],
        });
        const directory = createDirectory([...agencies, ...store.read().extraAgencies]);
        const caller: Caller = {
          chatId: "tg:-1",
          chatKind: "group",
          chatAgencyId: "so-noi-vu",
          isCoordinatorChat: true,
          userId: "tg:7",
          userName: "x",
          isAdmin: false,
          isManager: false,
        };
        const { payload } = parseCallback(buttons[0].data);
        const { key, milestone } = parseDonePayload(payload);
        expect(milestone).toBe(due);
        expect(resolveTarget({ store, directory }, caller, key).assignment.id).toBe(`${taskCode}@${id}`);
      }),
      { numRuns: 300 },
    );
  });
});
