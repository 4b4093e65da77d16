import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPlanMeta, titleYears } from "../../src/import/meta.ts";

const plan = (name: string) => readFileSync(new URL(`../../../shared/plans/${name}`, import.meta.url), "utf8");

describe("readPlanMeta on the real plans", () => {
  it("Kiên Giang: letterhead split over lines, own number not the ones cited in the body", () => {
    expect(readPlanMeta(plan("kien-giang-2021.txt"))).toEqual({
      number: "189/KH-UBND",
      issuer: "UBND tỉnh Kiên Giang",
      signed: "2020-12-30",
      title: "KẾ HOẠCH CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM 2021",
      year: 2021,
      period: null,
    });
  });

  it("Bến Tre: no letterhead in the scrape, number/date/issuer from the appendix caption", () => {
    expect(readPlanMeta(plan("ben-tre-2021.md"))).toEqual({
      number: "7018/KH-UBND",
      issuer: "UBND tỉnh Bến Tre",
      signed: "2020-12-29",
      title: "KẾ HOẠCH Công tác cải cách hành chính năm 2021",
      year: 2021,
      period: null,
    });
  });

  it("Quảng Ngãi: a decision issuing a plan takes the plan's title; year is the plan's, not the signing year", () => {
    expect(readPlanMeta(plan("quang-ngai-2022.txt"))).toEqual({
      number: "2108/QĐ-UBND",
      issuer: "UBND tỉnh Quảng Ngãi",
      signed: "2021-12-23",
      title: "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2022 TỈNH QUẢNG NGÃI",
      year: 2022,
      period: null,
    });
  });

  it("Cà Mau: letterhead lost the province, title from the scrape's first line", () => {
    expect(readPlanMeta(plan("ca-mau-2025.txt"))).toEqual({
      number: "126/KH-UBND",
      issuer: "UBND tỉnh Cà Mau",
      signed: "2025-05-05",
      title:
        "Kế hoạch cải thiện Chỉ số cải cách hành chính, Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước năm 2025 của tỉnh Cà Mau",
      year: 2025,
      period: null,
    });
  });
});

describe("readPlanMeta on synthetic headers", () => {
  it("a city plan with a multi-part number and a decision title that issues no plan", () => {
    const text = [
      "ỦY BAN NHÂN DÂN",
      "THÀNH PHỐ CẦN THƠ",
      "Số: 12/2024/QĐ-UBND",
      "Cần Thơ, ngày 5 tháng 1 năm 2024",
      "QUYẾT ĐỊNH",
      "VỀ VIỆC PHÂN CÔNG NHIỆM VỤ",
      "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ",
      "Căn cứ Quyết định số 99/QĐ-TTg ngày 01 tháng 02 năm 2020;",
    ].join("\n");
    expect(readPlanMeta(text)).toEqual({
      number: "12/2024/QĐ-UBND",
      issuer: "UBND thành phố Cần Thơ",
      signed: "2024-01-05",
      title: "QUYẾT ĐỊNH VỀ VIỆC PHÂN CÔNG NHIỆM VỤ",
      year: null,
      period: null,
    });
  });

  it("a decision whose plan title is not in the text: derived from 'Ban hành Kế hoạch …'", () => {
    const text = [
      "ỦY BAN NHÂN DÂN TỈNH AN GIANG",
      "Số: 77/QĐ-UBND",
      "An Giang, ngày 28 tháng 12 năm 2023",
      "QUYẾT ĐỊNH",
      "Ban hành Kế hoạch cải cách hành chính năm 2024".toUpperCase(),
      "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG",
      "Căn cứ …",
    ].join("\n");
    const meta = readPlanMeta(text);
    expect(meta.title).toBe("KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2024");
    expect(meta.year).toBe(2024);
    expect(meta.signed).toBe("2023-12-28");
  });

  it("nothing recognisable: nulls, never a number cited in the body", () => {
    const meta = readPlanMeta("Thực hiện Công văn số 6459/BNV-CCHC ngày 07 tháng 12 năm 2020 của Bộ Nội vụ.");
    expect(meta.number).toBeNull();
    expect(meta.issuer).toBeNull();
    expect(meta.signed).toBeNull();
    expect(meta.year).toBeNull();
  });
});

