/**
 * The chat inbox kept in PostgreSQL (table `inbox`, migration 1764500000000_instances), for
 * several dondoc instances on one database: the same `InboxFile` contract as ./inbox-file.ts,
 * with the protocol of src/bot/inbox.ts around it.
 *
 * - `accept` inserts the updates whose key is not there yet (`ON CONFLICT DO NOTHING`, in one
 *   statement): a re-delivery — to this instance or to another one behind the load balancer —
 *   is dropped. The inserting instance holds a lease on each (`lease_until`, LEASE_MS).
 * - `done` stamps `done_at`; handled keys are deleted after a day (KEEP_DONE_MS), at open.
 * - Each adapter takes over the updates of its platform not handled whose lease has run out
 *   (their instance died) with `takeOver(prefix)`: at start and every minute while running
 *   (src/chat/lifecycle.ts), so a dead instance's updates wait at most the lease plus a
 *   minute, and an instance without that platform's adapter never takes them. At start it
 *   also takes back its own (`ownToo`: same `owner` id), leased or not: what it held when it
 *   stopped or crashed is handled at once. `pending()`
 *   lists what this instance holds and has not handled. Should an update still be handled by a
 *   slow instance, the "applied" mark in the store (src/bot/inbox.ts) keeps it from being
 *   applied twice.
 */
import pg from "pg";
import { KEEP_DONE_MS, type InboxFile, type InboxRecord } from "./inbox-file.ts";

/**
 * How long an instance may take to handle an update it accepted before another may take it
 * over. Leases are stamped and compared on the database's clock (`now()`), so the instances'
 * clocks need not agree.
 */
export const LEASE_MS = 10 * 60 * 1000;
const LEASE = `${LEASE_MS / 1000} seconds`;

/**
 * Opens the inbox table of the database at `url` (its schema comes with the store's migrations)
 * for the instance `owner` (a stable id: the same after a restart, so the instance takes its
 * own unhandled updates back at once; src/boot/runtime.ts keeps it in DATA_DIR/instance-id).
 */
export async function openPgInbox(url: string, now: Date, owner = "?"): Promise<InboxFile> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", () => undefined); // a dropped idle connection: the next query opens another
  const waiting = new Map<string, InboxRecord>();
  /** Leases to this instance the updates (keys starting with `prefix`) not handled whose lease ran out. */
  const takeOver = async (prefix: string, ownToo = false): Promise<InboxRecord[]> => {
    const { rows } = await pool.query<{ key: string; chat: string; payload: unknown; at: Date }>(
      "UPDATE inbox SET lease_until = now() + $1::interval, owner = $3 " +
        "WHERE done_at IS NULL AND starts_with(key, $2) AND (lease_until < now() OR ($4 AND owner = $3)) " +
        "RETURNING key, chat, payload, accepted_at AS at",
      [LEASE, prefix, owner, ownToo],
    );
    rows.sort((a, b) => a.at.getTime() - b.at.getTime());
    const taken = rows.map((r) => ({ key: r.key, chat: r.chat, payload: r.payload, at: r.at.toISOString() }));
    for (const r of taken) waiting.set(r.key, r);
    return taken;
  };
  try {
    await pool.query("DELETE FROM inbox WHERE done_at < $1", [new Date(now.getTime() - KEEP_DONE_MS)]);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }

  return {
    pending: () => [...waiting.values()],
    takeOver,

    async accept(records) {
      if (records.length === 0) return [];
      // With the store's revision as this statement sees it: handling the update needs a state
      // at least that new (`Store.refresh(seen)`), and reads nothing more if it has one already.
      const { rows } = await pool.query<{ key: string; rev: string | null }>(
        "WITH ins AS (INSERT INTO inbox (key, chat, payload, accepted_at, lease_until, owner) " +
          "SELECT e->>'key', e->>'chat', e->'payload', (e->>'at')::timestamptz, now() + $2::interval, $3 " +
          "FROM json_array_elements($1::json) e ON CONFLICT (key) DO NOTHING RETURNING key) " +
          "SELECT key, (SELECT value #>> '{}' FROM meta WHERE key = 'rev') AS rev FROM ins",
        [JSON.stringify(records), LEASE, owner],
      );
      const fresh = new Map(rows.map((r) => [r.key, Number(r.rev ?? 0)]));
      const accepted = records.filter((r) => fresh.has(r.key)).map((r) => ({ ...r, rev: fresh.get(r.key) }));
      for (const r of accepted) waiting.set(r.key, r);
      return accepted;
    },

    async done(keys, at) {
      if (keys.length === 0) return;
      await pool.query("UPDATE inbox SET done_at = $2 WHERE key = ANY($1::text[])", [keys, at]);
      for (const key of keys) waiting.delete(key);
    },

    close: () => pool.end(),
  };
}
