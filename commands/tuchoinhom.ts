import { groupDecisionCommand } from "./dangky.ts";

/** The typed form of the ✖️ Từ chối button under a binding request (Zalo has no buttons). */
export const command = groupDecisionCommand(false);
