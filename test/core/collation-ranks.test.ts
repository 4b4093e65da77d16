/**
 * Issue 14 item 4: `collationRanks` lets a sort compare numbers instead of calling the
 * collator per comparison. The order must be exactly the collator's: a fast-check property
 * sorts the same items both ways (strings the collator holds equal, such as NFC "é" and NFD
 * "e\u0301", or "A2" and "A02" numerically, must keep their input order in both).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { collationRanks } from "../../src/core/text.ts";

const PIECES = ["A", "a", "B", "2", "02", "10", "é", "e\u0301", "-", "_", "@", "Đ", "đ", "so-tu-phap", "Sở", " "];
const strings = fc.array(fc.constantFrom(...PIECES), { minLength: 0, maxLength: 4 }).map((p) => p.join(""));
const COLLATORS: [string, Intl.Collator][] = [
  ["numeric (codes)", new Intl.Collator("en", { numeric: true })],
  ["default (agency ids, keys)", new Intl.Collator()],
  ["vi (names)", new Intl.Collator("vi")],
];

describe("collationRanks", () => {
  for (const [name, collator] of COLLATORS) {
    it(`sorting by rank gives the collator's order: ${name}`, () => {
      fc.assert(
        fc.property(fc.array(strings, { maxLength: 60 }), (values) => {
          const items = values.map((value, index) => ({ value, index }));
          const ranks = collationRanks(
            collator,
            items.map((i) => i.value),
          );
          const byRank = [...items].sort((a, b) => ranks.get(a.value)! - ranks.get(b.value)!);
          const byCollator = [...items].sort((a, b) => collator.compare(a.value, b.value));
          expect(byRank).toEqual(byCollator);
        }),
        { numRuns: 500 },
      );
    });
  }

  it("strings the collator holds equal share a rank", () => {
    const ranks = collationRanks(new Intl.Collator("en", { numeric: true }), ["A2", "A02", "A10", "é", "e\u0301"]);
    expect(ranks.get("A2")).toBe(ranks.get("A02"));
    expect(ranks.get("A10")).toBeGreaterThan(ranks.get("A2")!);
    expect(ranks.get("é")).toBe(ranks.get("e\u0301"));
  });
});
