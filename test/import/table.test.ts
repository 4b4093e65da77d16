import { describe, expect, it } from "vitest";
import { cleanCell, headerColumns, parseHeading, parseMarker, rowsFromTable } from "../../src/import/table.ts";

const HEADER = ["STT", "Nội dung", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"];

describe("header row", () => {
  it("is found in any order, by folded text, and maps the columns", () => {
    const cols = headerColumns(["Thời hạn", "Đơn vị chủ trì", "NHIEM VU CU THE", "Số TT", "Phối hợp", "Hoạt động/Sản phẩm"]);
    expect(cols).toEqual({ deadline: 0, lead: 1, content: 2, stt: 3, coordinating: 4, product: 5 });
    expect(headerColumns(["TT", "Nội dung công việc", "Hình thức văn bản", "Chủ trì", "Thời gian ban hành"])).toEqual({
      stt: 0,
      content: 1,
      product: 2,
      lead: 3,
      deadline: 4,
    });
  });

  it("is not found in a data row or a letterhead", () => {
    expect(headerColumns(["1", "Xây dựng kế hoạch", "Kế hoạch", "Sở Nội vụ", "Quý I/2021"])).toBeNull();
    expect(headerColumns(["ỦY BAN NHÂN DÂN TỈNH X", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])).toBeNull();
  });

  it("no recognisable header → null", () => {
    expect(
      rowsFromTable(
        [
          ["a", "b"],
          ["1", "Xây dựng kế hoạch"],
        ],
        {},
      ),
    ).toBeNull();
    expect(rowsFromTable([], {})).toBeNull();
  });
});

describe("markers and cells", () => {
  it("reads markers and headings", () => {
    expect(parseMarker("IV")?.kind).toBe("roman");
    expect(parseMarker("1.2")?.kind).toBe("num2");
    expect(parseMarker("a)")?.kind).toBe("lower");
    expect(parseMarker("Kế hoạch")).toBeNull();
    expect(parseHeading("III Cải cách thủ tục hành chính")).toMatchObject({
      marker: { printed: "III" },
      title: "Cải cách thủ tục hành chính",
    });
    expect(parseHeading("100% văn bản")).toBeNull();
  });

  it("strips tags, entities and stray whitespace", () => {
    expect(cleanCell("  <b>Cải cách\n  thể chế</b> ")).toEqual({ text: "Cải cách thể chế", bold: true });
    expect(cleanCell("Sở TT&amp;TT")).toEqual({ text: "Sở TT&TT", bold: false });
  });
});

describe("rowsFromTable", () => {
  it("reads tasks, skips repeated headers, nests group rows and keeps row numbers", () => {
    const cells = [
      HEADER,
      ["I", "<b>CẢI CÁCH THỂ CHẾ</b>", "", "", "", ""],
      ["1", "Rà soát văn bản QPPL", "Báo cáo", "Sở Tư pháp", "Các sở", "Quý I/2021"],
      HEADER,
      ["2", "Theo dõi thi hành pháp luật", "Kế hoạch", "Sở Tư pháp", "", "Tháng 12/2020"],
      ["<b>II Cải cách thủ tục hành chính</b>", "", "", "", "", ""],
      ["a)", "Kiểm soát TTHC"],
      ["1", "Kế hoạch kiểm soát TTHC", "Kế hoạch", "VP UBND tỉnh", "", "Quý I"],
      ["b)", "Một cửa"],
      ["1", "Một cửa liên thông", "", "VP UBND tỉnh", "", "Thường xuyên"],
    ];
    const result = rowsFromTable(cells, { rowNumbers: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19] })!;
    expect(result.warnings).toEqual([]);
    expect(result.rows).toEqual([
      {
        row: 12,
        section: ["I. CẢI CÁCH THỂ CHẾ"],
        stt: "1",
        content: "Rà soát văn bản QPPL",
        product: "Báo cáo",
        lead: "Sở Tư pháp",
        coordinating: "Các sở",
        deadline: "Quý I/2021",
      },
      {
        row: 14,
        section: ["I. CẢI CÁCH THỂ CHẾ"],
        stt: "2",
        content: "Theo dõi thi hành pháp luật",
        product: "Kế hoạch",
        lead: "Sở Tư pháp",
        deadline: "Tháng 12/2020",
      },
      {
        row: 17,
        section: ["II. Cải cách thủ tục hành chính", "a) Kiểm soát TTHC"],
        stt: "1",
        content: "Kế hoạch kiểm soát TTHC",
        product: "Kế hoạch",
        lead: "VP UBND tỉnh",
        deadline: "Quý I",
      },
      {
        row: 19,
        section: ["II. Cải cách thủ tục hành chính", "b) Một cửa"],
        stt: "1",
        content: "Một cửa liên thông",
        lead: "VP UBND tỉnh",
        deadline: "Thường xuyên",
      },
    ]);
  });

  it("header in another order; a group row with empty cells everywhere but the first two", () => {
    const cells = [
      ["Thời gian", "Cơ quan chủ trì", "STT", "Nhiệm vụ", "Kết quả"],
      ["", "", "1", "Công tác chỉ đạo", ""],
      ["Quý II", "Sở Nội vụ", "1.1", "Kiểm tra CCHC", "Báo cáo"],
      // A merged heading row: marker and title in the first two cells, whatever the columns.
      ["2", "<b>Công tác tuyên truyền</b>", "", "", ""],
      ["Năm 2024", "Sở Nội vụ", "2.1", "Cuộc thi tìm hiểu CCHC", ""],
    ];
    const { rows, warnings } = rowsFromTable(cells, {})!;
    expect(warnings).toEqual([]);
    expect(rows).toEqual([
      {
        row: 3,
        section: ["1. Công tác chỉ đạo"],
        stt: "1.1",
        content: "Kiểm tra CCHC",
        product: "Báo cáo",
        lead: "Sở Nội vụ",
        deadline: "Quý II",
      },
      {
        row: 5,
        section: ["2. Công tác tuyên truyền"],
        stt: "2.1",
        content: "Cuộc thi tìm hiểu CCHC",
        lead: "Sở Nội vụ",
        deadline: "Năm 2024",
      },
    ]);
  });

  it("`-` sub-rows: own lead/deadline → own task under the parent; otherwise merged into the task above", () => {
    const cells = [
      HEADER,
      ["1", "Rà soát thủ tục hành chính", "Báo cáo", "VP UBND tỉnh", "", "Quý II"],
      ["", "- Lĩnh vực đất đai", "", "Sở TN&MT", "", "Quý II"],
      ["", "- Lĩnh vực xây dựng", "", "", "", "Quý III"],
      ["2", "Tập huấn kiểm soát TTHC", "Hội nghị", "VP UBND tỉnh", "", "Quý I"],
      ["", "- cho cán bộ đầu mối cấp xã", "", "", "", ""],
    ];
    const { rows, warnings } = rowsFromTable(cells, { section: ["III. NHIỆM VỤ"] })!;
    expect(warnings).toEqual([]);
    expect(rows.map((r) => [r.stt, r.content, r.lead, r.deadline, r.section])).toEqual([
      ["1", "Rà soát thủ tục hành chính", "VP UBND tỉnh", "Quý II", ["III. NHIỆM VỤ"]],
      [undefined, "- Lĩnh vực đất đai", "Sở TN&MT", "Quý II", ["III. NHIỆM VỤ", "1. Rà soát thủ tục hành chính"]],
      [undefined, "- Lĩnh vực xây dựng", undefined, "Quý III", ["III. NHIỆM VỤ", "1. Rà soát thủ tục hành chính"]],
      ["2", "Tập huấn kiểm soát TTHC - cho cán bộ đầu mối cấp xã", "VP UBND tỉnh", "Quý I", ["III. NHIỆM VỤ"]],
    ]);
  });

  it("a parent with only content is a group; its `-` sub-rows are tasks under it", () => {
    const cells = [HEADER, ["3", "Thực hiện các nội dung sau:"], ["", "- Cập nhật CSDL", "", "Sở Tư pháp", "", "Quý IV"]];
    const { rows } = rowsFromTable(cells, {})!;
    expect(rows).toEqual([
      { row: 3, section: ["3. Thực hiện các nội dung sau:"], content: "- Cập nhật CSDL", lead: "Sở Tư pháp", deadline: "Quý IV" },
    ]);
  });

  it("never drops a non-empty row silently; the document's head and its signature block are no rows", () => {
    const cells = [
      ["KẾ HOẠCH CCHC NĂM 2024"],
      ["1", "Dòng đánh số nằm trên tiêu đề", "Sở Nội vụ"],
      HEADER,
      ["I", "Cải cách thể chế"],
      ["II", "Cải cách TTHC"],
      ["1", "Kiểm soát TTHC", "", "VP UBND", "", "Quý I"],
      ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
      ["", "Nguyễn Văn A"],
      ["2", "", "Báo cáo", "Sở Nội vụ", "", ""],
      ["", "ghi thêm ở đây"],
      ["", "", "", "", "", ""],
    ];
    const { rows, warnings } = rowsFromTable(cells, {})!;
    expect(rows).toHaveLength(1);
    // The title above the header is the plan's (meta.ts reads it); a numbered row there is reported.
    // The signature block (and the signer's name under it) closes the document; a row after it is read again.
    expect(warnings.map((w) => [w.row, w.text])).toEqual([
      [2, "1 | Dòng đánh số nằm trên tiêu đề | Sở Nội vụ"],
      [4, "I | Cải cách thể chế"],
      [9, "2 | Báo cáo | Sở Nội vụ"],
      [10, "ghi thêm ở đây"],
    ]);
    for (const w of warnings) expect(w.message).toMatch(/\p{L}/u);
  });
});
