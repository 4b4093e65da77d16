import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_PLAN_BYTES, readPlan } from "../../src/import/read.ts";
import { readTextTables } from "../../src/import/text-table.ts";
import { PlanReadError, type RawPlan, type RawTaskRow } from "../../src/import/types.ts";

const PLANS = fileURLToPath(new URL("../../../shared/plans/", import.meta.url));
const planFile = (name: string) => ({ name, data: readFileSync(PLANS + name) });

type Expect = {
  row?: number;
  stt?: string;
  content: string;
  product?: string;
  lead?: string;
  coordinating?: string;
  deadline?: string;
  section: string[];
};

/** Field by field; `content` is the start of the content. */
function expectRow(actual: RawTaskRow | undefined, want: Expect) {
  expect(actual).toBeDefined();
  const row = actual!;
  expect(row.content.startsWith(want.content), `content «${row.content}» starts with «${want.content}»`).toBe(true);
  const { content: _c, ...rest } = want;
  const { content: _a, ...got } = row;
  const picked = Object.fromEntries(Object.keys(rest).map((k) => [k, got[k as keyof typeof got]]));
  expect(picked).toEqual(rest);
}

const strip = (rows: RawTaskRow[]) => rows.map(({ row: _row, ...r }) => r);

let kienGiang: RawPlan;
let benTre: RawPlan;
beforeAll(async () => {
  kienGiang = await readPlan(planFile("kien-giang-2021.txt"));
  benTre = await readPlan(planFile("ben-tre-2021.md"));
});

describe("kien-giang-2021.txt (cells ended by `|` lines)", () => {
  // Counted by hand in the appendix (lines 341–953): every STT cell "1", "2", … that follows a
  // group row is a task. I: 1–4 (4), II: 1–5 (5), III: 1–2 (2), IV: 1–2 (2), V: 1–5 (5),
  // VI a): 1–5 (5), VI b): 1–2 (2), VII: 1–6 (6) → 31. Group rows: I–VII, a), b).
  it("reads 31 task rows, no warnings, and the plan's metadata", () => {
    expect(kienGiang.rows).toHaveLength(31);
    expect(kienGiang.warnings).toEqual([]);
    expect(kienGiang.meta).toMatchObject({ number: "189/KH-UBND", issuer: "UBND tỉnh Kiên Giang", signed: "2020-12-30", year: 2021 });
  });

  it("reads a row of every section field by field", () => {
    const r = kienGiang.rows;
    const I = ["I. CẢI CÁCH THỂ CHẾ"];
    expectRow(r[0], {
      row: 346,
      stt: "1",
      content: "Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra, xử lý và rà soát văn bản QPPL năm 2021",
      product: "Kế hoạch",
      lead: "Sở Tư pháp",
      coordinating: "Các sở, ban, ngành tỉnh và UBND cấp huyện",
      deadline: "Tháng 12/2020",
      section: I,
    });
    expectRow(r[3], {
      row: 400,
      stt: "4",
      content: "Tham mưu UBND tỉnh ban hành Báo cáo",
      lead: "Sở Tư pháp",
      deadline: "Tháng 12/2021",
      section: I,
    });
    expectRow(r[6], {
      row: 460,
      stt: "3",
      content: "Tham mưu UBND tỉnh xây dựng kế hoạch kiểm tra công tác kiểm soát",
      product: "Quyết định ban hành kế hoạch",
      lead: "Văn phòng UBND tỉnh",
      deadline: "Quý I/2021",
      section: ["II. CẢI CÁCH THỦ TỤC HÀNH CHÍNH"],
    });
    expectRow(r[9], {
      row: 519,
      stt: "1",
      content: "Quyết định kiện toàn cơ cấu tổ chức bộ máy Sở Nông nghiệp",
      product: "Quyết định UBND tỉnh",
      lead: "Sở Nội vụ",
      coordinating: "Sở Nông nghiệp và Phát triển nông thôn",
      deadline: "Trình trong tháng 12/2020",
      section: ["III. CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH"],
    });
    expectRow(r[11], {
      row: 559,
      stt: "1",
      content: "Xây dựng kế hoạch đào tạo, bồi dưỡng",
      product: "Phê duyệt của Tỉnh ủy, UBND tỉnh.",
      lead: "Sở Nội vụ",
      deadline: "Xây dựng, trình kế hoạch trong tháng 01/2021",
      section: ["IV. CẢI CÁCH CÔNG VỤ"],
    });
    expectRow(r[14], {
      row: 618,
      stt: "2",
      content: "Thực hiện cơ chế tự chủ của đơn vị sự nghiệp công lập trong lĩnh vực sự nghiệp kinh tế",
      product: "Quyết định/ Báo cáo",
      lead: "Cơ quan chủ quản cấp trên đơn vị sự nghiệp thực hiện theo Nghị định 141/2016/NĐ-CP",
      coordinating: "Sở Tài chính",
      deadline: "Theo giai đoạn ổn định",
      section: ["V. CẢI CÁCH TÀI CHÍNH CÔNG"],
    });
    expectRow(r[18], {
      row: 705,
      stt: "1",
      content: "Kế hoạch ứng dụng công nghệ thông tin",
      product: "Kế hoạch",
      lead: "Sở Thông tin và Truyền thông",
      deadline: "Quý IV năm 2020",
      section: ["VI. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ", "a) Hoàn thiện môi trường pháp lý, phát triển hạ tầng số"],
    });
    expectRow(r[24], {
      row: 818,
      stt: "2",
      content: "Quyết định phê duyệt triển khai Đề án ISO điện tử",
      product: "Quyết định",
      lead: "Sở Khoa học và Công nghệ",
      coordinating: "VP. UBND tỉnh",
      deadline: "Quý III/2021",
      section: [
        "VI. XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ",
        "b) Áp dụng hệ thống quản lý chất lượng theo Tiêu chuẩn TCVN ISO ISO 9001",
      ],
    });
    expectRow(r[25], {
      row: 841,
      stt: "1",
      content: "Xây dựng kế hoạch cải cách hành chính của tỉnh năm 2021",
      lead: "Sở Nội vụ",
      deadline: "- Ban hành tháng 12/2020; - Thực hiện thường xuyên",
      section: ["VII. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"],
    });
    // The last row of the file lost its empty "Ghi chú" cell.
    expectRow(r[30], {
      row: 938,
      stt: "6",
      content: "Thực hiện đánh giá chấm điểm xếp hạng",
      product: "Quyết định",
      lead: "Sở Nội vụ",
      deadline: "Quý II/2021",
      section: ["VII. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"],
    });
  });
});