describe("a title whose subject starts like the body ('Thực hiện …', 'Triển khai …')", () => {
  const head = (...lines: string[]) => ["Bạc Liêu, ngày 27 tháng 12 năm 2024", "KẾ HOẠCH", ...lines].join("\n");

  it("is the title when it stands alone: the plan year is the title's, not the signing year", () => {
    for (const [subject, title] of [
      ["Thực hiện công tác cải cách hành chính năm 2025", "KẾ HOẠCH Thực hiện công tác cải cách hành chính năm 2025"],
      ["Triển khai Luật Đất đai năm 2025 trên địa bàn tỉnh", "KẾ HOẠCH Triển khai Luật Đất đai năm 2025 trên địa bàn tỉnh"],
    ]) {
      for (const text of [
        head(subject, "Số: 301/KH-UBND", "Căn cứ …"),
        head("", subject, "", "Thực hiện Nghị quyết số 76/NQ-CP …, UBND tỉnh ban hành Kế hoạch:"),
      ]) {
        expect(readPlanMeta(text)).toMatchObject({ title, year: 2025, signed: "2024-12-27" });
      }
    }
  });

  it("is the body when it runs on, ends with punctuation or is a legal basis", () => {
    const runsOn = head(
      "Thực hiện Quyết định số 411/QĐ-TTg ngày 31/3/2022 của Thủ tướng Chính phủ phê",
      "duyệt Chiến lược quốc gia phát triển kinh tế số và xã hội số đến năm 2025, định",
      "hướng đến năm 2030, Ủy ban nhân dân tỉnh ban hành Kế hoạch thực hiện trên địa",
      "bàn tỉnh như sau:",
    );
    // No title block is found (so no year from the body's "năm 2025"): the signing year will be used.
    for (const text of [
      runsOn,
      head("Thực hiện Nghị quyết số 76/NQ-CP, UBND tỉnh ban hành kế hoạch như sau:"),
      head("Căn cứ Luật Tổ chức chính quyền địa phương năm 2025"),
    ]) {
      expect(readPlanMeta(text)).toMatchObject({ title: "", year: null });
    }
  });

  it("a subject in sentence case may wrap onto a line in lower case", () => {
    expect(readPlanMeta(head("Cải cách hành chính nhà nước", "năm 2026", "", "Căn cứ …")).title).toBe(
      "KẾ HOẠCH Cải cách hành chính nhà nước năm 2026",
    );
  });
});

describe("the title's years: a yearly plan within the span of what it carries out", () => {
  it("a title that ends with its own year after the span of a programme is a yearly plan", () => {
    const title =
      "KẾ HOẠCH Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư giai đoạn 2022 - 2025, " +
      "tầm nhìn đến năm 2030 trên địa bàn tỉnh năm 2024";
    expect(titleYears(title, "2024-02-05")).toEqual({ year: 2024, period: null });
    expect(titleYears("KẾ HOẠCH thực hiện Chiến lược … đến năm 2030 năm 2025", "2024-12-20")).toEqual({ year: 2025, period: null });
  });

  it("the span is the plan's own when no year closes the title, or the closing year lies outside it", () => {
    expect(titleYears("KẾ HOẠCH PHÁT TRIỂN KINH TẾ SỐ GIAI ĐOẠN 2026 - 2030", null)).toEqual({
      year: 2026,
      period: { first: 2026, last: 2030 },
    });
    expect(titleYears("Kế hoạch năm 2025, định hướng đến năm 2030", null)).toEqual({ year: 2025, period: { first: 2025, last: 2030 } });
    expect(titleYears("KẾ HOẠCH … ĐẾN NĂM 2030", "2024-11-20")).toEqual({ year: 2024, period: { first: 2024, last: 2030 } });
    expect(titleYears("Kế hoạch giai đoạn 2021 - 2025 năm 2026", null)).toEqual({ year: 2021, period: { first: 2021, last: 2025 } });
  });
});

describe("a spreadsheet's head: one cell a line", () => {
  it("the caption on the appendix's own line ('PHỤ LỤC NHIỆM VỤ … NĂM 2025', a merged cell) is the title", () => {
    const meta = readPlanMeta(
      [
        "UBND TỈNH ĐẮK LẮK",
        "PHỤ LỤC NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025",
        "(Kèm theo Kế hoạch số 12/KH-UBND ngày 08/01/2025 của UBND tỉnh Đắk Lắk)",
      ].join("\n"),
    );
    expect(meta).toMatchObject({ title: "NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2025", year: 2025, number: "12/KH-UBND", signed: "2025-01-08" });
    expect(readPlanMeta("PHỤ LỤC II: DANH MỤC NHIỆM VỤ NĂM 2024\nSTT\tNội dung\tChủ trì").title).toBe("DANH MỤC NHIỆM VỤ NĂM 2024");
    expect(readPlanMeta("PHỤ LỤC I\nDANH MỤC NHIỆM VỤ NĂM 2024\nSTT\tNội dung\tChủ trì").title).toBe("DANH MỤC NHIỆM VỤ NĂM 2024");
  });

  it("the number and its date in one cell: 'Số: 55/KH-UBND ngày 09/01/2025'", () => {
    for (const line of ["Số: 55/KH-UBND ngày 09/01/2025", "Số 55/KH-UBND, ngày 09 tháng 01 năm 2025", "Số: 55/KH-UBND ký ngày 9-1-2025"]) {
      expect(readPlanMeta(`KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM 2025\n${line}`), line).toMatchObject({
        number: "55/KH-UBND",
        signed: "2025-01-09",
      });
    }
    // A number cited in the body ("… Kế hoạch số …") is not the plan's.
    expect(readPlanMeta("Thực hiện Kế hoạch số 55/KH-UBND ngày 09/01/2025 của UBND tỉnh").signed).toBeNull();
  });
});
