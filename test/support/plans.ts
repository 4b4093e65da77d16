import { readFile } from "node:fs/promises";
import path from "node:path";
import type { App } from "../../src/bot/app.ts";
import { commitImport, prepareImport } from "../../src/import/service.ts";
import { bindChat as bind } from "../../src/domain/bindings.ts";

export const PLANS_DIR = path.resolve(import.meta.dirname, "../../../shared/plans");

export function planPath(name: string): string {
  return path.join(PLANS_DIR, name);
}

/** Import one of ../shared/plans into the app's store, as an admin would. */
export async function loadPlan(app: App, name: string, now = new Date("2021-01-04T01:00:00Z")) {
  const data = await readFile(planPath(name));
  const preview = await prepareImport(app.store, app.directory(), { name, data });
  await commitImport(app.store, preview, {
    directory: app.directory(),
    actor: { id: "test", name: "Kiểm thử" },
    chatId: null,
    now,
    source: name,
    removeMissing: false,
  });
  return preview;
}

/** A group bound to an agency, as `/dangky` by an admin leaves it. */
export async function bindChat(app: App, chatId: string, agencyId: string, title = chatId) {
  await bind(app, { userId: "test", userName: "Kiểm thử", chatId }, chatId, agencyId, new Date(0), { title });
}
