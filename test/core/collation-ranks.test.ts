/**
 * Issue 14 item 4: `collationRanks` lets a sort compare numbers instead of calling the
 * collator per comparison. The order must be exactly the collator's: a fast-check property
 * sorts the same items both ways (strings the collator holds equal, such as NFC "é" and NFD
 * "e\u0301", or "A2" and "A02" numerically, must keep their input order in both).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CODE_COLLATOR, codeRanks, collationRanks } from "../../src/core/text.ts";

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

describe("codeRanks: task codes ranked without the collator when they are plain", () => {
  const letters = fc
    .array(fc.constantFrom("A", "B", "C", "Z", "AB", "BA"), { minLength: 1, maxLength: 3 })
    .map((p) => p.join("").slice(0, 6));
  const plain = fc
    .tuple(letters, fc.oneof(fc.integer({ min: 1, max: 120 }), fc.integer({ min: 1, max: 9_999_999_999 })))
    .map(([l, n]) => `${l}${n}`);
  const odd = fc.constantFrom("A02", "a1", "A1.2", "A", "12", "Ă3", "A-1", "A1b", "");

  const check = (values: string[]) => {
    const items = values.map((value, index) => ({ value, index }));
    const ranks = codeRanks(values);
    const byRank = [...items].sort((a, b) => ranks.get(a.value)! - ranks.get(b.value)!);
    const byCollator = [...items].sort((a, b) => CODE_COLLATOR.compare(a.value, b.value));
    expect(byRank).toEqual(byCollator);
  };

  it("plain codes (A12, AB3, Z9999999999): the collator's order", () => {
    fc.assert(fc.property(fc.array(plain, { maxLength: 80 }), check), { numRuns: 1_000 });
  });

  it("with any code that is not plain (A02, a1, Ă3…): the collator's order too", () => {
    fc.assert(fc.property(fc.array(fc.oneof(plain, odd), { maxLength: 40 }), check), { numRuns: 500 });
  });
});
