import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { parseConfig, type Config } from "../../src/config.ts";

export const TEST_TOKEN = "123456789:AAHtestTOKENtestTOKENtestTOKEN_abc";

export async function tempDir(prefix = "dondoc-"): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Record<string, string | undefined>): Config {
  return parseConfig({ LOG_LEVEL: "silent", ...overrides });
}

export const silentLog = pino({ level: "silent" });

/** The store's data as JSON: what "bad input changes nothing" compares. */
export function dataOf(store: { read(): object }): string {
  return JSON.stringify(store.read());
}