describe("ben-tre-2021.md (tab-separated rows, repeated headers)", () => {
  // Counted by hand: lines 196–250 hold 55 lines = 6 header lines ("Số TT\tNội dung…") +
  // 7 group lines (I, II, "III Cải cách…", VI, V, VI, VII — the source mislabels IV as VI)
  // + 5 blank lines + 37 task lines. Per section 9 + 7 + 4 + 4 + 6 + 3 + 4 = 37 (the source
  // skips numbers III.3 and VII.2).
  it("reads 37 task rows, no warnings, and the plan's metadata", () => {
    expect(benTre.rows).toHaveLength(37);
    expect(benTre.warnings).toEqual([]);
    expect(benTre.meta).toMatchObject({ number: "7018/KH-UBND", issuer: "UBND tỉnh Bến Tre", signed: "2020-12-29", year: 2021 });
  });

  it("reads a row of every section field by field", () => {
    const r = benTre.rows;
    expectRow(r[0], {
      row: 198,
      stt: "1",
      content: "Xây dựng và triển khai Kế hoạch CCHC năm 2021",
      product: "Kế hoạch",
      lead: "Sở Nội vụ",
      coordinating: "Cơ quan hành chính nhà nước các cấp",
      deadline: "Tháng 12/2020",
      section: ["I. Công tác chỉ đạo, điều hành về CCHC"],
    });
    // After a repeated header row.
    expectRow(r[7], {
      row: 207,
      stt: "8",
      content: "Khảo sát, đánh giá mức độ hài lòng",
      product: "Báo cáo kết quả khảo sát",
      lead: "Sở Nội vụ",
      deadline: "Quý I, II năm 2021",
      section: ["I. Công tác chỉ đạo, điều hành về CCHC"],
    });
    expectRow(r[9], {
      row: 210,
      stt: "1",
      content: "Thực hiện góp ý, thẩm định 100% văn bản",
      product: "Công văn góp ý và Báo cáo thẩm định",
      lead: "Sở Tư pháp",
      deadline: "Quý I, II, III, IV/2021",
      section: ["II. Cải cách thể chế"],
    });
    expectRow(r[18], {
      row: 222,
      stt: "4",
      content: "Kiểm tra công tác kiểm soát TTHC năm 2021",
      product: "Báo cáo kết quả kiểm tra",
      lead: "Văn phòng UBND tỉnh",
      deadline: "Quý II, III/2021",
      section: ["III. Cải cách thủ tục hành chính"],
    });
    expectRow(r[23], {
      row: 230,
      stt: "4",
      content: "Sắp xếp lại tổ chức bộ máy",
      product: "Kết quả sắp xếp",
      lead: "Các cơ quan, đơn vị có liên quan",
      coordinating: "Sở Nội vụ",
      deadline: "Khi có quy định của Trung ương",
      section: ["VI. Cải cách tổ chức bộ máy"],
    });
    expectRow(r[26], {
      row: 236,
      stt: "3",
      content: "Tổ chức kỳ thi nâng ngạch công chức.",
      product: "Kết quả thi nâng ngạch",
      lead: "Sở Nội vụ",
      coordinating: "Trung tâm Giáo dục thường xuyên tỉnh",
      deadline: "Quý I, II năm 2021",
      section: ["V. Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức"],
    });
    expectRow(r[32], {
      row: 245,
      stt: "3",
      content: "Tổ chức kiểm tra việc thực hiện các quy định về quản lý tài sản công.",
      product: "Báo cáo kết quả kiểm tra",
      lead: "Sở Tài chính",
      coordinating: undefined,
      deadline: "Trong năm 2021",
      section: ["VI. Cải cách tài chính công"],
    });
    expectRow(r[34], {
      row: 248,
      stt: "3",
      content: "Triển khai ứng dụng phần mềm quản lý văn bản",
      product: "100% cơ quan, đơn vị sử dụng VNPT-iOffice. Tỷ lệ văn bản liên thông điện tử 96%",
      lead: "Các sở, ban, ngành tỉnh, UBND cấp huyện",
      deadline: "Trong năm 2021",
      section: ["VII. Hiện đại hóa nền hành chính"],
    });
  });
});

