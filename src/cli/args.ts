/**
 * Command-line arguments for every `npm run …` script: Node's own `util.parseArgs` in strict
 * mode (an unknown flag — a typo like `--dryrun` — is refused, never ignored), then the values
 * checked with zod. Every refusal is one Vietnamese message followed by the script's usage,
 * exit code 2, and nothing done.
 */
import path from "node:path";
import { parseArgs as parseNodeArgs } from "node:util";
import { z } from "zod";

/** A flag: a switch, or one that takes a value (checked with `check`, whose messages are Vietnamese). */
export type Flag = { type: "boolean" } | { type: "string"; check?: z.ZodType };

/** What a flag gives: true for a switch; the checked value, or the string as typed. */
type FlagValue<F> = F extends { type: "boolean" } ? true : F extends { check: z.ZodType<infer T> } ? T : string;
export type FlagValues<D extends Record<string, Flag>> = { [K in keyof D]?: FlagValue<D[K]> };

export type CliSpec<D extends Record<string, Flag>> = {
  /** "Cách dùng: npm run … -- …", printed after every refusal. */
  usage: string;
  /** What `--help` prints after the usage: what the script does and each flag (Vietnamese). */
  help?: string;
  flags: D;
  /** How many arguments without a flag: [min, max] (default none). */
  positionals?: [number, number];
  /** Rules between flags: a Vietnamese message when they are broken. */
  rules?: (flags: FlagValues<D>) => string | null;
};

