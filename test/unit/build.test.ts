/**
 * The production build (src/cli/build.ts, run by `npm start`): the bundle starts on Node alone
 * in local mode, loads every command, finds the committed reference data, and answers; every
 * path it finds beside a source file points at a file that exists.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, ROOT, startFlags } from "../../src/cli/build.ts";

const outDir = path.join(ROOT, "dist", `test-${process.pid}`);
let dataDir: string;

beforeAll(async () => {
  await build({ outDir });
  dataDir = await mkdtemp(path.join(os.tmpdir(), "dondoc-build-"));
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

/** Runs the built bot with `input` typed in the local chat; its output once the input ends. */
function runBuilt(input: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...startFlags(), path.join(outDir, "src", "main.js")], {
      env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: "error" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
    child.stdin.end(input);
  });
}

describe("production build", () => {
  it("starts on Node without tsx and answers in local mode: commands loaded, reference data found", async () => {
    const { code, out, err } = await runBuilt(":nhom so-noi-vu\n/giup\n/coquan\n");
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out).toContain("đã gắn với Sở Nội vụ"); // data/agencies.json, as DATA_DIR has none
    expect(out).toContain("/tiendo — Cập nhật tiến độ"); // a command from dist/…/commands/
    const commands = readdirSync(path.join(ROOT, "commands")).filter((f) => f.endsWith(".ts"));
    expect(readdirSync(path.join(outDir, "commands")).sort()).toEqual(commands.map((f) => f.replace(/\.ts$/, ".js")).sort());
  }, 30_000);

  it("rewrites every import.meta.url to a file that exists (the sources' data, the built commands)", () => {
    const targets: string[] = [];
    for (const file of readdirSync(path.join(outDir, "src")).filter((f) => f.endsWith(".js"))) {
      const text = readFileSync(path.join(outDir, "src", file), "utf8");
      for (const m of text.matchAll(/new URL\("([^"]+)", import\.meta\.url\)/g)) targets.push(path.resolve(outDir, "src", m[1]));
    }
    const rel = targets.map((t) => path.relative(ROOT, t)).sort();
    expect(rel).toEqual(
      [
        "src/boot/reference.ts",
        "src/digest/chart.ts",
        "src/store/postgres.ts",
        path.relative(ROOT, path.join(outDir, "src/bot/registry.js")),
      ].sort(),
    );
    for (const t of targets.filter((x) => x.endsWith(".ts"))) expect(existsSync(t)).toBe(true);
    // The registry's commands folder, from its place in the output.
    expect(existsSync(path.resolve(outDir, "src/bot/registry.js", "../../../commands/tiendo.js"))).toBe(true);
  });

  it("refuses an output folder outside dist/ (it is emptied first)", async () => {
    await expect(build({ outDir: path.join(ROOT, "src") })).rejects.toThrow(/is not a folder of/);
  });
});