describe("other provinces' table layouts", () => {
  /** A scrape in the `|`-line family: each cell's lines, then a line holding only `|`. */
  const pipeScrape = (rows: string[][]) => rows.map((row) => row.map((c) => `${c.replace(/ /, "\n")}\n|`).join("\n")).join("\n");

  it("a `|`-line table with headers in another order, group rows with empty cells and `-` sub-rows", () => {
    const header = ["TT", "Nhiệm vụ cụ thể", "Đơn vị chủ trì", "Thời hạn hoàn thành", "Hoạt động/Sản phẩm", "Đơn vị phối hợp"];
    const text = [
      "ỦY BAN NHÂN DÂN\nTỈNH AN GIANG\n|\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n|\nSố: 45/KH-UBND\n|\nAn Giang, ngày 10 tháng 01 năm 2023\n|",
      "KẾ HOẠCH\nCẢI CÁCH HÀNH CHÍNH NĂM 2023\nI. MỤC TIÊU\n- Nâng cao chỉ số PAR INDEX.\n|",
      "PHỤ LỤC\nNHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2023",
      pipeScrape([
        header,
        ["I", "Cải cách thể chế", "", "", "", ""],
        ["1", "Rà soát văn bản QPPL của tỉnh", "Sở Tư pháp", "Quý II/2023", "Báo cáo", "Các sở, ngành"],
        ["", "- Lĩnh vực đất đai", "Sở Tài nguyên và Môi trường", "Quý III/2023", "", ""],
        ["", "- Lĩnh vực đầu tư", "", "", "", ""],
        ["2", "Kiểm tra văn bản QPPL", "Sở Tư pháp", "Tháng 10/2023", "Kết luận kiểm tra", ""],
      ]),
      // A group row that kept only its filled cells (as the scrape does for merged cells).
      pipeScrape([["II", "Cải cách thủ tục hành chính"]]),
      pipeScrape([
        ["1", "Công bố danh mục TTHC", "Văn phòng UBND tỉnh", "Thường xuyên", "Quyết định", "Các sở, ngành"],
        ["2", "Số hóa hồ sơ TTHC", "Văn phòng UBND tỉnh", "Năm 2023", "", "UBND cấp huyện"],
      ]),
    ].join("\n");
    // "- Lĩnh vực đất đai" has its own lead and deadline: a task under task 1. "- Lĩnh vực đầu
    // tư" has neither: a detail of task 1, appended to its content.
    const plan = readTextTables(text)!;
    expect(plan.warnings).toEqual([]);
    expect(plan.meta).toMatchObject({ number: "45/KH-UBND", signed: "2023-01-10", year: 2023 });
    expect(strip(plan.rows)).toEqual([
      {
        section: ["I. Cải cách thể chế"],
        stt: "1",
        content: "Rà soát văn bản QPPL của tỉnh - Lĩnh vực đầu tư",
        lead: "Sở Tư pháp",
        deadline: "Quý II/2023",
        product: "Báo cáo",
        coordinating: "Các sở, ngành",
      },
      {
        section: ["I. Cải cách thể chế", "1. Rà soát văn bản QPPL của tỉnh"],
        content: "- Lĩnh vực đất đai",
        lead: "Sở Tài nguyên và Môi trường",
        deadline: "Quý III/2023",
      },
      {
        section: ["I. Cải cách thể chế"],
        stt: "2",
        content: "Kiểm tra văn bản QPPL",
        lead: "Sở Tư pháp",
        deadline: "Tháng 10/2023",
        product: "Kết luận kiểm tra",
      },
      {
        section: ["II. Cải cách thủ tục hành chính"],
        stt: "1",
        content: "Công bố danh mục TTHC",
        lead: "Văn phòng UBND tỉnh",
        deadline: "Thường xuyên",
        product: "Quyết định",
        coordinating: "Các sở, ngành",
      },
      {
        section: ["II. Cải cách thủ tục hành chính"],
        stt: "2",
        content: "Số hóa hồ sơ TTHC",
        lead: "Văn phòng UBND tỉnh",
        deadline: "Năm 2023",
        coordinating: "UBND cấp huyện",
      },
    ]);
    // Row numbers: the line of the row's first filled cell.
    const lines = text.split("\n");
    expect(plan.rows.map((r) => lines[r.row - 1])).toEqual(["1", "-", "2", "1", "2"]);
  });

  it("an .html page's <table>: <th> header, colspan group row, entities", async () => {
    const html =
      "<html><body><p>KẾ HOẠCH</p><p>CẢI CÁCH HÀNH CHÍNH NĂM 2022</p><table>" +
      "<tr><th>STT</th><th>Nội dung</th><th>Chủ trì</th><th>Thời hạn</th></tr>" +
      '<tr><td>I</td><td colspan="3"><strong>Cải cách thể chế</strong></td></tr>' +
      "<tr><td>1</td><td><p>Rà soát</p><p>VBQPPL</p></td><td>Sở TT&amp;TT</td><td>Quý I/2022</td></tr>" +
      "</table></body></html>";
    const plan = await readPlan({ name: "binh-dinh-2022.html", data: Buffer.from(html) });
    expect(plan.warnings).toEqual([]);
    expect(strip(plan.rows)).toEqual([
      { section: ["I. Cải cách thể chế"], stt: "1", content: "Rà soát VBQPPL", lead: "Sở TT&TT", deadline: "Quý I/2022" },
    ]);
  });

  it("a Markdown pipe table under numbered headings takes the headings as its section", async () => {
    const md = [
      "# KẾ HOẠCH",
      "**Cải cách hành chính năm 2024**",
      "",
      "## PHỤ LỤC",
      "### 1. Cải cách tài chính công",
      "",
      "| Thời gian thực hiện | Nội dung | Cơ quan chủ trì | Kết quả |",
      "|---|---|---|---|",
      "| Quý II/2024 | Kiểm tra quản lý tài sản công | Sở Tài chính | Báo cáo |",
      "| | - Tại cấp huyện | | |",
    ].join("\n");
    const plan = await readPlan({ name: "dong-thap-2024.md", data: Buffer.from(md) });
    expect(plan.warnings).toEqual([]);
    expect(strip(plan.rows)).toEqual([
      {
        section: ["1. Cải cách tài chính công"],
        content: "Kiểm tra quản lý tài sản công - Tại cấp huyện",
        lead: "Sở Tài chính",
        deadline: "Quý II/2024",
        product: "Báo cáo",
      },
    ]);
    expect(plan.rows[0].row).toBe(9);
  });
});

