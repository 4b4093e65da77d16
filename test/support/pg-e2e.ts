/**
 * The end-to-end tests' start on PostgreSQL: the real bot over the emulator on a fresh database
 * (test/support/postgres.ts), Kiên Giang's 2021 plan loaded, Sở Tư pháp's group (tg:-2001)
 * bound, the clock at 25/03/2021 08:00 in Vietnam.
 */
import { EmulatorHarness, type GroupChat } from "./emulator.ts";
import { bindChat, loadPlan } from "./plans.ts";
import { freshDatabase } from "./postgres.ts";

/**
 * Starts it (stopped again if the set-up fails; stop it with `h.stop()`), with the group and
 * the officer of Sở Tư pháp who reports in it.
 */
export async function startOnPostgres(): Promise<{
  url: string;
  h: EmulatorHarness;
  group: GroupChat;
  officer: { id: number; name: string };
}> {
  const url = await freshDatabase();
  const h = await EmulatorHarness.start({ env: { DATABASE_URL: url }, clock: () => new Date("2021-03-25T01:00:00Z"), throttle: false });
  try {
    await loadPlan(h.runtime, "kien-giang-2021.txt");
    await bindChat(h.runtime, "tg:-2001", "so-tu-phap");
  } catch (error) {
    await h.stop();
    throw error;
  }
  return { url, h, group: h.group(-2001, "Sở Tư pháp — CCHC"), officer: { id: 3003, name: "Anh Tư (Sở Tư pháp)" } };
}
