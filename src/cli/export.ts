/**
 * npm run export -- [--plan <plan id>] [--out plan.json]
 *
 * Writes a plan of the registry in DATA_DIR (its current tasks, admins' edits included) in
 * dondoc's own JSON format; `npm run import -- plan.json` loads it elsewhere with the same
 * codes. Without --plan: the only active plan, or the list to choose from.
 */
import { writeFile } from "node:fs/promises";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { exportRegistry } from "../import/export.ts";
import { fail, fileErrorText, readCli, unexpected, userPath } from "./args.ts";
import { openForReading } from "./open.ts";

const USAGE = "Cách dùng: npm run export -- [--plan <mã kế hoạch>] [--out kehoach.json]";

async function main(): Promise<void> {
  const { flags } = readCli(process.argv.slice(2), { usage: USAGE, flags: { plan: { type: "string" }, out: { type: "string" } } });
  const runtime = await openForReading(loadConfig(), createLogger("warn"));
  const data = runtime.store.read();
  await runtime.store.close();
  const active = data.plans.filter((p) => p.active);
  const plan = flags.plan ? data.plans.find((p) => p.id === flags.plan) : active.length === 1 ? active[0] : undefined;
  if (!plan) {
    const list = data.plans.map((p) => `  ${p.id} — ${p.title} (${p.number ?? "không số"})`).join("\n");
    fail(list ? `Chọn kế hoạch bằng --plan:\n${list}` : "Chưa có kế hoạch nào trong dữ liệu (DATA_DIR).");
  }
  const json = `${JSON.stringify(exportRegistry(plan, data.tasks), null, 2)}\n`;
  if (flags.out) {
    await writeFile(userPath(flags.out), json).catch((error: unknown) =>
      fail(fileErrorText(error, flags.out!, true) ?? `Không ghi được «${flags.out}».`),
    );
    process.stderr.write(`Đã ghi ${flags.out}\n`);
  } else process.stdout.write(json);
}

main().catch((error: unknown) => fail(unexpected(error)));