/** Edit distance of two short strings, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

/** Node's parseArgs error, in Vietnamese. */
function nodeErrorText(error: unknown, flags: string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const name = flag.replace(/^-+/, "");
    const near = flags.map((f) => [f, distance(f, name)] as const).sort((a, b) => a[1] - b[1])[0];
    const hint = near && near[1] <= 2 ? ` Có phải ý bạn là --${near[0]}?` : "";
    return `Không có tùy chọn ${flag || name}.${hint}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    return /argument missing/.test(message) ? `Tùy chọn ${flag} cần một giá trị.` : `Tùy chọn ${flag} không nhận giá trị.`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']*)'/.exec(message)?.[1];
    return `Không nhận tham số «${arg ?? ""}».`;
  }
  return "Tham số không hợp lệ.";
}

/**
 * Read `argv` by `spec`, or print a Vietnamese refusal with the usage and exit with code 2.
 * A flag's value is checked with its `check`; a message is shown as "--flag: message".
 */
export function readCli<D extends Record<string, Flag>>(argv: string[], spec: CliSpec<D>): { flags: FlagValues<D>; positionals: string[] } {
  const [min, max] = spec.positionals ?? [0, 0];
  const end = argv.indexOf("--");
  if ((end < 0 ? argv : argv.slice(0, end)).some((a) => a === "--help" || a === "-h")) {
    process.stdout.write(`${spec.usage}\n${spec.help ? `\n${spec.help.trim()}\n` : ""}`);
    process.exit(0);
  }
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseNodeArgs({
      args: argv,
      options: Object.fromEntries(Object.entries(spec.flags).map(([name, flag]) => [name, { type: flag.type }])),
      strict: true,
      allowPositionals: max > 0,
    });
  } catch (error) {
    fail(`${nodeErrorText(error, Object.keys(spec.flags))}\n${spec.usage}`);
  }
  const { positionals } = parsed;
  if (positionals.length < min) fail(`${min === 1 && max === 1 ? "Cần đúng một tệp." : `Cần ít nhất ${min} tham số.`}\n${spec.usage}`);
  if (positionals.length > max)
    fail(
      `Thừa tham số: ${positionals
        .slice(max)
        .map((p) => `«${p}»`)
        .join(", ")}.\n${spec.usage}`,
    );
  const flags: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, value] of Object.entries(parsed.values)) {
    const flag = spec.flags[name];
    if (value === undefined) continue;
    if (flag.type === "string" && flag.check) {
      const checked = flag.check.safeParse(value);
      if (checked.success) flags[name] = checked.data;
      else problems.push(`--${name} ${String(value)}: ${checked.error.issues.map((i) => i.message).join("; ")}`);
    } else flags[name] = value;
  }
  const broken = problems.length ? null : spec.rules?.(flags as FlagValues<D>);
  if (broken) problems.push(broken);
  if (problems.length) fail(`${problems.join("\n")}\n${spec.usage}`);
  return { flags: flags as FlagValues<D>, positionals };
}

/** A year a plan can be for: "2022". */
export const Year = z
  .string()
  .regex(/^\d{4}$/, "cần một năm, ví dụ 2022")
  .transform(Number)
  .refine((y) => y >= 2000 && y <= 2100, "năm phải trong khoảng 2000–2100");

/** The years a plan spans: "2026-2030". */
export const Period = z
  .string()
  .regex(/^\s*\d{4}\s*[-–]\s*\d{4}\s*$/, "cần hai năm, ví dụ 2026-2030")
  .transform((s) => {
    const [first, last] = s.split(/[-–]/).map((y) => Number(y.trim()));
    return { first, last };
  })
  .refine((p) => p.first >= 2000 && p.last <= 2100 && p.first <= p.last, "năm đầu không sau năm cuối, trong khoảng 2000–2100");

const COLUMN_NAMES: Record<string, "stt" | "content" | "lead" | "coordinating" | "deadline" | "product"> = {
  stt: "stt",
  content: "content",
  noidung: "content",
  lead: "lead",
  chutri: "lead",
  coordinating: "coordinating",
  phoihop: "coordinating",
  deadline: "deadline",
  thoihan: "deadline",
  product: "product",
  sanpham: "product",
};

/**
 * Which column is which, for a table whose header is not recognised: "content=2,lead=3,
 * deadline=4" (column numbers from 1; names also in Vietnamese: noidung, chutri, phoihop,
 * thoihan, sanpham, stt). Gives column numbers from 0.
 */
export const Columns = z.string().transform((s, ctx) => {
  const out: Partial<Record<(typeof COLUMN_NAMES)[string], number>> = {};
  for (const part of s
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)\s*=\s*(\d{1,2})$/i.exec(part);
    const field = m ? COLUMN_NAMES[m[1].toLowerCase()] : undefined;
    if (!m || !field || Number(m[2]) < 1) {
      ctx.addIssue({
        code: "custom",
        message: `«${part}» không phải <tên cột>=<số cột từ 1>; tên cột: content, lead, deadline, coordinating, product, stt`,
      });
      return z.NEVER;
    }
    const column = Number(m[2]) - 1;
    if (out[field] !== undefined) {
      ctx.addIssue({ code: "custom", message: `cột ${COLUMN_LABELS[field]} được ghi hai lần` });
      return z.NEVER;
    }
    const twice = (Object.keys(out) as (keyof typeof out)[]).find((f) => out[f] === column && f !== field);
    if (twice) {
      const both = `cột ${COLUMN_LABELS[twice]} vừa là cột ${COLUMN_LABELS[field]}`;
      const message = `cột ${column + 1} không thể vừa là ${both}: mỗi cột chỉ ghi cho một loại`;
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
    out[field] = column;
  }
  if (out.content === undefined) {
    ctx.addIssue({ code: "custom", message: "cần ít nhất cột nội dung, ví dụ content=2,lead=3,deadline=4" });
    return z.NEVER;
  }
  return out;
});

/** Column names as the admin reads them, for messages. */
const COLUMN_LABELS: Record<(typeof COLUMN_NAMES)[string], string> = {
  stt: "STT",
  content: "nội dung",
  lead: "chủ trì",
  coordinating: "phối hợp",
  deadline: "thời hạn",
  product: "sản phẩm",
};

/**
 * A path the user typed, from the folder they typed it in: `npm run` starts a script in the
 * package's folder and says where the user was in INIT_CWD. Absolute paths stay as they are.
 */
export function userPath(typed: string): string {
  const from = process.env.npm_lifecycle_event && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  return path.resolve(from, typed);
}

/**
 * A file-system error on `file` as the admin reads it (Vietnamese): a folder where a file was
 * meant, a missing file or folder, no permission, a full disk. `writing`: the script was
 * writing `file`. Null for other errors.
 */
export function fileErrorText(error: unknown, file: string, writing = false): string | null {
  const code = (error as { code?: string } | null)?.code;
  const folder = path.dirname(file);
  switch (code) {
    case "EISDIR":
      return writing
        ? `«${file}» là một thư mục: hãy ghi một tên tệp, ví dụ --out ${path.join(file, "mau.xlsx")}.`
        : `«${file}» là một thư mục, không phải tệp kế hoạch: hãy chỉ một tệp (.docx, .xlsx, .csv, .html, .txt, .md, .json của dondoc).`;
    case "ENOENT":
      return writing
        ? `Thư mục «${folder}» không có: hãy tạo thư mục đó trước, hoặc ghi vào thư mục khác.`
        : `Không có tệp «${file}»: kiểm tra lại đường dẫn (đường dẫn tương đối tính từ thư mục đang đứng).`;
    case "ENOTDIR":
      return `Đường dẫn «${file}» đi qua một tệp như thể đó là thư mục: kiểm tra lại đường dẫn.`;
    case "EACCES":
    case "EPERM":
      return writing ? `Không có quyền ghi vào «${folder}».` : `Không có quyền đọc tệp «${file}».`;
    case "EROFS":
      return `Không ghi được «${file}»: ổ đĩa chỉ cho đọc.`;
    case "ENOSPC":
      return `Không ghi được «${file}»: ổ đĩa đã đầy.`;
    default:
      return null;
  }
}

/**
 * An error no script expected, as the admin reads it: a file-system error by its code
 * (fileErrorText, on the path Node names), else a Vietnamese sentence; the technical text
 * follows only as a detail for a bug report.
 */
export function unexpected(error: unknown): string {
  const file = (error as { path?: unknown } | null)?.path;
  const known = typeof file === "string" ? fileErrorText(error, file) : null;
  if (known) return known;
  const detail = error instanceof Error ? error.message : String(error);
  return `Có lỗi ngoài dự kiến, không làm tiếp được. (Chi tiết kỹ thuật để báo lỗi: ${detail})`;
}

/** Print a message to stderr and exit with code 2 (bad input: nothing was done). */
export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
