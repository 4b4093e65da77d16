import { it } from "vitest";
import { kienGiang, calendar } from "./fixtures.ts";
import { computeDigest, digestJson, periodOf } from "../../src/digest/figures.ts";
import { summaryText, detailText } from "../../src/digest/text.ts";
it("print", async () => {
  const s = await kienGiang();
  for (const [p, at, ev] of [["quy 2", "2021-06-30", true], ["quy 2", "2021-06-30", false], ["quy 1", "2021-03-31", true], ["nam", "2021-06-30", true]] as const) {
    const d = computeDigest(s.input(ev), periodOf(p, 2021), at, calendar);
    console.log(p, at, ev, JSON.stringify(d.totals), d.rows.map((r) => `${r.task.code}:${r.state}`).join(" "));
    if (p === "quy 2" && ev) { console.log(JSON.stringify(digestJson(d))); console.log(summaryText(d, { more: "/tongket q2/2021 chitiet" })); console.log(detailText(d)); }
  }
});
