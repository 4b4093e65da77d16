import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { chartSize, chartSvg, digestChart } from "../../src/digest/chart.ts";
import { computeDigest, periodOf, STATES } from "../../src/digest/figures.ts";
import { COMPLETION_BASIS, detailText, STATE_NAMES, summaryText } from "../../src/digest/text.ts";
import { digestWorkbook, reportFileName, SUMMARY_SHEET, TASK_COLUMNS, TASK_SHEET } from "../../src/digest/xlsx.ts";
import { calendar, kienGiang } from "./fixtures.ts";
import { decodePng, PNG_SIGNATURE } from "./png.ts";

async function q2() {
  const s = await kienGiang();
  return computeDigest(s.input(), periodOf("quy 2", 2021), "2021-06-30", calendar);
}

async function readBack(buffer: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

describe("the .xlsx report, read back cell by cell (Kiên Giang, Quý II/2021 as of 30/06)", () => {
  it("has a summary sheet with the hand-counted figures", async () => {
    const d = await q2();
    const wb = await readBack(await digestWorkbook(d));
    expect(wb.worksheets.map((w) => w.name)).toEqual([SUMMARY_SHEET, TASK_SHEET]);
    const s = wb.getWorksheet(SUMMARY_SHEET)!;
    expect(s.getCell("A1").value).toBe("BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH");
    expect(s.getCell("A1").font?.bold).toBe(true);
    expect(s.getCell("A2").value).toBe("Kỳ báo cáo: Quý II/2021 (01/04–30/06/2021)");
    expect(s.getCell("A3").value).toBe("Số liệu tính đến ngày: 30/06/2021");
    expect(s.getCell("A4").value).toBe("Phạm vi: Toàn tỉnh");
    expect(
      [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16].map((r) => [s.getCell(r, 1).value, s.getCell(r, 2).value, s.getCell(r, 3).value]),
    ).toEqual([
      ["Chỉ tiêu", "Số lượng", "Tỷ lệ trên tổng số nhiệm vụ (%)"],
      ["Tổng số nhiệm vụ", 15, 100],
      ["Hoàn thành đúng hạn", 2, 13.3],
      ["Hoàn thành quá hạn", 3, 20],
      ["Chưa hoàn thành – trong hạn", 1, 6.7],
      ["Chưa hoàn thành – quá hạn", 8, 53.3],
      ["Thường xuyên – đã báo cáo", 0, 0],
      ["Thường xuyên – chưa báo cáo", 0, 0],
      ["Chờ điều kiện", 1, 6.7],
      [`Tỷ lệ hoàn thành (%) = ${COMPLETION_BASIS}`, null, 35.7],
      ["Trong số chưa hoàn thành: đã đạt tiến độ 100%, chờ báo hoàn thành", 0, null],
    ]);
    expect(s.getRow(6).font?.bold).toBe(true);
    expect(s.getCell("A18").value).toBe("THEO CƠ QUAN");
    expect((s.getRow(19).values as unknown[]).slice(1)).toEqual([
      "Cơ quan",
      "Số nhiệm vụ",
      ...STATES.map((k) => STATE_NAMES[k]),
      "Tỷ lệ hoàn thành (%)",
    ]);
    // Sở Nội vụ first (4 overdue): 5 tasks, 1 open on time, 4 overdue, 0% done.
    expect((s.getRow(20).values as unknown[]).slice(1)).toEqual(["Sở Nội vụ", 5, 0, 0, 1, 4, 0, 0, 0, 0]);
    expect((s.getRow(23).values as unknown[]).slice(1)).toEqual(["Văn phòng UBND tỉnh", 3, 0, 2, 0, 1, 0, 0, 0, 66.7]);
    // The agency without dated work has an empty completion cell.
    expect((s.getRow(26).values as unknown[]).slice(1, 10)).toEqual([
      "Cơ quan chủ quản của đơn vị sự nghiệp công lập",
      1,
      0,
      0,
      0,
      0,
      0,
      0,
      1,
    ]);
    expect(s.getCell(26, 10).value).toBeNull();
    expect(s.getCell("A28").value).toBe("THEO LĨNH VỰC");
    expect((s.getRow(30).values as unknown[]).slice(1)).toEqual(["Chỉ đạo, điều hành", 3, 0, 0, 1, 2, 0, 0, 0, 0]);
    expect((s.getRow(34).values as unknown[]).slice(1)).toEqual(["Cải cách tài chính công", 3, 2, 0, 0, 0, 0, 0, 1, 100]);
    expect(s.getColumn(1).width).toBe(42);
  });

  it("has a task sheet with exactly the report's columns, one row per task, agreeing with the totals", async () => {
    const d = await q2();
    const t = (await readBack(await digestWorkbook(d))).getWorksheet(TASK_SHEET)!;
    const headers = [
      "STT",
      "Nhiệm vụ",
      "Cơ quan chủ trì",
      "Cơ quan phối hợp",
      "Thời hạn",
      "Tình trạng",
      "Tiến độ (%)",
      "Sản phẩm / văn bản kiểm chứng",
      "Ghi chú",
    ];
    expect((t.getRow(1).values as unknown[]).slice(1)).toEqual(headers);
    for (let c = 1; c <= headers.length; c++) {
      expect(t.getCell(1, c).font?.bold, headers[c - 1]).toBe(true);
      expect(t.getColumn(c).width, headers[c - 1]).toBe(TASK_COLUMNS[c - 1].width);
    }
    expect(t.rowCount).toBe(1 + 15);
    expect(t.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    // Row by row in plan order: A3 A6 A8 A9 A10 A11 A14 A15 A16 A20 A21 A22 A26 A29 A31.
    const codes = Array.from({ length: 15 }, (_, i) => String(t.getCell(i + 2, 9).value).split("\n")[0]);
    expect(codes).toEqual(
      ["A3", "A6", "A8", "A9", "A10", "A11", "A14", "A15", "A16", "A20", "A21", "A22", "A26", "A29", "A31"].map((c) => `Mã ${c}`),
    );
    // The Tình trạng column counts the same as the summary.
    const status = Array.from({ length: 15 }, (_, i) => t.getCell(i + 2, 6).value as string);
    for (const state of STATES) expect(status.filter((x) => x === STATE_NAMES[state]).length, state).toBe(d.totals[state]);

    const row = (code: string) => t.getRow(2 + codes.indexOf(`Mã ${code}`));
    const cells = (code: string) => (row(code).values as unknown[]).slice(1);
    const a3 = d.rows.find((r) => r.task.code === "A3")!.task;
    expect(cells("A3")).toEqual([
      1,
      a3.content,
      "Sở Tư pháp",
      a3.coordinating || null,
      "Tháng 01/2021",
      "Chưa hoàn thành – quá hạn",
      0,
      a3.product || null,
      "Mã A3\ntrễ 100 ngày làm việc (hạn 31/01/2021)",
    ]);
    const a14 = d.rows.find((r) => r.task.code === "A14")!.task;
    expect(cells("A14").slice(2, 9)).toEqual([
      "Sở Tài chính",
      a14.coordinating || null,
      "Quý I/2021; gia hạn đến 31/05/2021",
      "Hoàn thành đúng hạn",
      100,
      [a14.product, "14/KH-UBND ngày 25/05/2021"].filter(Boolean).join("\n"),
      "Mã A14",
    ]);
    expect(cells("A22")[5]).toBe("Chưa hoàn thành – quá hạn");
    expect(cells("A22")[8]).toBe("Mã A22\ntrễ 62 ngày làm việc (hạn 31/03/2021)\nvướng mắc: Chờ ý kiến thẩm định của Sở Tài chính");
    expect(cells("A15").slice(4, 7)).toEqual(["Theo giai đoạn ổn định", "Chờ điều kiện", 0]);
    expect(cells("A31").slice(5, 7)).toEqual(["Chưa hoàn thành – trong hạn", 0]);
    expect(cells("A31")[8]).toBe("Mã A31\nhạn 30/06/2021");
    expect(reportFileName(d)).toBe("tong-ket-cchc-quy-ii-2021.xlsx");
  });
});

describe("the chart (PNG)", () => {
  it("is a valid PNG of the announced size, with the bars' colours where they belong", async () => {
    const d = await q2();
    const chart = await digestChart(d);
    expect(chart.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // IHDR is the first chunk: width and height at bytes 16–23.
    expect([chart.png.readUInt32BE(16), chart.png.readUInt32BE(20)]).toEqual([chart.width, chart.height]);
    expect(chartSize(7)).toEqual({ width: 1000, height: 124 + 7 * 30 + 44 });
    expect([chart.width, chart.height]).toEqual([1000, 378]);
    const img = decodePng(chart.png);
    expect([img.width, img.height]).toEqual([1000, 378]);
    // Best completion first: Sở KH&CN, Sở Tài chính (100%), VP UBND (67%), Sở TT&TT, Sở Tư pháp, Sở Nội vụ, Cơ quan chủ quản.
    expect(chart.rows.map((r) => r.label)).toEqual([
      "Sở Khoa học và Công nghệ",
      "Sở Tài chính",
      "Văn phòng UBND tỉnh",
      "Sở Thông tin và Truyền thông",
      "Sở Tư pháp",
      "Sở Nội vụ",
      "Cơ quan chủ quản của đơn vị sự nghiệp công lập",
    ]);
    const at = (row: number, fraction: number) => img.pixel(Math.round(350 + 520 * fraction), 124 + row * 30 + 9).slice(0, 3);
    expect(at(0, 0.5)).toEqual([0x2e, 0x7d, 0x32]); // 100% on time: green
    expect(at(2, 0.3)).toEqual([0x9c, 0xcc, 0x65]); // VP UBND: 2/3 done late…
    expect(at(2, 0.9)).toEqual([0xd3, 0x2f, 0x2f]); // …1/3 overdue
    expect(at(5, 0.1)).toEqual([0xb0, 0xbe, 0xc5]); // Sở Nội vụ: 1/5 open on time…
    expect(at(5, 0.6)).toEqual([0xd3, 0x2f, 0x2f]); // …4/5 overdue
    expect(img.pixel(5, 5).slice(0, 3)).toEqual([255, 255, 255]);
  });

  it("writes its Vietnamese labels as text (escaped), drawn with a bundled font", async () => {
    const svg = chartSvg("Tỷ lệ hoàn thành — Quý II/2021", "Toàn tỉnh", [{ label: "Sở VH,TT&DL <thử>", counters: (await q2()).totals }]);
    expect(svg).toContain("Sở VH,TT&amp;DL &lt;thử&gt;");
    expect(svg).toContain('font-family="DejaVu Sans"');
    expect((await digestChart({ ...(await q2()), byAgency: [] })).height).toBe(chartSize(0).height);
  });
});

describe("the text", () => {
  it("summary fits one phone screen and agrees with the figures", async () => {
    const d = await q2();
    const text = summaryText(d, { more: "/tongket q2/2021 chitiet" });
    expect(text).toBe(
      [
        "📊 TỔNG KẾT CCHC — Quý II/2021 (01/04–30/06/2021)",
        "Toàn tỉnh · số liệu đến 30/06/2021",
        "Tổng số nhiệm vụ: 15 · tỷ lệ hoàn thành 36% (5/14)",
        "✅ Hoàn thành: 5 — đúng hạn 2, quá hạn 3",
        "⏳ Chưa hoàn thành: 9 — trong hạn 1, quá hạn 8",
        "⏸ Chờ điều kiện: 1",
        "🔴 Quá hạn nhiều nhất: Sở Nội vụ (4), Sở Thông tin và Truyền thông (2), Sở Tư pháp (1)",
        "⚠️ Vướng mắc trong kỳ: 1",
        "Xem chi tiết: /tongket q2/2021 chitiet",
      ].join("\n"),
    );
    expect(text.split("\n").length).toBeLessThanOrEqual(12);
  });

  it("detail lists agencies, areas, overdue items with days late, blockers and extensions", async () => {
    const d = await q2();
    const text = detailText(d);
    expect(text).toContain("1. Sở Nội vụ: 5 nhiệm vụ · hoàn thành 0% (0/5) · quá hạn 4");
    expect(text).toContain("• A3 — Sở Tư pháp — hạn 31/01/2021, trễ 100 ngày làm việc — ");
    expect(text).toContain("• A22 — Sở Thông tin và Truyền thông (10/05/2021): «Chờ ý kiến thẩm định của Sở Tài chính»");
    expect(text).toContain("GIA HẠN ĐÃ DUYỆT TRONG KỲ (0):");
    const q1 = computeDigest((await kienGiang()).input(), periodOf("quy 1", 2021), "2021-03-31", calendar);
    expect(detailText(q1)).toContain("• A24 — Sở Khoa học và Công nghệ: 31/03/2021 → 31/07/2021");
  });
});