// ---------------------------------------------------------------- files built in the test

/** Group rows (marker, title) to re-create a table from rows and their sections. */
function splitLabel(label: string): [string, string] {
  const m = /^(\S+?[.)]?)\s(.*)$/u.exec(label)!;
  return [m[1].replace(/\.$/, ""), m[2]];
}

describe("a .docx built from Kiên Giang's rows", () => {
  it("reads back the same rows (header <th>, colspan group rows, rowspan leads)", async () => {
    const source = kienGiang.rows.filter((r) => r.section[0].startsWith("I.") || r.section[0].startsWith("VI."));
    expect(source).toHaveLength(11);
    const cell = (text: string, o: { bold?: boolean; span?: number; rows?: number } = {}) =>
      new TableCell({
        children: [new Paragraph({ children: [new TextRun({ text, bold: o.bold })] })],
        columnSpan: o.span,
        rowSpan: o.rows,
      });
    const rows = [
      new TableRow({
        tableHeader: true,
        children: ["STT", "NỘI DUNG", "SẢN PHẨM", "CƠ QUAN CHỦ TRÌ", "CƠ QUAN PHỐI HỢP", "THỜI GIAN BAN HÀNH", "GHI CHÚ"].map((t) =>
          cell(t, { bold: true }),
        ),
      }),
    ];
    let open: string[] = [];
    source.forEach((r, i) => {
      r.section.forEach((label, depth) => {
        if (open[depth] === label) return;
        const [marker, title] = splitLabel(label);
        rows.push(new TableRow({ children: [cell(marker, { bold: true }), cell(title, { bold: true, span: 6 })] }));
      });
      open = r.section;
      // The lead cell is merged down over rows of the same group with the same lead.
      const prev = source[i - 1];
      const sameAsPrev = prev && prev.lead === r.lead && prev.section.join() === r.section.join();
      let span = 1;
      while (source[i + span] && source[i + span].lead === r.lead && source[i + span].section.join() === r.section.join()) span++;
      const cells = [cell(r.stt!), cell(r.content), cell(r.product ?? "")];
      if (!sameAsPrev) cells.push(cell(r.lead ?? "", { rows: span }));
      cells.push(cell(r.coordinating ?? ""), cell(r.deadline ?? ""), cell(""));
      rows.push(new TableRow({ children: cells }));
    });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph("ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG"),
            new Paragraph("Số: 189/KH-UBND"),
            new Paragraph("Kiên Giang, ngày 30 tháng 12 năm 2020"),
            new Paragraph("KẾ HOẠCH"),
            new Paragraph("CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021"),
            new Paragraph("PHỤ LỤC"),
            new Table({ rows }),
          ],
        },
      ],
    });
    const data = await Packer.toBuffer(doc);
    const plan = await readPlan({ name: "kien-giang-2021.docx", data });
    expect(plan.warnings).toEqual([]);
    expect(strip(plan.rows)).toEqual(strip(source));
    expect(plan.rows[0].row).toBe(3); // header, group I, then the first task: the 3rd table row
    expect(plan.meta).toMatchObject({ number: "189/KH-UBND", year: 2021 });
  });
});

