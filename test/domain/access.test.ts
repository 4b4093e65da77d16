/**
 * The access policy as a table: role × action × whose assignment → allowed or refused. The
 * roles are what the router computes from the configured ids and the chat's binding.
 */
import { describe, expect, it } from "vitest";
import { allows, listed, personRoles, refusalText, type Caller, type Permission } from "../../src/domain/access.ts";

const OWN = "so-tu-phap";
const OTHER = "vp-ubnd";

type Who = "admin" | "manager" | "officer";
type Where = "coordinator group" | "own agency group" | "unbound group" | "private";

function caller(who: Who, where: Where): Caller {
  const chatAgencyId = where === "coordinator group" ? "so-noi-vu" : where === "own agency group" ? OWN : null;
  return {
    chatId: where === "private" ? "tg:7" : "tg:-100",
    chatKind: where === "private" ? "private" : "group",
    chatAgencyId,
    isCoordinatorChat: where === "coordinator group",
    userId: "tg:7",
    userName: "Người dùng",
    isAdmin: who === "admin",
    isManager: who !== "officer",
  };
}

// [who, where, permission, whose work (own agency, another, none), allowed]
const TABLE: [Who, Where, Permission, string | null, boolean][] = [
  // report: change an agency's assignment
  ["officer", "own agency group", "report", OWN, true],
  ["officer", "own agency group", "report", OTHER, false],
  ["officer", "unbound group", "report", OWN, false],
  ["officer", "private", "report", OWN, false],
  ["officer", "coordinator group", "report", OTHER, true],
  ["manager", "private", "report", OWN, false],
  ["manager", "own agency group", "report", OTHER, false],
  ["admin", "private", "report", OTHER, true],
  ["admin", "unbound group", "report", OWN, true],
  // decide an extension request
  ["officer", "coordinator group", "decide-extension", null, true],
  ["officer", "own agency group", "decide-extension", null, false],
  ["manager", "private", "decide-extension", null, false],
  ["admin", "own agency group", "decide-extension", null, true],
  // see every agency
  ["officer", "coordinator group", "view-all", null, true],
  ["officer", "private", "view-all", null, false],
  ["officer", "own agency group", "view-all", null, false],
  ["manager", "private", "view-all", null, true],
  ["manager", "own agency group", "view-all", null, false],
  ["admin", "private", "view-all", null, true],
  // see one agency
  ["officer", "own agency group", "view", OWN, true],
  ["officer", "own agency group", "view", OTHER, false],
  ["manager", "private", "view", OTHER, true],
  ["officer", "unbound group", "view", OWN, false],
  // load a plan
  ["admin", "private", "import", null, true],
  ["admin", "coordinator group", "import", null, true],
  ["admin", "own agency group", "import", null, false],
  ["manager", "private", "import", null, false],
  ["officer", "coordinator group", "import", null, false],
  // administer: edit tasks, bind groups, aliases
  ["admin", "own agency group", "admin", null, true],
  ["manager", "private", "admin", null, false],
  ["officer", "coordinator group", "admin", null, false],
  // everyone
  ["officer", "unbound group", "everyone", null, true],
];

describe("the access policy", () => {
  it.each(TABLE)("%s in the %s: %s on %s's work → %s", (who, where, permission, agencyId, allowed) => {
    expect(allows(caller(who, where), permission, agencyId)).toBe(allowed);
  });

  it("every refusal is plain Vietnamese that names what is refused", () => {
    const name = (id: string) => ({ [OWN]: "Sở Tư pháp", [OTHER]: "Văn phòng UBND tỉnh" })[id] ?? id;
    for (const [who, where, permission, agencyId, allowed] of TABLE) {
      if (allowed) continue;
      const text = refusalText(caller(who, where), permission, name, agencyId, "Lệnh /nap");
      expect(text, `${who} ${where} ${permission}`).toMatch(/^(⛔|Hãy|Nhóm này)/);
      expect(text).not.toMatch(/[a-z]+-[a-z]+/); // no agency ids, no codes
    }
    expect(refusalText(caller("officer", "own agency group"), "report", name, OTHER)).toContain("phần việc này thuộc Văn phòng UBND tỉnh");
    // In a private chat, not "this group is not bound — /dangky" (which a private chat cannot do).
    for (const permission of ["report", "view"] as const)
      expect(refusalText(caller("officer", "private"), permission, name, OWN)).toContain("Hãy gõ lệnh này trong nhóm của cơ quan mình");
    expect(refusalText(caller("officer", "private"), "admin", name, null, "Lệnh /sua")).toMatch(
      /^⛔ Lệnh \/sua chỉ dành cho quản trị viên/,
    );
  });
});

describe("roles from the configured ids", () => {
  it("a bare number is a Telegram id; a prefixed id matches its platform only", () => {
    expect(listed("tg:123", ["123"])).toBe(true);
    expect(listed("zalo:123", ["123"])).toBe(false);
    expect(listed("zalo:abc", ["zalo:abc"])).toBe(true);
    expect(listed("tg:1234", ["123"])).toBe(false);
  });

  it("admins are managers too; local mode's user is an admin; others are neither", () => {
    const lists = { admins: ["1"], managers: ["2"] };
    expect(personRoles("tg:1", lists)).toEqual({ isAdmin: true, isManager: true });
    expect(personRoles("tg:2", lists)).toEqual({ isAdmin: false, isManager: true });
    expect(personRoles("local:admin", lists)).toEqual({ isAdmin: true, isManager: true });
    expect(personRoles("tg:3", lists)).toEqual({ isAdmin: false, isManager: false });
  });
});
