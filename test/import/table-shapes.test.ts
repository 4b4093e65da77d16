/**
 * Table shapes provinces send that the reader must read from their structure: a header over
 * two rows whose merged cells are repeated (`<td rowspan>`, mammoth's .docx tables), start
 * and end columns, "#" for the numbers, column-number rows, numbering past 999, the
 * signature block under the table, and warnings said once per row.
 */
import { describe, expect, it } from "vitest";
import { htmlTables } from "../../src/import/cells.ts";
import { readHtmlTables } from "../../src/import/text-table.ts";
import { headerColumns, rowsFromTable, tidyWarnings } from "../../src/import/table.ts";

describe("a header over two rows", () => {
  // As `<td rowspan=2>` (and mammoth's vertically merged .docx cells) give it: the cells merged
  // down over both rows repeat their text in the second.
  const top = ["TT", "Nhiệm vụ", "Cơ quan thực hiện", "", "Thời gian", "", "Sản phẩm"];
  const below = ["TT", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành", "Sản phẩm"];
  const task = ["1", "Ban hành Kế hoạch CCHC", "Sở Nội vụ", "Các sở", "Tháng 01/2025", "Tháng 02/2025", "Kế hoạch"];

  it("is one header: the deadline is 'Hoàn thành', never 'Bắt đầu'", () => {
    const { rows, warnings } = rowsFromTable([top, below, ["I", "CÔNG TÁC CHỈ ĐẠO"], task])!;
    expect(rows).toEqual([
      {
        row: 4,
        section: ["I. CÔNG TÁC CHỈ ĐẠO"],
        stt: "1",
        content: "Ban hành Kế hoạch CCHC",
        lead: "Sở Nội vụ",
        coordinating: "Các sở",
        deadline: "Tháng 02/2025",
        product: "Kế hoạch",
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it("the same header repeated on a later page is skipped, both rows", () => {
    const second = ["2", "Kiểm tra CCHC", "Sở Nội vụ", "", "", "Quý III", "Báo cáo"];
    const { rows, warnings } = rowsFromTable([top, below, task, top, below, second])!;
    expect(rows.map((r) => [r.stt, r.deadline])).toEqual([
      ["1", "Tháng 02/2025"],
      ["2", "Quý III"],
    ]);
    expect(warnings).toEqual([]);
  });

  it("from an .html table with rowspan and colspan", () => {
    const th = (s: string, a = "") => `<th${a}>${s}</th>`;
    const html =
      `<table><tr>${th("TT", " rowspan=2")}${th("Nội dung", " rowspan=2")}${th("Cơ quan chủ trì", " rowspan=2")}` +
      `${th("Thời gian thực hiện", " colspan=2")}${th("Sản phẩm", " rowspan=2")}</tr>` +
      `<tr>${th("Bắt đầu")}${th("Hoàn thành")}</tr>` +
      `<tr><td>1</td><td>Rà soát TTHC</td><td rowspan=2>Văn phòng UBND tỉnh</td><td>Quý I</td><td>Quý III</td><td>Báo cáo</td></tr>` +
      `<tr><td>2</td><td>Công khai TTHC</td><td></td><td>Hằng quý</td><td>Danh mục</td></tr></table>`;
    // The cells merged down repeat their text in the header's second row.
    expect(htmlTables(html)[0].rows[1]).toEqual(["TT", "Nội dung", "Cơ quan chủ trì", "Bắt đầu", "Hoàn thành", "Sản phẩm"]);
    const { rows } = readHtmlTables(html)!;
    expect(rows.map((r) => [r.content, r.lead, r.deadline])).toEqual([
      ["Rà soát TTHC", "Văn phòng UBND tỉnh", "Quý III"],
      ["Công khai TTHC", "Văn phòng UBND tỉnh", "Hằng quý"],
    ]);
  });

  it("a row of short values under the header is no sub-header", () => {
    const header = ["Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian", ""];
    const { rows } = rowsFromTable([header, ["Rà soát TTHC", "Sở Tư pháp", "Các sở", "Quý I", "Báo cáo"]])!;
    expect(rows).toHaveLength(1);
  });
});

describe("header words", () => {
  it("'#' (and 'No.') head the numbers", () => {
    expect(headerColumns(["#", "Nội dung", "Cơ quan chủ trì", "Thời hạn"])).toEqual({ stt: 0, content: 1, lead: 2, deadline: 3 });
    expect(headerColumns(["**#**", "Nhiệm vụ", "Chủ trì", "Thời gian"])).toMatchObject({ stt: 0 });
    expect(headerColumns(["No.", "Nhiệm vụ", "Chủ trì", "Thời gian"])).toMatchObject({ stt: 0 });
    expect(
      rowsFromTable([
        ["#", "Nội dung", "Chủ trì", "Thời hạn"],
        ["1", "Việc một", "Sở Nội vụ", "Quý I"],
      ])!.rows[0],
    ).toMatchObject({ stt: "1", content: "Việc một" });
  });

  it("a start column in a one-row header is not the deadline", () => {
    expect(headerColumns(["TT", "Nội dung", "Chủ trì", "Thời gian bắt đầu", "Thời gian hoàn thành"])).toEqual({
      stt: 0,
      content: 1,
      lead: 2,
      note: 3,
      deadline: 4,
    });
    expect(headerColumns(["TT", "Nhiệm vụ", "Chủ trì", "Ngày bắt đầu", "Ngày hoàn thành"])).toEqual({
      stt: 0,
      content: 1,
      lead: 2,
      deadline: 4,
    });
    expect(headerColumns(["TT", "Nhiệm vụ", "Chủ trì", "Thời gian thực hiện (bắt đầu - hoàn thành)"])).toMatchObject({ deadline: 3 });
  });
});

describe("rows that are no tasks", () => {
  const HEADER = ["STT", "Nội dung", "Cơ quan chủ trì", "Thời gian hoàn thành", "Ghi chú"];

  it("a column-number row: small numbers rising by one, also with a cell left empty or in brackets", () => {
    for (const numbers of [
      ["1", "2", "3", "4", "5"],
      ["(1)", "(2)", "(3)", "(4)", "(5)"],
      ["1", "2", "3", "", "5"],
      ["", "2", "3", "4", "5"],
    ]) {
      const { rows, warnings } = rowsFromTable([HEADER, numbers, ["1", "Việc một", "Sở Nội vụ", "Quý I", ""]])!;
      expect(
        rows.map((r) => r.content),
        numbers.join(),
      ).toEqual(["Việc một"]);
      expect(warnings, numbers.join()).toEqual([]);
    }
  });

  it("the signature block under the table is the document's end, not rows", () => {
    const { rows, warnings } = rowsFromTable([
      HEADER,
      ["1", "Việc một", "Sở Nội vụ", "Quý I", ""],
      ["Nơi nhận:", "", "", "TM. ỦY BAN NHÂN DÂN", ""],
      ["- Như trên;", "", "", "CHỦ TỊCH", ""],
      ["- Lưu: VT.", "", "", "", ""],
      ["", "", "", "Nguyễn Văn A", ""],
    ])!;
    expect(rows).toHaveLength(1);
    expect(warnings).toEqual([]);
  });
});

describe("numbering past 999", () => {
  it("a number of four digits or more is read as the next of its sequence", () => {
    const cells = [["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"]];
    for (let n = 1; n <= 1205; n++) cells.push([String(n), `Nhiệm vụ số ${n}`, "Sở Nội vụ", "Quý IV"]);
    const { rows, warnings } = rowsFromTable(cells)!;
    expect(rows).toHaveLength(1205);
    expect(rows[1204]).toMatchObject({ stt: "1205", content: "Nhiệm vụ số 1205" });
    expect(warnings).toEqual([]);
  });

  it("alone (not next in a sequence), a number of four digits is no row number", () => {
    const { rows, warnings } = rowsFromTable([
      ["STT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"],
      ["1", "Việc một", "Sở Nội vụ", "Quý I"],
      ["2025", "Việc hai", "Sở Nội vụ", "Quý II"],
    ])!;
    expect(rows).toHaveLength(1);
    expect(warnings.map((w) => w.row)).toEqual([3]);
  });
});

describe("tidyWarnings", () => {
  it("one warning per row and message, in row order, the texts joined", () => {
    expect(
      tidyWarnings([
        { row: 7, text: "b", message: "M" },
        { row: 3, text: "a", message: "M" },
        { row: 7, text: "c", message: "M" },
        { row: 7, text: "b", message: "M" },
        { row: 7, text: "d", message: "N" },
      ]),
    ).toEqual([
      { row: 3, text: "a", message: "M" },
      { row: 7, text: "b; c", message: "M" },
      { row: 7, text: "d", message: "N" },
    ]);
  });
});