async function xlsxOf(build: (book: ExcelJS.Workbook) => void): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  build(book);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe("an .xlsx built from Bến Tre's rows", () => {
  it("reads the first sheet with a header row back to the same rows", async () => {
    const source = benTre.rows.filter((r) => r.section[0].startsWith("II.") || r.section[0].startsWith("VII."));
    expect(source).toHaveLength(11);
    const data = await xlsxOf((book) => {
      book.addWorksheet("Ghi chú").addRow(["Bảng tính dựng trong kiểm thử"]);
      const sheet = book.addWorksheet("Phụ lục nhiệm vụ");
      sheet.addRow(["PHỤ LỤC CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2021"]);
      sheet.mergeCells("A1:G1");
      sheet.addRow([]);
      sheet.addRow(["Số TT", "Nội dung", "Kết quả", "Thời gian thực hiện", "Cơ quan chủ trì", "Cơ quan phối hợp", "Ghi chú"]);
      let open = "";
      for (const r of source) {
        if (r.section[0] !== open) {
          open = r.section[0];
          const [marker, title] = splitLabel(open);
          const row = sheet.addRow([marker, { richText: [{ text: title, font: { bold: true } }] }]);
          sheet.mergeCells(row.number, 2, row.number, 7);
        }
        sheet.addRow([Number(r.stt), r.content, r.product ?? "", r.deadline ?? "", r.lead ?? "", r.coordinating ?? "", ""]);
      }
    });
    const plan = await readPlan({ name: "ben-tre-2021.xlsx", data });
    expect(strip(plan.rows)).toEqual(strip(source));
    expect(plan.rows[0].row).toBe(5); // title, blank, header, group II, first task
    // The title above the header is not a task: it is read as the plan's title (from the merged
    // cell "PHỤ LỤC …"), not reported as a row.
    expect(plan.warnings).toEqual([]);
    expect(plan.meta).toMatchObject({ title: "CÁC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRỌNG TÂM NĂM 2021", year: 2021 });
  });
});

