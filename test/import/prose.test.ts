import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readProse } from "../../src/import/prose.ts";
import type { RawPlan, RawTaskRow } from "../../src/import/types.ts";

const plan = (name: string) => readFileSync(new URL(`../../../shared/plans/${name}`, import.meta.url), "utf8");

function rowAt(p: RawPlan, row: number): RawTaskRow {
  const found = p.rows.find((r) => r.row === row);
  if (!found) throw new Error(`no row at line ${row}`);
  return found;
}

/** Field-by-field check: content by its start, every other field exactly (absent = undefined). */
function expectRow(
  r: RawTaskRow,
  want: { content: string; section: string; stt?: string; lead?: string; coordinating?: string; product?: string; deadline?: string },
) {
  expect(r.content.startsWith(want.content), `content of line ${r.row}: ${r.content}`).toBe(true);
  expect(r.section.at(-1)).toBe(want.section);
  expect(r.stt).toBe(want.stt);
  expect(r.lead).toBe(want.lead);
  if ("coordinating" in want) expect(r.coordinating).toBe(want.coordinating);
  expect(r.product).toBe(want.product);
  expect(r.deadline).toBe(want.deadline);
}

describe("readProse — Quảng Ngãi 2022 (lettered items with label lines)", () => {
  const p = readProse(plan("quang-ngai-2022.txt"))!;
  const II = "II. NHIỆM VỤ CỤ THỂ VÀ TRÁCH NHIỆM CỦA CÁC SỞ, BAN, NGÀNH, ĐỊA PHƯƠNG";

  it("finds every lettered item of part II", () => {
    // Counted by hand in part II (lines 86–910), the letters of each numbered heading:
    //   1. Cải cách thể chế            a b c d đ e g h i k          = 10
    //   2. Cải cách TTHC               a b c d đ e g h i k l m n o p = 15
    //   3. Cải cách tổ chức bộ máy     a b c d đ e g                = 7
    //   4. Cải cách chế độ công vụ     a b c d đ e g h              = 8
    //   5. Cải cách tài chính công     a b c d đ e                  = 6
    //   6. Chính quyền điện tử         a b c d đ e g h              = 8
    //   7. PAR INDEX, PAPI, PCI        a b c d đ e g                = 7
    //   7. Chỉ đạo, điều hành (numbered 7 again in the source) a b c d đ = 5
    // 10 + 15 + 7 + 8 + 6 + 8 + 7 + 5 = 66. Every one has lead, partners, product and deadline.
    expect(p.rows).toHaveLength(66);
    for (const r of p.rows) {
      expect(r.section[0]).toBe(II);
      expect(r.lead && r.coordinating && r.product && r.deadline, `line ${r.row}`).toBeTruthy();
    }
    expect(p.meta.number).toBe("2108/QĐ-UBND");
  });

  it("reads one item of every section field by field", () => {
    expectRow(rowAt(p, 91), {
      stt: "a",
      section: "1. Cải cách thể chế",
      content: "Tham mưu triển khai thực hiện có hiệu quả, đồng bộ và nghiêm túc các quy định của Luật Ban hành văn bản",
      lead: "Sở Tư pháp",
      coordinating: "Các sở, ban, ngành; UBND cấp huyện",
      product: "Các văn bản chỉ đạo của UBND tỉnh; hướng dẫn của Sở Tư pháp",
      deadline: "Quý I năm 2022",
    });
    expect(rowAt(p, 91).content).toBe(
      "Tham mưu triển khai thực hiện có hiệu quả, đồng bộ và nghiêm túc các quy định của Luật Ban hành văn bản quy phạm pháp luật ngày 22/6/2015 và Luật sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp luật ngày 18/6/2020 trên địa bàn tỉnh.",
    );
    expectRow(rowAt(p, 229), {
      stt: "b",
      section: "2. Cải cách thủ tục hành chính (TTHC)",
      content: "Kiểm soát chặt chẽ việc ban hành các quy định TTHC",
      lead: "Văn phòng UBND tỉnh, Sở Tư pháp",
      product: "Văn bản góp ý kiến về TTHC; Báo cáo thẩm định",
      deadline: "Thường xuyên trong năm",
    });
    expectRow(rowAt(p, 469), {
      stt: "đ",
      section: "3. Cải cách tổ chức bộ máy",
      content: "Rà soát, sắp sắp xếp các tổ chức tư vấn phối hợp liên ngành",
      lead: "Sở Nội vụ, UBND cấp huyện",
      coordinating: "Các Sở, ban, ngành; các cơ quan liên quan",
      product: "Quyết định phê duyệt của UBND tỉnh, UBND cấp huyện",
      deadline: "Quý II năm 2022",
    });
    // Label variant "Cơ quan chủ trì tham mưu thực hiện:" with its value on the next line.
    expectRow(rowAt(p, 529), {
      stt: "c",
      section: "4. Cải cách chế độ công vụ",
      content: "Xây dựng, tham mưu ban hành và triển khai thực hiện kế hoạch thi tuyển công chức",
      lead: "Sở Nội vụ",
      product: "Các kế hoạch và quyết định của cấp có thẩm quyền",
      deadline: "Quý I, Quý II năm 2022",
    });
    expectRow(rowAt(p, 642), {
      stt: "d",
      section: "5. Cải cách tài chính công",
      content: "Xây dựng Đề án thí điểm cơ chế đặt hàng",
      lead: "Sở Tài chính",
      product: "Quyết định phê duyệt của UBND tỉnh và triển khai thực hiện",
      deadline: "Quý II năm 2022 ban hành quyết định phê duyệt",
    });
    expectRow(rowAt(p, 738), {
      stt: "e",
      section: "6. Xây dựng và phát triển chính quyền điện tử hướng đến chính quyền số",
      content: "Lập dự án “Xây dựng, chuyển đổi áp dụng Hệ thống quản lý chất lượng",
      lead: "Sở Khoa học và Công nghệ",
      coordinating: "Các Sở: Nội vụ, Thông tin và Truyền thông, Kế hoạch và Đầu tư, Tài chính; UBND cấp huyện; UBND cấp xã",
      product: "Dự án được phê duyệt và triển thực hiện",
      deadline: "Quý II năm 2022 lập và trình phê duyệt dự án; định kỳ báo cáo kết quả thực hiện",
    });
    // "-Thời gian thực hiện:" printed without a space after the dash.
    expectRow(rowAt(p, 824), {
      stt: "đ",
      section:
        "7. Nâng cao chỉ số cải cách hành chính (PAR INDEX); chỉ số hiệu quả quản trị và hành chính công (PAPI); chỉ số năng lực cạnh tranh cấp tỉnh (PCI)",
      content: "Hỗ trợ tư vấn, hướng dẫn hồ sơ, thủ tục thành lập doanh nghiệp",
      lead: "Sở Kế hoạch và Đầu tư",
      product:
        "Tư vấn, hướng dẫn, hỗ trợ các nội dung theo quy định của pháp luật cho doanh nghiệp; miễn lệ phí đăng ký doanh nghiệp theo quy định",
      deadline: "Thường xuyên trong năm",
    });
    expectRow(rowAt(p, 902), {
      stt: "đ",
      section: "7. Công tác chỉ đạo, điều hành cải cách hành chính",
      content: "Xây dựng Kế hoạch CCHC năm 2023 của tỉnh Quảng Ngãi",
      lead: "Sở Nội vụ",
      coordinating: "Các sở, ban, ngành, UBND cấp huyện",
      product: "Quyết định của Chủ tịch UBND tỉnh ban hành kế hoạch",
      deadline: "Quý IV năm 2022",
    });
  });

  it("keeps a label's “+” sub-lines and a sentence that wrapped after a full stop", () => {
    const e = rowAt(p, 288);
    expect(e.coordinating).toMatch(/^\+ Văn phòng UBND tỉnh kiểm soát chất lượng .*\+ Sở Thông tin và Truyền thông .*\+ UBND cấp huyện /);
    const o = rowAt(p, 400);
    expect(o.lead).toBe("Văn phòng UBND tỉnh; các sở, ban, ngành; UBND cấp huyện; UBND cấp xã");
    expect(o.product).toMatch(/kiến nghị\. Kết quả xử lý phản ánh, kiến nghị được đăng tải công khai/);
  });

  it("does not turn the decision, the aims or the closing section into rows, but reports the closing items", () => {
    expect(p.rows.every((r) => r.row >= 86 && r.row < 911)).toBe(true);
    expect(p.warnings.map((w) => w.row)).toEqual([913, 923, 926, 929]);
  });
});

