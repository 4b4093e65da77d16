/**
 * What a plan reader produces: the plan's metadata and its task rows, cell text verbatim
 * (whitespace folded). Readers find structure from the document itself (headers, headings,
 * item markers), never from a province's name. Interpreting the cells (deadline phrases,
 * agency names, codes, areas) is the importer's job, not the reader's.
 */
export type PlanMeta = {
  /** `189/KH-UBND`, `2108/QĐ-UBND` */
  number: string | null;
  /** `UBND tỉnh Kiên Giang` */
  issuer: string | null;
  /** Signing date `YYYY-MM-DD`. */
  signed: string | null;
  title: string;
  /** The year the plan is for, from its title (a multi-year plan: its first year); null if the title names none. */
  year: number | null;
  /** The years a multi-year plan spans, from its title ("giai đoạn 2026 - 2030", "đến năm 2030"); null for a yearly plan. */
  period: { first: number; last: number } | null;
};

export type RawTaskRow = {
  /** 1-based line number in the source text (or row number in a spreadsheet) where the task starts. */
  row: number;
  /** Heading path the row sits under, outermost first: ["II. NHIỆM VỤ…", "1. Cải cách thể chế"]. */
  section: string[];
  /** Number/marker as printed (`1`, `1.2`, `a`), if any. */
  stt?: string;
  content: string;
  product?: string;
  /** Lead agency cell as written (may name several). */
  lead?: string;
  /**
   * No lead cell or label: the sentence that names who does the task ("Căn cứ Kế hoạch này,
   * các sở, ban, ngành tỉnh xây dựng kế hoạch …"); the importer finds the agencies in it.
   */
  leadHint?: string;
  coordinating?: string;
  /** Deadline phrase as written. */
  deadline?: string;
};

export type ReadWarning = { row: number; text: string; message: string };

export type RawPlan = {
  meta: PlanMeta;
  rows: RawTaskRow[];
  /** Things the reader saw but could not turn into a task row (never silently dropped). */
  warnings: ReadWarning[];
  /** Rows of a table of indicators (Chỉ tiêu, no deadline column): not tasks, counted to say so. */
  indicators?: number;
};

/** A reader failed on the whole document: the message is Vietnamese, for the admin. */
export class PlanReadError extends Error {}

/** One column of a table whose header was not recognised: its number (from 1), header text and first values. */
export type UnmappedColumn = { n: number; header: string; samples: string[] };

/**
 * The document has a table, but no header row dondoc recognises ("Cột 1; Cột 2 …", a header
 * in another language): the admin says which column is which (`--columns content=2,lead=3,
 * deadline=4`, or the chat's buttons). Carries the table, so the chat can read it again with
 * the admin's columns without the file.
 */
export class UnmappedColumnsError extends PlanReadError {
  constructor(
    readonly fileName: string,
    readonly columns: UnmappedColumn[],
    readonly grid: { text: string; line: number }[][],
    readonly metaText: string,
  ) {
    super(
      `Không nhận ra dòng tiêu đề của bảng trong "${fileName}". Các cột:\n` +
        columns
          .map((c) => `${c.n}. «${c.header || "(trống)"}»${c.samples.length ? ` — vd: ${c.samples.map((x) => `«${x}»`).join(", ")}` : ""}`)
          .join("\n") +
        "\nCần cho biết cột nào là nội dung nhiệm vụ, cơ quan chủ trì và thời hạn (có thể thêm phối hợp, sản phẩm).",
    );
  }
}
