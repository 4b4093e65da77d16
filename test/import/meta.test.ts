import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readPlanMeta } from "../../src/import/meta.ts";

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
