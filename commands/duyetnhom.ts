import { groupDecisionCommand } from "./dangky.ts";

/** The typed form of the ✅ Xác nhận button under a binding request (Zalo has no buttons). */
export const command = groupDecisionCommand(true);
