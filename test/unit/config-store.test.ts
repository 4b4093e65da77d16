import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, storeKind } from "../../src/config.ts";
import { hidePassword } from "../../src/core/text.ts";

function problemOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("parseConfig accepted it");
}

describe("config: which store (issue 14)", () => {
  it("the JSON file by default; DATABASE_URL switches to PostgreSQL; STORE overrides", () => {
    expect(storeKind(parseConfig({}))).toBe("file");
    const url = "postgres://dondoc:pw@127.0.0.1:5432/dondoc";
    expect(storeKind(parseConfig({ DATABASE_URL: url }))).toBe("postgres");
    expect(storeKind(parseConfig({ DATABASE_URL: url, STORE: "postgres" }))).toBe("postgres");
    expect(storeKind(parseConfig({ DATABASE_URL: url, STORE: "file" }))).toBe("file");
    expect(storeKind(parseConfig({ DATABASE_URL: "postgresql://h/db" }))).toBe("postgres");
    expect(storeKind(parseConfig({ DATABASE_URL: "", STORE: "" }))).toBe("file");
  });

  it("a bad DATABASE_URL is named in Vietnamese, without its password", () => {
    const e = problemOf({ DATABASE_URL: "mysql://root:hunter2-secret@db/x" });
    expect(e.keys).toEqual(["DATABASE_URL"]);
    expect(e.message).toContain("địa chỉ cơ sở dữ liệu PostgreSQL");
    expect(e.message).toContain("mysql://root:***@db/x");
    expect(e.message).not.toContain("hunter2-secret");
  });

  it("STORE=postgres without DATABASE_URL, and an unknown STORE, are refused", () => {
    const e = problemOf({ STORE: "postgres" });
    expect(e.keys).toEqual(["STORE"]);
    expect(e.message).toContain("chưa đặt DATABASE_URL");
    expect(problemOf({ STORE: "sqlite" }).message).toMatch(/STORE = «sqlite»: file \(tệp store.json/);
  });

  it("hidePassword hides what sits between user: and @", () => {
    expect(hidePassword("postgres://u:p@ss:w0rd@h:5432/db")).toBe("postgres://u:***@h:5432/db");
    expect(hidePassword("postgres://u@h/db")).toBe("postgres://u@h/db");
    expect(hidePassword("postgres://h/db")).toBe("postgres://h/db");
  });
});
