/**
 * The architecture, checked on the code's own imports (README "Architecture"): no import
 * cycle; the core imports nothing outside itself; use cases never see the bot, the chat or the
 * jobs; command files never write the store or touch the file system themselves.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const IMPORT = /^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"/gm;

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts") && !e.name.endsWith(".d.ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const sources = [...files("src"), ...files("commands")];
const imports = new Map(
  sources.map((file) => {
    const text = readFileSync(path.join(ROOT, file), "utf8");
    const targets = [...text.matchAll(IMPORT)].map((m) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), m[1])));
    return [file, targets];
  }),
);

describe("the import graph", () => {
  it("reads the imports it checks", () => {
    expect(imports.get("src/bot/router.ts")).toContain("src/domain/access.ts");
    expect(sources.length).toBeGreaterThan(80);
  });

  it("has no cycle", () => {
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[][] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") return void cycles.push([...trail.slice(trail.indexOf(file)), file]);
      state.set(file, "visiting");
      for (const next of imports.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of sources) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it.each([
    ["src/core/", ["src/core/"]],
    ["src/domain/", ["src/core/", "src/domain/", "src/store/types.ts", "src/import/"]],
    ["src/store/", ["src/core/", "src/store/"]],
  ])("%s imports only from %j", (layer, allowed) => {
    const outside = [...imports]
      .filter(([file]) => file.startsWith(layer))
      .flatMap(([file, targets]) => targets.filter((t) => !allowed.some((a) => t.startsWith(a))).map((t) => `${file} → ${t}`));
    expect(outside).toEqual([]);
  });

  it("command files parse, call a use case and reply: no store writes, no file system", () => {
    const offenders = files("commands").filter((file) =>
      /store\.update|node:fs|fs\/promises/.test(readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });
});
