/**
 * The one access policy: who may do what, for commands, buttons and replies alike.
 *
 * Roles come from two places. The person: an admin (ADMIN_IDS — Sở Nội vụ staff who load
 * plans and bind groups; everyone in local mode), a manager (MANAGER_IDS — leaders who read
 * every agency's figures), or an officer (anyone else). The chat: the Sở Nội vụ group (bound
 * to COORDINATOR_AGENCY), an agency's group (bound to that agency), a group bound to nothing,
 * or a private chat with the bot.
 *
 * | permission         | allowed                                                              |
 * |--------------------|----------------------------------------------------------------------|
 * | `everyone`         | anyone                                                               |
 * | `report`           | admins; the Sở Nội vụ group; an agency's group for its own shares    |
 * | `decide-extension` | admins; the Sở Nội vụ group                                          |
 * | `view-all`         | the Sở Nội vụ group; admins and managers in a private chat           |
 * | `view`             | `view-all`, or an agency's group for its own agency                  |
 * | `import`           | admins, in a private chat or the Sở Nội vụ group                     |
 * | `admin`            | admins                                                               |
 *
 * The router applies a command's permission before its handler runs (and a button's and a
 * reply's the same way); permissions about one agency's work (`report`, `view`) are checked
 * where the agency is known, by the use case, with the same `allows`.
 */
export type Caller = {
  chatId: string;
  chatKind: "private" | "group";
  /** The agency the chat is bound to, if any. */
  chatAgencyId: string | null;
  /** The chat is bound to the coordinating agency (Sở Nội vụ). */
  isCoordinatorChat: boolean;
  /** Platform-prefixed: `tg:123`, `zl:abc`, `local:…`. */
  userId: string;
  userName: string;
  isAdmin: boolean;
  /** A manager, or an admin (who may read everything a manager may). */
  isManager: boolean;
};

export type Permission = "everyone" | "report" | "decide-extension" | "view-all" | "view" | "import" | "admin";

const RULES: Record<Permission, (caller: Caller, agencyId: string | null) => boolean> = {
  everyone: () => true,
  report: (c, agencyId) => c.isAdmin || c.isCoordinatorChat || (agencyId !== null && c.chatAgencyId === agencyId),
  "decide-extension": (c) => c.isAdmin || c.isCoordinatorChat,
  "view-all": (c) => c.isCoordinatorChat || (c.chatKind === "private" && c.isManager),
  view: (c, agencyId) => RULES["view-all"](c, agencyId) || (agencyId !== null && c.chatAgencyId === agencyId),
  import: (c) => c.isAdmin && (c.chatKind === "private" || c.isCoordinatorChat),
  admin: (c) => c.isAdmin,
};

/** May `caller` do what `permission` covers (for `agencyId`'s work, when it is about one agency)? */
export function allows(caller: Caller, permission: Permission, agencyId: string | null = null): boolean {
  return RULES[permission](caller, agencyId);
}

/**
 * Why `caller` may not: plain Vietnamese, ending in "Không có gì thay đổi." where something
 * was asked to change. `nameOf` gives agency names; `agencyId` is the agency whose work was
 * asked about; `what` names what was refused ("Lệnh /nap"; default "Việc này").
 */
export function refusalText(
  caller: Caller,
  permission: Permission,
  nameOf: (id: string) => string,
  agencyId: string | null = null,
  what = "Việc này",
): string {
  const nothing = " Không có gì thay đổi.";
  // A private chat is nobody's group: say where to go instead of "this group is not bound".
  const inPrivate = caller.chatKind === "private" && (permission === "report" || permission === "view");
  if (inPrivate)
    return "⛔ Trong tin nhắn riêng chỉ lãnh đạo và quản trị viên được cấp quyền xem và cập nhật. Hãy gõ lệnh này trong nhóm của cơ quan mình.";
  switch (permission) {
    case "report":
      if (!caller.chatAgencyId) {
        const whose = agencyId ? ` của ${nameOf(agencyId)}` : "";
        return `⛔ Nhóm này chưa gắn với cơ quan nào nên không cập nhật được nhiệm vụ${whose}. Hãy báo cáo trong nhóm của cơ quan.`;
      }
      return `⛔ Nhóm của ${nameOf(caller.chatAgencyId)} chỉ cập nhật được nhiệm vụ của cơ quan mình${agencyId ? `; phần việc này thuộc ${nameOf(agencyId)}` : ""}.${nothing}`;
    case "view":
      if (!caller.chatAgencyId) return "Nhóm này chưa gắn với cơ quan nào. Quản trị viên gõ /dangky <tên cơ quan> để gắn.";
      return "⛔ Nhóm này chỉ xem được nhiệm vụ của cơ quan mình.";
    case "decide-extension":
      return `⛔ Chỉ nhóm Sở Nội vụ hoặc quản trị viên mới duyệt được đề nghị gia hạn.${nothing}`;
    case "view-all":
      return "⛔ Xem tất cả cơ quan chỉ dành cho nhóm Sở Nội vụ, hoặc lãnh đạo và cán bộ Sở Nội vụ được cấp quyền trong tin nhắn riêng.";
    case "import":
      if (caller.isAdmin) return "Hãy nạp kế hoạch trong chat riêng với bot hoặc trong nhóm Sở Nội vụ.";
      return `⛔ ${what} chỉ dành cho quản trị viên (cán bộ Sở Nội vụ được cấp quyền).${nothing}`;
    case "admin":
      return `⛔ ${what} chỉ dành cho quản trị viên (cán bộ Sở Nội vụ được cấp quyền).${nothing}`;
    case "everyone":
      return "";
  }
}

/**
 * Is `userId` in a configured id list? A list entry with a platform prefix (`zl:abc`)
 * matches exactly; a bare number is a Telegram user id (how @userinfobot shows it).
 */
export function listed(userId: string, ids: readonly string[]): boolean {
  return ids.some((id) => id === userId || (!id.includes(":") && `tg:${id}` === userId));
}

/** The person's roles from the configured lists; everyone in local mode (`local:` ids) is an admin. */
export function personRoles(
  userId: string,
  lists: { admins: readonly string[]; managers: readonly string[] },
): { isAdmin: boolean; isManager: boolean } {
  const isAdmin = userId.startsWith("local:") || listed(userId, lists.admins);
  return { isAdmin, isManager: isAdmin || listed(userId, lists.managers) };
}
