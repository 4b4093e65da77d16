/**
 * Runs one benchmark section in its own process (so sections do not share heap, JIT state
 * or open stores) and hands its rows to bench/run.ts.
 *   node --import tsx bench/section.ts <name> [--quick]
 */
import { reply, type Section } from "./lib.ts";

const SECTIONS: Record<string, () => Promise<{ run: Section }>> = {
  import: () => import("./import.ts"),
  planning: () => import("./planning.ts"),
  commands: () => import("./commands.ts"),
  store: () => import("./store.ts"),
  fanout: () => import("./fanout.ts"),
  startup: () => import("./startup.ts"),
};

const [name, ...flags] = process.argv.slice(2);
const load = SECTIONS[name];
if (!load) {
  process.stderr.write(`unknown section "${name}"; one of: ${Object.keys(SECTIONS).join(", ")}\n`);
  process.exit(2);
}
const { run } = await load();
const rows = await run({ quick: flags.includes("--quick") });
reply(rows);
// Stray handles (servers, timers) must not keep a finished section alive.
process.exit(0);
