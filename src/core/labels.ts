/** What people read for the codes the data keeps: reform areas and kinds of deadline. */
import type { ReformArea, Task } from "./schemas.ts";

/** The reform areas, as named in the Government's master programme (Nghị quyết 76/NQ-CP). */
export const AREA_NAMES: Record<ReformArea, string> = {
  "chi-dao-dieu-hanh": "Chỉ đạo, điều hành",
  "the-che": "Cải cách thể chế",
  "thu-tuc-hanh-chinh": "Cải cách thủ tục hành chính",
  "to-chuc-bo-may": "Cải cách tổ chức bộ máy",
  "cong-vu": "Cải cách chế độ công vụ",
  "tai-chinh-cong": "Cải cách tài chính công",
  "chinh-quyen-so": "Chính quyền điện tử, chính quyền số",
  khac: "Khác",
};

/** The kinds of deadline (see ../shared/spec/deadline-phrases.md), as an import preview counts them. */
export const DEADLINE_KIND_NAMES: Record<Task["deadline"]["kind"], string> = {
  date: "có ngày cụ thể",
  period: "theo kỳ (tháng, quý, năm)",
  continuous: "thường xuyên",
  conditional: "có điều kiện",
  unknown: "không đọc được thời hạn",
};