describe("readProse — Cà Mau 2025 (task parts with a responsibility part)", () => {
  const p = readProse(plan("ca-mau-2025.txt"))!;

  it("finds every bullet of every task part once, despite the repeated opening block", () => {
    // Counted by hand: bullets between each "a) Nhiệm vụ, giải pháp" and its "b) Trách nhiệm
    // thực hiện" (a bullet's "+" lines belong to it), first copy only — lines 38–66 repeat 9–37:
    //   1.1 (lines 29–36) 8 · 1.2 (70–76) 7 · 1.3 (82–88, 92) 8 · 1.4 (97–101) 5
    //   1.5 (106–111) 6 · 1.6 (116–120, 124) 6 · 1.7 (130–132, 136) 4 · 1.8 (142–143) 2
    //   2.1 (151–155) 5 · 2.2 (161–167) 7
    // 8+7+8+5+6+6+4+2+5+7 = 58 bullets; the plan gives them no product and no deadline.
    // Two more tasks: the numbered instructions of the (heading-less) "Tổ chức thực hiện"
    // part that end with their own deadline (lines 188, 189: "… chậm nhất ngày 15/5/2025.").
    expect(p.rows).toHaveLength(60);
    const contents = p.rows.map((r) => r.content);
    expect(new Set(contents).size).toBe(60);
    expect(p.rows.some((r) => r.row >= 38 && r.row <= 66)).toBe(false);
    const bullets = p.rows.filter((r) => r.row < 180);
    expect(bullets).toHaveLength(58);
    for (const r of bullets) {
      expect(r.lead, `line ${r.row}`).toBeTruthy();
      expect(r.product).toBeUndefined();
      expect(r.deadline).toBeUndefined();
    }
    expect(p.rows.filter((r) => r.row > 180).map((r) => [r.row, r.stt, r.deadline, r.lead, r.leadHint?.slice(0, 45)])).toEqual([
      [188, "2", "chậm nhất ngày 15/5/2025", undefined, "Căn cứ Kế hoạch này, các sở, ban, ngành tỉnh "],
      [189, "3", "chậm nhất ngày 19/5/2025", undefined, "Các đơn vị được giao chủ trì thực hiện một số"],
    ]);
    expect(p.warnings).toContainEqual(
      expect.objectContaining({ row: 38, message: expect.stringContaining("lặp lại nguyên văn dòng 9–37") }),
    );
  });

  it("applies each responsibility part's lead to its bullets, one sample per section", () => {
    const SIPAS = "2. Nâng cao Chỉ số hài lòng của người dân đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS)";
    const PAR = "1. Chỉ số Cải cách hành chính năm 2025";
    // The first copy of 1.1 gets its lead from the part that follows the repeated block.
    expectRow(rowAt(p, 29), {
      section: "1.1. Công tác chỉ đạo điều hành cải cách hành chính",
      content: "Triển khai đồng bộ, hiệu quả các nhiệm vụ, giải pháp nhằm thực hiện hiệu quả Quyết đinh số 985/QĐ-UBND",
      lead: "Sở Nội vụ",
      coordinating:
        "Các sở, ban, ngành tỉnh; Đài Phát thanh - Truyền hình Cà Mau; Báo Cà Mau; UBND cấp xã và các cơ quan, đơn vị có liên quan",
    });
    expect(rowAt(p, 29).section).toEqual([PAR, "1.1. Công tác chỉ đạo điều hành cải cách hành chính"]);
    expectRow(rowAt(p, 36), {
      section: "1.1. Công tác chỉ đạo điều hành cải cách hành chính",
      content: "Thường xuyên, định kỳ tổ chức tiếp xúc với doanh nghiệp",
      lead: "Sở Nội vụ",
    });
    // Headings 1.2, 1.4, 1.5, 1.6 were lost in the scrape: numbered by their neighbours, flagged.
    expectRow(rowAt(p, 70), {
      section: "1.2. (mất tiêu đề)",
      content: "Tiếp tục hoàn thiện hệ thống thể chế của tỉnh.",
      lead: "Sở Tư pháp",
      coordinating: "Các sở, ban, ngành tỉnh; UBND cấp xã và các cơ quan, đơn vị có liên quan",
    });
    expectRow(rowAt(p, 88), {
      section: "1.3. Cải cách thủ tục hành chính (TTHC)",
      content: "Tiếp tục triển khai thực hiện nghiêm túc, có hiệu quả Quyết định số 829/QĐ-UBND",
      lead: "Văn phòng UBND tỉnh",
    });
    expect(rowAt(p, 88).content).toMatch(/\+ Phấn đấu 100% hồ sơ .*\+ Tổ chức thực hiện .*\+ Thường xuyên theo dõi/);
    expectRow(rowAt(p, 97), { section: "1.4. (mất tiêu đề)", content: "Rà soát, quy định chức năng, nhiệm vụ", lead: "Sở Nội vụ" });
    expectRow(rowAt(p, 106), {
      section: "1.5. (mất tiêu đề)",
      content: "Thường xuyên rà soát, cập nhật và ban hành văn bản",
      lead: "Sở Nội vụ",
      coordinating: "Các sở, ban, ngành tỉnh; UBND cấp xã; các đơn vị sự nghiệp thuộc tỉnh và các cơ quan, đơn vị có liên quan",
    });
    expectRow(rowAt(p, 124), {
      section: "1.6. (mất tiêu đề)",
      content: "Tăng cường công tác thanh tra, kiểm tra, giám sát, xử lý vi phạm",
      lead: "Sở Tài chính",
      coordinating: "Các sở, ban, ngành tỉnh; UBND cấp xã; các đơn vị sự nghiệp công lập trên địa bàn tỉnh",
    });
    expectRow(rowAt(p, 132), {
      section: "1.7. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
      content: "Tổ chức duy trì, cập nhật Kiến trúc Chính quyền điện tử tỉnh Cà Mau",
      lead: "Sở Khoa học và Công nghệ, Trung tâm Giải quyết TTHC tỉnh",
    });
    expectRow(rowAt(p, 143), {
      section: "1.8. Việc thực hiện các chỉ tiêu phát triển kinh tế - xã hội của tỉnh",
      content: "Cải thiện thái độ giao tiếp và tinh thần phục vụ",
      lead: "Sở Tài chính, Văn phòng UBND tỉnh",
    });
    expectRow(rowAt(p, 151), {
      section: "2.1. Tiêu chí về xây dựng, tổ chức thực hiện chính sách",
      content: "Thực hiện đúng, đủ quy định về công khai, minh bạch",
      lead: "UBND các cấp",
      coordinating: "Các sở, ban, ngành tỉnh và các cơ quan, đơn vị có liên quan",
    });
    expect(rowAt(p, 151).section).toEqual([SIPAS, "2.1. Tiêu chí về xây dựng, tổ chức thực hiện chính sách"]);
    expectRow(rowAt(p, 167), {
      section: "2.2. Cung ứng dịch vụ hành chính công",
      content: "Thường xuyên kiểm tra, giám sát, xử lý nghiêm cán bộ",
      lead: "Trung tâm Giải quyết TTHC tỉnh; UBND cấp xã",
    });
  });

  it("reports what it skipped: lost headings, the appendix note, the assignments of part III", () => {
    const at = (row: number) => p.warnings.filter((w) => w.row === row);
    for (const row of [69, 96, 105, 115]) expect(at(row)[0]?.message).toMatch(/bị mất/);
    expect(at(147)[0]?.text).toMatch(/^\(Nhiệm vụ cụ thể được nêu tại Phụ lục/);
    // Part III (assignments per criterion) and the lost "Tổ chức thực hiện" part: not rows, reported.
    for (const row of [173, 174, 175, 176, 181, 185, 187, 191]) expect(at(row), `line ${row}`).toHaveLength(1);
    // Aims and requirements are not tasks and not worth a warning.
    expect(p.warnings.some((w) => w.row >= 16 && w.row <= 25)).toBe(false);
  });
});

describe("readProse — table plans are not prose plans", () => {
  it("returns null for Kiên Giang (| cells) and Bến Tre (tab rows)", () => {
    expect(readProse(plan("kien-giang-2021.txt"))).toBeNull();
    expect(readProse(plan("ben-tre-2021.md"))).toBeNull();
  });

  it("returns null for narrative bullets that merely mention who leads", () => {
    const text = [
      "II. NHIỆM VỤ TRỌNG TÂM",
      "- Sở Nội vụ chủ trì, phối hợp các sở thực hiện tốt công tác tuyên truyền: báo, đài, tờ rơi.",
      "- Chủ trì thực hiện việc kiểm tra, chấn chỉnh công tác phối hợp giữa các cơ quan: định kỳ hằng quý.",
      "Số TT\tNội dung\tKết quả\tThời gian thực hiện\tCơ quan chủ trì\tCơ quan phối hợp",
      "1\tXây dựng kế hoạch\tKế hoạch\tTháng 1/2021\tSở Nội vụ\tCác sở",
    ].join("\n");
    expect(readProse(text)).toBeNull();
  });
});

describe("readProse — synthetic plans of other provinces", () => {
  it("labelled items: other label wording, 1.1. numbering, a group item, “-” sub-items, an item without lead", () => {
    const text = [
      "ỦY BAN NHÂN DÂN TỈNH HẬU GIANG", //                                           1
      "Số: 45/KH-UBND",
      "Hậu Giang, ngày 10 tháng 01 năm 2024",
      "KẾ HOẠCH",
      "CẢI CÁCH HÀNH CHÍNH NĂM 2024", //                                             5
      "I. MỤC TIÊU",
      "- Nâng cao chất lượng phục vụ người dân, doanh nghiệp.",
      "II. NHIỆM VỤ VÀ GIẢI PHÁP",
      "1. Cải cách thể chế",
      "1.1. Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh.", //       10
      "- Đơn vị chủ trì: Sở Tư pháp.",
      "- Đơn vị phối hợp: Các sở, ngành.",
      "- Kết quả: Báo cáo rà soát.",
      "- Thời hạn hoàn thành: Tháng 6/2024.",
      "1.2. Nâng cao chất lượng kiểm soát thủ tục hành chính, gồm:", //          15
      "- Công bố danh mục thủ tục hành chính mới.",
      "+ Cơ quan, đơn vị chủ trì: Văn phòng UBND tỉnh.",
      "+ Tiến độ: Quý I/2024.",
      "- Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
      "+ Cơ quan thực hiện: Sở Thông tin và Truyền thông.", //                     20
      "1.3. Tổ chức đối thoại với doanh nghiệp về thủ tục hành chính.",
      "2. Hiện đại hóa hành chính",
      "2.1. Duy trì hệ thống quản lý chất lượng ISO 9001.",
      "- Chủ trì thực hiện: Sở Khoa học và Công nghệ.",
      "- Thời gian thực hiện: Trong năm 2024.", //                                  25
      "III. TỔ CHỨC THỰC HIỆN",
      "1. Sở Nội vụ theo dõi, đôn đốc việc thực hiện Kế hoạch này và định kỳ báo cáo UBND tỉnh.",
    ].join("\n");
    const p = readProse(text)!;
    expect(p.meta).toMatchObject({ number: "45/KH-UBND", issuer: "UBND tỉnh Hậu Giang", year: 2024 });
    const II = "II. NHIỆM VỤ VÀ GIẢI PHÁP";
    const group = "1.2. Nâng cao chất lượng kiểm soát thủ tục hành chính, gồm:";
    expect(p.rows).toEqual([
      {
        row: 10,
        section: [II, "1. Cải cách thể chế"],
        stt: "1.1",
        content: "Rà soát, hệ thống hóa văn bản quy phạm pháp luật của tỉnh.",
        lead: "Sở Tư pháp",
        coordinating: "Các sở, ngành",
        product: "Báo cáo rà soát",
        deadline: "Tháng 6/2024",
      },
      {
        row: 16,
        section: [II, "1. Cải cách thể chế", group],
        content: "Công bố danh mục thủ tục hành chính mới.",
        lead: "Văn phòng UBND tỉnh",
        deadline: "Quý I/2024",
      },
      {
        row: 19,
        section: [II, "1. Cải cách thể chế", group],
        content: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
        lead: "Sở Thông tin và Truyền thông",
      },
      // No labels at all: still a row (the importer warns about the missing lead).
      {
        row: 21,
        section: [II, "1. Cải cách thể chế"],
        stt: "1.3",
        content: "Tổ chức đối thoại với doanh nghiệp về thủ tục hành chính.",
      },
      {
        row: 23,
        section: [II, "2. Hiện đại hóa hành chính"],
        stt: "2.1",
        content: "Duy trì hệ thống quản lý chất lượng ISO 9001.",
        lead: "Sở Khoa học và Công nghệ",
        deadline: "Trong năm 2024",
      },
    ]);
    expect(p.warnings).toEqual([expect.objectContaining({ row: 27, text: expect.stringMatching(/^Sở Nội vụ theo dõi/) })]);
  });

  it("Word-style paragraphs (blank line between them): a description paragraph, a label's value below it", () => {
    const text = [
      "II. NHIỆM VỤ TRỌNG TÂM",
      "1. Cải cách thủ tục hành chính",
      "a) Rà soát, đơn giản hóa thủ tục hành chính nội bộ.",
      "Tập trung vào các lĩnh vực đất đai, xây dựng, đầu tư.",
      "- Đơn vị chủ trì: Văn phòng UBND tỉnh",
      "- Sản phẩm:",
      "Quyết định phê duyệt phương án đơn giản hóa",
      "- Thời hạn hoàn thành: 30/6/2024",
      "b) Công khai thủ tục hành chính trên Cổng dịch vụ công.",
      "- Đơn vị chủ trì: Các sở, ban, ngành",
    ].join("\n\n");
    const p = readProse(text)!;
    const section = ["II. NHIỆM VỤ TRỌNG TÂM", "1. Cải cách thủ tục hành chính"];
    expect(p.rows).toEqual([
      {
        row: 5,
        section,
        stt: "a",
        content: "Rà soát, đơn giản hóa thủ tục hành chính nội bộ. Tập trung vào các lĩnh vực đất đai, xây dựng, đầu tư.",
        lead: "Văn phòng UBND tỉnh",
        product: "Quyết định phê duyệt phương án đơn giản hóa",
        deadline: "30/6/2024",
      },
      { row: 17, section, stt: "b", content: "Công khai thủ tục hành chính trên Cổng dịch vụ công.", lead: "Các sở, ban, ngành" },
    ]);
    expect(p.warnings).toEqual([]);
  });

  it("task parts: other heading wording, a label without dash, per-bullet deadlines, a part without lead", () => {
    const text = [
      "II. NHIỆM VỤ, GIẢI PHÁP", //                                                 1
      "1. Cải cách thể chế",
      "a) Giải pháp thực hiện",
      "- Rà soát văn bản quy phạm pháp luật do tỉnh ban hành (hoàn thành trong Quý II/2025).",
      "- Kiểm tra việc thi hành pháp luật tại các sở, ngành.", //                   5
      "+ Thời hạn: Tháng 10/2025.",
      "- Tuyên truyền, phổ biến pháp luật cho người dân.",
      "b) Phân công thực hiện",
      "Cơ quan chủ trì: Sở Tư pháp.",
      "- Cơ quan phối hợp: Các sở, ngành; UBND cấp huyện.", //                   10
      "- Thời gian thực hiện: Thường xuyên.",
      "2. Hiện đại hóa hành chính",
      "a) Nhiệm vụ",
      "- Triển khai chữ ký số cho 100% công chức.",
    ].join("\n");
    const p = readProse(text)!;
    const tp = ["II. NHIỆM VỤ, GIẢI PHÁP", "1. Cải cách thể chế"];
    const shared = { lead: "Sở Tư pháp", coordinating: "Các sở, ngành; UBND cấp huyện" };
    expect(p.rows).toEqual([
      {
        row: 4,
        section: tp,
        content: "Rà soát văn bản quy phạm pháp luật do tỉnh ban hành",
        ...shared,
        deadline: "hoàn thành trong Quý II/2025",
      },
      { row: 5, section: tp, content: "Kiểm tra việc thi hành pháp luật tại các sở, ngành.", ...shared, deadline: "Tháng 10/2025" },
      { row: 7, section: tp, content: "Tuyên truyền, phổ biến pháp luật cho người dân.", ...shared, deadline: "Thường xuyên" },
      // A task part with no responsibility part: a row without lead, never dropped.
      { row: 14, section: ["II. NHIỆM VỤ, GIẢI PHÁP", "2. Hiện đại hóa hành chính"], content: "Triển khai chữ ký số cho 100% công chức." },
    ]);
  });
});