describe("a .csv built from Bến Tre's rows", () => {
  it("reads quotes, semicolons, a BOM, CRLF and a line break inside a cell", async () => {
    const source = benTre.rows.filter((r) => r.section[0].startsWith("I.") || r.section[0].startsWith("III."));
    expect(source).toHaveLength(13);
    const q = (s: string) => (/[;"\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const lines = ["Số TT;Nội dung;Kết quả;Thời gian thực hiện;Cơ quan chủ trì;Cơ quan phối hợp;Ghi chú"];
    let open = "";
    for (const r of source) {
      if (r.section[0] !== open) {
        open = r.section[0];
        lines.push(`${q(open.replace(/\.\s/, " "))};;;;;;`);
      }
      // A line break inside the quoted product cell of the first row.
      const product = r === source[0] ? `"Kế\nhoạch"` : q(r.product ?? "");
      lines.push([r.stt, q(r.content), product, q(r.deadline ?? ""), q(r.lead ?? ""), q(r.coordinating ?? ""), ""].join(";"));
    }
    const data = Buffer.from("\uFEFF" + lines.join("\r\n") + "\r\n");
    const plan = await readPlan({ name: "ben-tre-2021.csv", data });
    expect(plan.warnings).toEqual([]);
    expect(strip(plan.rows)).toEqual(strip(source));
    // Row numbers are the lines records start on: the first task spans lines 3–4.
    expect(plan.rows.slice(0, 2).map((r) => r.row)).toEqual([3, 5]);
  });
});

// ---------------------------------------------------------------- bad input

describe("bad input → PlanReadError with a Vietnamese message", () => {
  async function fails(file: { name: string; data: Buffer }, message: RegExp) {
    const error = await readPlan(file).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PlanReadError);
    expect((error as Error).message).toMatch(message);
  }

  it("an unsupported type lists the supported ones", async () => {
    await fails(
      { name: "ke-hoach.pdf", data: Buffer.from("%PDF-1.4") },
      /không được hỗ trợ.*\.txt, \.md, \.html, \.docx, \.xlsx, \.csv hoặc \.json/,
    );
    await fails({ name: "ke-hoach", data: Buffer.from("x") }, /không có phần mở rộng/);
    await fails({ name: "ke-hoach.doc", data: Buffer.from("x") }, /lưu lại dạng \.docx/);
  });

  it("an empty file, a whitespace-only file, a file over 10 MB", async () => {
    await fails({ name: "a.txt", data: Buffer.alloc(0) }, /trống/);
    await fails({ name: "a.docx", data: Buffer.alloc(0) }, /trống/);
    await fails({ name: "a.md", data: Buffer.from(" \n\t\n") }, /trống/);
    await fails({ name: "a.txt", data: Buffer.alloc(MAX_PLAN_BYTES + 1, 0x61) }, /vượt giới hạn 10 MB/);
  });

  it("binary garbage: NUL bytes or invalid UTF-8 in a text file, a .docx/.xlsx that is not a zip", async () => {
    await fails({ name: "a.txt", data: Buffer.from([0x53, 0x54, 0x54, 0x00, 0x00, 0x41]) }, /không phải văn bản UTF-8/);
    await fails({ name: "a.csv", data: Buffer.from([0x53, 0xe1, 0xba, 0x3b, 0xff, 0x41]) }, /không phải văn bản UTF-8/);
    await fails({ name: "a.docx", data: Buffer.from("Kế hoạch CCHC") }, /không phải tệp Word \.docx hợp lệ/);
    await fails({ name: "a.xlsx", data: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]) }, /không phải bảng tính Excel \.xlsx hợp lệ/);
    const xlsx = await xlsxOf((book) => book.addWorksheet("A").addRow(["x"]));
    await fails({ name: "a.docx", data: xlsx }, /không phải tệp Word \.docx hợp lệ/);
  });

  it("a spreadsheet or CSV with no recognisable header", async () => {
    const xlsx = await xlsxOf((book) => {
      const sheet = book.addWorksheet("Danh sách");
      sheet.addRow(["Họ tên", "Đơn vị"]);
      sheet.addRow(["Nguyễn Văn A", "Sở Nội vụ"]);
    });
    await fails({ name: "a.xlsx", data: xlsx }, /không có dòng tiêu đề.*STT, Nội dung/);
    await fails({ name: "a.csv", data: Buffer.from("Họ tên,Đơn vị\nNguyễn Văn A,Sở Nội vụ\n") }, /không có dòng tiêu đề/);
  });

  it("a document with no task table or items", async () => {
    const doc = new Document({ sections: [{ children: [new Paragraph("Giấy mời họp giao ban tuần.")] }] });
    await fails({ name: "a.docx", data: await Packer.toBuffer(doc) }, /Không tìm thấy nhiệm vụ nào.*Cơ quan chủ trì/);
    await fails({ name: "a.txt", data: Buffer.from("Thông báo\nNghỉ lễ Quốc khánh 2/9.\n") }, /Không tìm thấy nhiệm vụ nào/);
  });

  it(".json (dondoc's own export) is not claimed: the caller reads it before readPlan", async () => {
    const error = await readPlan({ name: "plan.json", data: Buffer.from("{}") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(PlanReadError);
  });
});

// ---------------------------------------------------------------- shapes seen in other provinces' scrapes

describe("the one cell model: `|` anywhere, short rows, text around the table", () => {
  it("cells ending in ` |`, no STT column, a first 'Lĩnh vực' column lost in the scrape, numbers inside the content cell", async () => {
    // test/fixtures/linh-vuc-pipe.txt is the sample of a real scrape form: one cell per line
    // ending in " |", an empty cell ends a row, "2. Tuyên truyền …" is a group row and the
    // "- …" row under it its task.
    const plan = await readPlan({
      name: "linh-vuc-pipe.txt",
      data: readFileSync(new URL("../fixtures/linh-vuc-pipe.txt", import.meta.url)),
    });
    expect(plan.warnings).toEqual([]);
    expect(plan.meta).toMatchObject({
      number: "12/KH-UBND",
      signed: "2020-12-25",
      title: "KẾ HOẠCH Cải cách hành chính năm 2021",
      year: 2021,
    });
    expect(strip(plan.rows)).toEqual([
      {
        section: [],
        stt: "1",
        content: "Tham mưu UBND tỉnh ban hành Kế hoạch kiểm tra văn bản QPPL năm 2021",
        product: "Kế hoạch",
        lead: "Sở Tư pháp",
        coordinating: "Các sở, ban, ngành tỉnh",
        deadline: "Tháng 12/2020",
      },
      {
        section: ["2. Tuyên truyền cải cách hành chính."],
        content: "- Đẩy mạnh tuyên truyền về CCHC trên báo, đài.",
        product: "Tin, bài",
        lead: "Báo tỉnh; Đài Phát thanh và Truyền hình tỉnh",
        coordinating: "Các sở, ban, ngành",
        deadline: "Thường xuyên",
      },
    ]);
  });

  it("a 'Lĩnh vực' cell merged down its rows is the outermost group; a site's text around the table and a hidden part are reported", () => {
    const cell = (c: string) => `${c} |`;
    const text = [
      "Đăng nhập | Đăng ký |",
      "Đang tải văn bản...",
      "KẾ HOẠCH",
      "CẢI CÁCH HÀNH CHÍNH NĂM 2023",
      ...["Lĩnh vực", "TT", "Nội dung", "Đơn vị chủ trì", "Thời gian dự kiến hoàn thành", "Nguồn kinh phí"].map(cell),
      ...["Cải cách thể chế", "1", "Rà soát văn bản QPPL", "Sở Tư pháp", "Quý II/2023", "Ngân sách tỉnh"].map(cell),
      // The area cell is merged down: the next rows are one cell short.
      ...["2", "Kiểm tra văn bản QPPL", "Sở Tư pháp", "Quý III/2023", ""].map(cell),
      "…..........",
      ...["Cải cách TTHC", "1", "Công bố danh mục TTHC", "Văn phòng UBND tỉnh", "Thường xuyên", ""].map(cell),
      "Bạn phải đăng nhập để tải văn bản gốc |",
    ].join("\n");
    const plan = readTextTables(text)!;
    expect(strip(plan.rows)).toEqual([
      { section: ["Cải cách thể chế"], stt: "1", content: "Rà soát văn bản QPPL", lead: "Sở Tư pháp", deadline: "Quý II/2023" },
      { section: ["Cải cách thể chế"], stt: "2", content: "Kiểm tra văn bản QPPL", lead: "Sở Tư pháp", deadline: "Quý III/2023" },
      { section: ["Cải cách TTHC"], stt: "1", content: "Công bố danh mục TTHC", lead: "Văn phòng UBND tỉnh", deadline: "Thường xuyên" },
    ]);
    expect(plan.warnings.map((w) => [w.row, w.message.slice(0, 30)])).toEqual([
      [22, "Trang web đã ẩn một phần bảng "],
      [29, "Chữ trong bảng không thuộc dòn"],
    ]);
  });

  it("`<td>` markup inside a text scrape is read as a table", () => {
    const text = [
      "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024",
      "<table><tr><td><b>STT</b></td><td><b>Nhiệm vụ cụ thể</b></td><td><b>CHỦ TRÌ</b></td><td><b>PHỐI HỢP</b></td><td><b>THỜI GIAN</b></td></tr>",
      "<tr><td>I</td><td colspan=4><b>Cải cách thủ tục hành chính</b></td></tr>",
      "<tr><td>1</td><td>Rà soát, đơn giản hóa TTHC</td><td rowspan=2>Văn phòng UBND tỉnh</td><td>Các sở</td><td>Quý III/2024</td></tr>",
      "<tr><td>2</td><td>Số hóa hồ sơ TTHC</td><td></td><td>Năm 2024</td></tr></table>",
    ].join("\n");
    const plan = readTextTables(text)!;
    expect(plan.meta.title).toBe("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024");
    expect(strip(plan.rows)).toEqual([
      {
        section: ["I. Cải cách thủ tục hành chính"],
        stt: "1",
        content: "Rà soát, đơn giản hóa TTHC",
        lead: "Văn phòng UBND tỉnh",
        coordinating: "Các sở",
        deadline: "Quý III/2024",
      },
      {
        section: ["I. Cải cách thủ tục hành chính"],
        stt: "2",
        content: "Số hóa hồ sơ TTHC",
        lead: "Văn phòng UBND tỉnh",
        deadline: "Năm 2024",
      },
    ]);
  });

  it("a table of indicators (Chỉ tiêu, no deadline column) is not a task table, and says so", async () => {
    const text = [
      "PHỤ LỤC",
      "| TT | Chỉ tiêu | Chủ trì |",
      "|---|---|---|",
      "| 1 | Kinh tế số chiếm 30% GRDP | Sở Tài chính |",
      "| 2 | 100% hồ sơ TTHC được số hóa | Văn phòng UBND tỉnh |",
    ].join("\n");
    const error = await readPlan({ name: "chi-tieu.md", data: Buffer.from(text) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlanReadError);
    expect((error as Error).message).toMatch(/không có bảng nhiệm vụ: phụ lục là bảng 2 chỉ tiêu/);
  });

  it("a .docx whose title is one line in capitals", async () => {
    const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022"),
            new Table({
              rows: [
                new TableRow({ children: ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian thực hiện"].map(cell) }),
                new TableRow({ children: ["1", "Kiểm tra công tác CCHC", "Sở Nội vụ", "Quý II"].map(cell) }),
              ],
            }),
          ],
        },
      ],
    });
    const plan = await readPlan({ name: "ke-hoach-2022.docx", data: await Packer.toBuffer(doc) });
    expect(plan.meta).toMatchObject({ title: "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022", year: 2022 });
    expect(strip(plan.rows)).toEqual([{ section: [], stt: "1", content: "Kiểm tra công tác CCHC", lead: "Sở Nội vụ", deadline: "Quý II" }]);
  });
});
