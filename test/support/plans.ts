import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Runtime } from "../../src/bot/runtime.ts";
import { commitImport, prepareImport } from "../../src/import/service.ts";
import { bindChat as bind } from "../../src/domain/bindings.ts";

export const PLANS_DIR = path.resolve(import.meta.dirname, "../../../shared/plans");

export function planPath(name: string): string {
  return path.join(PLANS_DIR, name);
}

/** Import one of ../shared/plans into the runtime's store, as an admin would. */
export async function loadPlan(runtime: Runtime, name: string, now = new Date("2021-01-04T01:00:00Z")) {
  const data = await readFile(planPath(name));
  const preview = await prepareImport(runtime.store, runtime.directory(), { name, data });
  await commitImport(runtime.store, preview, {
    directory: runtime.directory(),
    actor: { id: "test", name: "Kiểm thử" },
    chatId: null,
    now,
    source: name,
    removeMissing: false,
  });
  return preview;
}

/** A group bound to an agency, as `/dangky` by an admin leaves it. */
export async function bindChat(runtime: Runtime, chatId: string, agencyId: string, title = chatId) {
  await bind({ store: runtime.store, now: new Date(0) }, { userId: "test", userName: "Kiểm thử", chatId }, chatId, agencyId, { title });
}
