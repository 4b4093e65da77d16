/**
 * npm run digest -- [--at 2021-06-30] [--from D --to D | --period "quy 2"] [--agency ID] [--area AREA]
 *                   [--json | --xlsx out.xlsx | --png out.png] [--detail]
 *
 * Prints (or writes) the same figures the bot's /tongket, /xuatbaocao and /bieudo give,
 * from the store in DATA_DIR: the state as of the end of --at (Vietnam day; default
 * today) over the period --from…--to (default: the quarter --at is in). Without an output
 * flag it prints the summary (and with --detail the detail). Writes nothing to the store;
 * works while the bot is running (it then reads a snapshot of the store and audit trail).
 */
import { writeFile } from "node:fs/promises";
import { z } from "zod";
import { loadConfig } from "../config.ts";
import { isValidDay, toVnDay } from "../core/calendar.ts";
import { createLogger } from "../logger.ts";
import { digestChart } from "../digest/chart.ts";
import { computeDigest, digestJson, periodFromSpec, periodOf, PeriodError, quarterPeriod, type Period } from "../digest/figures.ts";
import { checkYears, digestInput, parseArea } from "../digest/request.ts";
import { Refusal } from "../domain/context.ts";
import { detailText, summaryText } from "../digest/text.ts";
import { digestWorkbook } from "../digest/xlsx.ts";
import { fail, fileErrorText, readCli, unexpected, userPath } from "./args.ts";
import { openForReading } from "./open.ts";

const Day = z.string().refine(isValidDay, "cần một ngày có thật, dạng YYYY-MM-DD");

const USAGE =
  'Cách dùng: npm run digest -- [--at 2021-06-30] [--from 2021-04-01 --to 2021-06-30 | --period "quy 2"] [--agency so-tu-phap] [--area the-che] [--json | --xlsx out.xlsx | --png out.png] [--detail]';

/** Write `data` to the path the user typed (from the folder they ran npm in); a file-system error in Vietnamese. */
async function writeOut(typed: string, data: Buffer): Promise<string> {
  const out = userPath(typed);
  await writeFile(out, data).catch((error: unknown) => fail(fileErrorText(error, typed, true) ?? `Không ghi được «${typed}».`));
  return out;
}

async function main(): Promise<void> {
  const { flags: options } = readCli(process.argv.slice(2), {
    usage: USAGE,
    flags: {
      at: { type: "string", check: Day },
      from: { type: "string", check: Day },
      to: { type: "string", check: Day },
      period: { type: "string" },
      agency: { type: "string" },
      area: { type: "string" },
      json: { type: "boolean" },
      xlsx: { type: "string" },
      png: { type: "string" },
      detail: { type: "boolean" },
    },
    rules: (f) =>
      (f.from === undefined) !== (f.to === undefined)
        ? "--from và --to đi cùng nhau."
        : f.from && f.period
          ? "Dùng --from/--to hoặc --period, không cả hai."
          : null,
  });
  const at = options.at ?? toVnDay(new Date());
  let period: Period;
  try {
    if (options.from && options.to) period = periodFromSpec({ kind: "range", from: options.from, to: options.to });
    else if (options.period) {
      checkYears(options.period.trim().split(/\s+/));
      period = periodOf(options.period, Number(at.slice(0, 4)));
    } else period = quarterPeriod(at);
  } catch (error) {
    if (error instanceof PeriodError || error instanceof Refusal) fail(`${options.period ? "--period: " : ""}${error.message}\n${USAGE}`);
    throw error;
  }
  const area = options.area === undefined ? undefined : parseArea(options.area);
  if (area === null)
    fail(
      `Không có lĩnh vực «${options.area}». Ví dụ: the-che, thu-tuc-hanh-chinh, to-chuc-bo-may, cong-vu, tai-chinh-cong, chinh-quyen-so, chi-dao-dieu-hanh, khac.`,
    );

  const runtime = await openForReading(loadConfig(), createLogger("warn"));
  const input = await digestInput(runtime.store, runtime.directory());
  const calendar = runtime.calendar;
  await runtime.store.close();
  if (options.agency && !(options.agency in input.agencyNames)) fail(`Không có cơ quan mã «${options.agency}» trong danh mục.`);
  const digest = computeDigest(input, period, at, calendar, {
    ...(options.agency ? { agencyId: options.agency } : {}),
    ...(area ? { area } : {}),
  });
  const agencyName = options.agency ? input.agencyNames[options.agency] : undefined;

  let wrote = false;
  if (options.xlsx) {
    const out = await writeOut(options.xlsx, await digestWorkbook(digest, { agencyName }));
    process.stderr.write(`Đã ghi ${out}\n`);
    wrote = true;
  }
  if (options.png) {
    const chart = await digestChart(digest, { agencyName });
    const out = await writeOut(options.png, chart.png);
    process.stderr.write(`Đã ghi ${out} (${chart.width}×${chart.height})\n`);
    wrote = true;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(digestJson(digest), null, 2)}\n`);
  else if (!wrote)
    process.stdout.write(`${summaryText(digest, { agencyName })}\n${options.detail ? `\n${detailText(digest, { agencyName })}\n` : ""}`);
}

main().catch((error: unknown) => fail(unexpected(error)));
