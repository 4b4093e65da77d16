/**
 * The PostgreSQL store: the same `Store` contract as ./file.ts (see ./memory.ts for the update
 * semantics), on a database given by a `postgres://` URL (DATABASE_URL).
 *
 * Layout (schema in ./migrations/, applied at open with node-pg-migrate; table `pgmigrations`):
 * - each array collection of StoreData (tasks, assignments, sendLog, runLog…) is a table of
 *   rows `(pos, data json)`, one row per element, ordered by `pos`, with generated, indexed
 *   key columns (tasks.code, assignments.task_code, send_log.day…);
 * - record fields (extraAliases, pendingImports, counters) are rows of `kv (coll, key)`;
 * - `version` and `eventSeq` are rows of `meta`;
 * - the audit trail is the table `events (seq, at, task_code, agency_id, action, data)`;
 * - the send-log archive (./sendlog-archive.ts) is the table `send_log_archive`, outside the state.
 *
 * Reads: the whole state is loaded and validated at open and kept in memory as the deep-frozen
 * snapshot `read()` returns; each committed update installs the next one. `events()` queries the
 * table (newest first, by index).
 *
 * Several processes (instances behind a load balancer) may open the same database. Each
 * committed update bumps the revision `meta.rev` and records in `store_changes` which rows it
 * wrote; a process whose snapshot is at an older revision catches up by reading just those rows
 * (or everything, if it is further behind than the pruned history). Updates are optimistic: an
 * update's statement writes only if `meta.rev` is still the revision its `fn` saw; if another
 * process wrote first, it writes nothing, the process catches up and runs `fn` again on the
 * newer state (./memory.ts, at most MAX_ATTEMPTS times, then BUSY). So every committed `fn`
 * worked on the latest state and the updates of all processes are serialised, with no lock
 * held between round trips. A process also catches up whenever `refresh()` is called (before
 * each chat update is handled, before each scheduled run). `exclusive(name, work)` runs `work`
 * under a session-level advisory lock, one process at a time (the daily runs).
 *
 * Writes: `update(fn)` runs `fn` on the copy-on-touch draft of ./memory.ts, then writes ONE
 * statement (one round trip, atomic: see `changeStatement`) holding only what changed: for
 * each collection `fn` touched, the rows of the elements added or replaced (upserts by `pos`)
 * and removed (deletes); the changed keys of a record; `eventSeq`; and the new events. An element keeps its `pos` while it stays; an element
 * added between two others gets a `pos` between theirs, at the end the last one + 1; only a
 * reordering (a sort) rewrites the whole table. If the statement fails, nothing changes and
 * the error propagates; if its outcome is unknown (the connection died before its answer), the
 * store refuses further updates (code FAILED) until it is reopened.
 */
import { hidePassword } from "../core/text.ts";
import { readdir } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { z } from "zod";
import { Event, SendLogEntry } from "../core/schemas.ts";
import { movedKey } from "../core/sendlog.ts";
import type { SendLogArchive } from "./sendlog-archive.ts";
import { StaleState, StoreError, createStoreCore, deepFreeze, elementSchema, parseStoreData } from "./memory.ts";
import { planArray } from "./positions.ts";
import { STORE_VERSION, StoreData, type EventFilter, type Store } from "./types.ts";

export { StoreError } from "./memory.ts";
export { planArray } from "./positions.ts";

/** StoreData array fields → their table. */
export const ARRAY_TABLES = {
  plans: "plans",
  tasks: "tasks",
  assignments: "assignments",
  extraAgencies: "extra_agencies",
  bindings: "bindings",
  pendingBindings: "pending_bindings",
  extensionRequests: "extension_requests",
  sendLog: "send_log",
  runLog: "run_log",
  appliedUpdates: "applied_updates",
} as const satisfies Partial<Record<keyof StoreData, string>>;

/** StoreData record fields, kept as rows of `kv`. */
export const RECORD_FIELDS = ["extraAliases", "pendingImports", "counters"] as const satisfies readonly (keyof StoreData)[];

/** StoreData scalar fields, kept as rows of `meta`. */
export const META_FIELDS = ["version", "eventSeq"] as const satisfies readonly (keyof StoreData)[];

type ArrayField = keyof typeof ARRAY_TABLES;
type RecordField = (typeof RECORD_FIELDS)[number];

/** StoreData fields with no place in the schema (must be none: a new field needs a migration). */
export function unmappedFields(): string[] {
  const known = new Set<string>([...Object.keys(ARRAY_TABLES), ...RECORD_FIELDS, ...META_FIELDS]);
  return Object.keys(StoreData.shape).filter((k) => !known.has(k));
}

export const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));
export const MIGRATIONS_TABLE = "pgmigrations";

/** First key of the session-level advisory locks of `exclusive(name)` (the second is the name's hash). */
const RUN_LOCK_SPACE = 0x646f6e65;
/** Key of the session advisory lock taken while the schema is migrated (instances starting together). */
const MIGRATE_LOCK_KEY = 0x646f6e66;
/** `store_changes` rows kept: a process further behind than this reloads its whole state. */
const KEEP_CHANGES = 5_000;

export type PostgresStoreOptions = {
  /** Called with oddities found on open or while running (a dropped connection…). */
  onWarning?: (message: string) => void;
};

// ------------------------------------------------------------------ diffing

/**
 * A name for the prepared statement of `text`, so PostgreSQL parses and plans each shape of
 * update once per connection (node-postgres prepares a named query on its first use): a
 * /tiendo's statement 0.69 → 0.44 ms. The shapes are few (which collections an update
 * touches); the name is a hash of the text and its length.
 */
function statementName(text: string): string {
  let h = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `dondoc_update_${(h >>> 0).toString(36)}_${text.length}`;
}

/**
 * The ONE statement that writes the update `prev` → `next` (with its `events`) to a database at
 * revision `rev`, and the positions the changed arrays will have. Its first part moves
 * `meta.rev` from `rev` to `rev + 1` only if it is still `rev`; every other part writes only
 * when that one did (`FROM r` / `EXISTS r`), so the statement writes everything or — when
 * another process wrote first — nothing, and returns `n` = 1 or 0. A statement is atomic on
 * its own (PostgreSQL's implicit transaction): one round trip, no lock held between two.
 * Sub-statements of one statement see the same snapshot, so no row may be both deleted and
 * written: a rewrite (`planArray`'s reordering) deletes only the positions it does not reuse.
 */
function changeStatement(
  prev: StoreData,
  next: StoreData,
  events: Event[],
  positions: Map<string, number[]>,
  rev: number,
): { text: string; values: unknown[]; positions: Map<ArrayField, number[]> } {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const parts = [
    `r AS (INSERT INTO meta (key, value) VALUES ('rev', ${param(String(rev + 1))}::json) ` +
      `ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE (meta.value #>> '{}')::bigint = ${param(rev)} RETURNING 1)`,
  ];
  const write = (sql: string) => parts.push(`w${parts.length} AS (${sql})`);
  /** Rows given as the JSON array `rows` (each `e`), inserted or, on a key already there, `value` replaced. */
  const upsert = (table: string, columns: string, select: string, key: string, value: string, rows: unknown[]) =>
    write(
      `INSERT INTO ${table} (${columns}) SELECT ${select} FROM r, json_array_elements(${param(JSON.stringify(rows))}::json) e ` +
        `ON CONFLICT (${key}) DO UPDATE SET ${value} = excluded.${value}`,
    );
  const nextPositions = new Map<ArrayField, number[]>();
  const change: Change = {};
  for (const [field, table] of Object.entries(ARRAY_TABLES) as [ArrayField, string][]) {
    if (next[field] === prev[field]) continue;
    const before = positions.get(field) ?? [];
    const plan = planArray(prev[field], before, next[field]);
    const reused = plan.rewrite ? new Set(plan.positions) : null;
    const deletes = reused ? before.filter((p) => !reused.has(p)) : plan.deletes;
    if (deletes.length) write(`DELETE FROM ${table} WHERE pos = ANY(${param(deletes)}::float8[]) AND EXISTS (SELECT FROM r)`);
    if (plan.upserts.length) upsert(table, "pos, data", "(e->>0)::float8, e->1", "pos", "data", plan.upserts);
    nextPositions.set(field, plan.positions);
    change.a ??= {};
    change.a[field] = plan.rewrite ? { r: true } : { u: plan.upserts.map(([p]) => p), d: plan.deletes };
  }
  for (const field of RECORD_FIELDS as readonly RecordField[]) {
    const before = prev[field] as Record<string, unknown>;
    const after = next[field] as Record<string, unknown>;
    if (after === before) continue;
    const upserts = Object.entries(after).filter(([k, v]) => !Object.hasOwn(before, k) || before[k] !== v);
    const deletes = Object.keys(before).filter((k) => !Object.hasOwn(after, k));
    if (deletes.length) {
      write(`DELETE FROM kv WHERE coll = ${param(field)} AND key = ANY(${param(deletes)}::text[]) AND EXISTS (SELECT FROM r)`);
    }
    if (upserts.length) upsert("kv", "coll, key, value", `${param(field)}, e->>0, e->1`, "coll, key", "value", upserts);
    if (upserts.length || deletes.length) (change.k ??= []).push(field);
  }
  const meta = META_FIELDS.filter((f) => next[f] !== prev[f]).map((f) => [f, next[f]]);
  if (meta.length) upsert("meta", "key, value", "e->>0, e->1", "key", "value", meta);
  write(`INSERT INTO store_changes (rev, changes) SELECT ${param(rev + 1)}, ${param(JSON.stringify(change))} FROM r`);
  if ((rev + 1) % 500 === 0) write(`DELETE FROM store_changes WHERE rev <= ${param(rev + 1 - KEEP_CHANGES)} AND EXISTS (SELECT FROM r)`);
  if (events.length) {
    write(
      "INSERT INTO events (seq, at, task_code, agency_id, action, data) " +
        "SELECT (e->>'seq')::bigint, e->>'at', e->>'taskCode', e->>'agencyId', e->>'action', e " +
        `FROM r, json_array_elements(${param(JSON.stringify(events))}::json) e`,
    );
  }
  return { text: `WITH ${parts.join(", ")} SELECT count(*)::int AS n FROM r`, values, positions: nextPositions };
}

// ------------------------------------------------------------------ open

/** The driver's reason a connection failed, in Vietnamese (its code kept for a search), else its own text. */
function connectReason(e: unknown): string {
  const code = (e as { code?: string })?.code;
  const reasons: Record<string, string> = {
    "28P01": "sai tên người dùng hoặc mật khẩu",
    "28000": "máy chủ không cho người dùng này đăng nhập",
    "3D000": "không có cơ sở dữ liệu mang tên này (tạo nó trước: CREATE DATABASE …)",
    ECONNREFUSED: "máy chủ không nhận kết nối ở cổng này (PostgreSQL chưa chạy?)",
    ENOTFOUND: "không tìm thấy tên máy",
    ETIMEDOUT: "máy chủ không trả lời",
  };
  if (code && reasons[code]) return `${reasons[code]} (${code})`;
  const message = String((e as Error)?.message ?? e);
  if (/does not support SSL/i.test(message)) return "máy chủ không dùng SSL: bỏ sslmode khỏi DATABASE_URL, hoặc bật SSL trên máy chủ";
  if (/self[- ]signed certificate|unable to verify/i.test(message)) return `chứng chỉ SSL của máy chủ không được tin cậy (${message})`;
  return message;
}

function connectError(url: string, e: unknown): StoreError {
  return new StoreError("FAILED", `Không kết nối được cơ sở dữ liệu PostgreSQL ${hidePassword(url)}: ${connectReason(e)}.`, { cause: e });
}

/**
 * Applies the migrations in ./migrations/ that `client`'s database has not run yet. Instances
 * starting together wait for each other on a session advisory lock (node-pg-migrate's own lock
 * only tries, and fails with "Another migration is already running": found by the two-instance
 * test); the one that comes second finds nothing left to do.
 */
export async function migrateSchema(client: pg.ClientBase): Promise<void> {
  if (await schemaIsCurrent(client)) return; // the usual start: node-pg-migrate is not even loaded
  const { runner } = await import("node-pg-migrate");
  await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK_KEY]);
  try {
    await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      migrationsTable: MIGRATIONS_TABLE,
      direction: "up",
      checkOrder: true,
      singleTransaction: true,
      log: () => undefined,
    });
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK_KEY]);
  }
}

/**
 * Has `client`'s database run exactly the migrations in ./migrations/ (by name, as
 * node-pg-migrate records them: the file name without `.sql`)? Two queries, no lock: a false
 * answer (a database to migrate, or one migrated by a newer dondoc) leaves the decision, and
 * the error, to node-pg-migrate.
 */
async function schemaIsCurrent(client: pg.ClientBase): Promise<boolean> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith(".sql") && !f.startsWith(".")).map((f) => f.slice(0, -4));
  const { rows: table } = await client.query<{ ok: boolean }>("SELECT to_regclass($1) IS NOT NULL AS ok", [MIGRATIONS_TABLE]);
  if (!table[0]?.ok) return false;
  const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${MIGRATIONS_TABLE}`);
  const run = new Set(rows.map((r) => r.name));
  return run.size === files.length && files.every((f) => run.has(f));
}

/**
 * Rows read (and validated) per query when the state is loaded: each batch's raw rows are
 * garbage before the next is read, so the start never holds the whole registry twice (raw
 * JSON and validated copy: ≈ 50 MB more RSS at 10,000 tasks).
 */
const LOAD_BATCH = 2_000;

/**
 * Loads the whole state from the tables, with each array's row positions: each row validated
 * with its element's schema as it is read (the error names the table and the row's `pos`),
 * the other fields with the `StoreData` schema.
 */
async function loadState(client: pg.ClientBase): Promise<Loaded> {
  const raw: Record<string, unknown> = {};
  const arrays: Record<string, unknown[]> = {};
  const positions = new Map<string, number[]>();
  for (const [field, table] of Object.entries(ARRAY_TABLES) as [ArrayField, string][]) {
    const schema = elementSchema(field);
    const list: unknown[] = [];
    const at: number[] = [];
    for (;;) {
      const { rows } = await client.query<[number, unknown]>({
        text: `SELECT pos, data FROM ${table} WHERE pos > $1::float8 ORDER BY pos LIMIT ${LOAD_BATCH}`,
        values: [at.length ? at[at.length - 1] : "-Infinity"],
        rowMode: "array",
      });
      for (const [pos, data] of rows) {
        const parsed = schema.safeParse(data);
        if (!parsed.success) {
          throw new StoreError(
            "INVALID",
            `Dữ liệu không hợp lệ (PostgreSQL, bảng ${table}, pos ${pos}) / Invalid store data (PostgreSQL, ${field}[${list.length}]):\n${z.prettifyError(parsed.error)}`,
            { cause: parsed.error },
          );
        }
        list.push(parsed.data);
        at.push(pos);
      }
      if (rows.length < LOAD_BATCH) break;
    }
    arrays[field] = list;
    positions.set(field, at);
  }
  for (const field of RECORD_FIELDS) raw[field] = {};
  const kv = await client.query<{ coll: string; key: string; value: unknown }>("SELECT coll, key, value FROM kv ORDER BY ord");
  for (const r of kv.rows) {
    const rec = raw[r.coll] as Record<string, unknown> | undefined;
    if (rec) rec[r.key] = r.value;
  }
  const meta = await client.query<{ key: string; value: unknown }>("SELECT key, value FROM meta");
  for (const r of meta.rows) raw[r.key] = r.value;
  const rev = Number(raw.rev ?? 0);
  delete raw.rev;
  raw.version ??= STORE_VERSION;
  if (typeof raw.version === "number" && raw.version > STORE_VERSION) {
    throw new StoreError(
      "TOO_NEW",
      `Cơ sở dữ liệu có phiên bản ${raw.version}, mới hơn phiên bản mà chương trình này hỗ trợ (${STORE_VERSION}); hãy cập nhật dondoc. / ` +
        `The database is version ${raw.version}, newer than this code supports (${STORE_VERSION}); upgrade dondoc.`,
    );
  }
  const last = await client.query<{ seq: string | null }>("SELECT max(seq)::text AS seq FROM events");
  const maxSeq = Number(last.rows[0]?.seq ?? 0);
  raw.eventSeq ??= maxSeq;
  if (maxSeq !== raw.eventSeq) {
    throw new StoreError(
      "INCONSISTENT",
      `Cơ sở dữ liệu không nhất quán: sự kiện cuối là ${maxSeq}, meta ghi ${raw.eventSeq} / ` +
        `Inconsistent database: last event is ${maxSeq}, meta says ${raw.eventSeq}`,
    );
  }
  // The other fields (arrays left out: their defaults are replaced by the rows just validated).
  const data = parseStoreData(raw, "PostgreSQL");
  Object.assign(data, arrays);
  return { data, positions, rev };
}

/** A state read from the tables: the data, each array's row positions, the revision it is at. */
type Loaded = { data: StoreData; positions: Map<string, number[]>; rev: number };

/** What one committed update wrote, as kept in `store_changes.changes`. */
type Change = {
  /** Array fields: positions upserted (`u`) and deleted (`d`), or `r`: the whole table rewritten. */
  a?: Record<string, { u?: number[]; d?: number[]; r?: true }>;
  /** Record fields with a key written or deleted. */
  k?: string[];
};

/** The revision the database is at (`meta.rev`; 0 before the first update of this schema). */
async function currentRev(client: pg.ClientBase): Promise<number> {
  const { rows } = await client.query<{ value: unknown }>("SELECT value FROM meta WHERE key = 'rev'");
  return Number(rows[0]?.value ?? 0);
}

/**
 * `state` (at revision `from`, rows at `positions`) brought up to the database's revision, as
 * `client` sees it: only the rows the updates since `from` wrote are read (each validated with
 * the schema), or the whole state when `store_changes` no longer goes back that far. Null when
 * nothing changed. Run it inside a transaction (a consistent view).
 */
async function catchUp(
  client: pg.ClientBase,
  state: StoreData,
  positions: Map<string, number[]>,
  from: number,
  to?: number,
): Promise<Loaded | null> {
  to ??= await currentRev(client);
  if (to === from) return null;
  const { rows } = await client.query<{ changes: Change }>("SELECT changes FROM store_changes WHERE rev > $1 AND rev <= $2 ORDER BY rev", [
    from,
    to,
  ]);
  if (to < from || rows.length !== to - from) return loadState(client);
  const arrays = new Map<ArrayField, { rewrite: boolean; upserted: Set<number>; deleted: Set<number> }>();
  const records = new Set<string>();
  for (const { changes } of rows) {
    for (const [field, c] of Object.entries(changes.a ?? {}) as [ArrayField, NonNullable<Change["a"]>[string]][]) {
      let m = arrays.get(field);
      if (!m) arrays.set(field, (m = { rewrite: false, upserted: new Set(), deleted: new Set() }));
      if (c.r) m.rewrite = true;
      for (const p of c.d ?? []) {
        m.upserted.delete(p);
        m.deleted.add(p);
      }
      for (const p of c.u ?? []) {
        m.deleted.delete(p);
        m.upserted.add(p);
      }
    }
    for (const field of changes.k ?? []) records.add(field);
  }
  const next: Record<string, unknown> = { ...state };
  const nextPositions = new Map(positions);
  const parse = (field: keyof StoreData, raw: unknown) => {
    const parsed = elementSchema(field).safeParse(raw);
    if (!parsed.success) throw new StoreError("INVALID", `Dữ liệu không hợp lệ trong PostgreSQL (${field}): ${parsed.error.message}`);
    return deepFreeze(parsed.data);
  };
  for (const [field, m] of arrays) {
    const table = ARRAY_TABLES[field];
    const byPos = new Map<number, unknown>();
    if (!m.rewrite) {
      const old = state[field] as readonly unknown[];
      const oldPos = positions.get(field) ?? [];
      for (let i = 0; i < old.length; i++) byPos.set(oldPos[i], old[i]);
      for (const p of m.deleted) byPos.delete(p);
      for (const p of m.upserted) byPos.delete(p);
    }
    const fetched = m.rewrite
      ? await client.query<{ pos: number; data: unknown }>(`SELECT pos, data FROM ${table}`)
      : m.upserted.size
        ? await client.query<{ pos: number; data: unknown }>(`SELECT pos, data FROM ${table} WHERE pos = ANY($1::float8[])`, [
            [...m.upserted],
          ])
        : { rows: [] };
    for (const r of fetched.rows) byPos.set(r.pos, parse(field, r.data));
    const order = [...byPos.keys()].sort((a, b) => a - b);
    next[field] = order.map((p) => byPos.get(p));
    nextPositions.set(field, order);
  }
  if (records.size) {
    const { rows: kv } = await client.query<{ coll: string; key: string; value: unknown }>(
      "SELECT coll, key, value FROM kv WHERE coll = ANY($1::text[]) ORDER BY ord",
      [[...records]],
    );
    for (const field of records) if ((RECORD_FIELDS as readonly string[]).includes(field)) next[field] = {};
    for (const r of kv) {
      const rec = next[r.coll] as Record<string, unknown> | undefined;
      if (rec) rec[r.key] = parse(r.coll as RecordField, r.value);
    }
  }
  const { rows: meta } = await client.query<{ key: string; value: unknown }>("SELECT key, value FROM meta WHERE key = ANY($1::text[])", [
    [...META_FIELDS],
  ]);
  for (const r of meta) next[r.key] = r.value;
  return { data: next as StoreData, positions: nextPositions, rev: to };
}

/**
 * Opens the store in the database at `url` (postgres://user:password@host:port/db): connects,
 * applies pending migrations (instances starting together migrate once, one after the other),
 * loads and validates the state. Other processes may have the same database open
 * (see the file comment).
 * Errors: StoreError FAILED (cannot connect: the message names the URL without its password),
 * MIGRATION, INVALID / TOO_NEW / INCONSISTENT (the data).
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const warn = opts.onWarning ?? (() => undefined);
  const writer = new pg.Client({ connectionString: url });
  let failed: StoreError | null = null;
  const poison = (cause: unknown) => {
    failed ??= new StoreError(
      "FAILED",
      `Mất kết nối hoặc lỗi không rõ kết quả với PostgreSQL; hãy khởi động lại dondoc / ` +
        `Lost the PostgreSQL connection or a commit's outcome is unknown; reopen the store: ${(cause as Error)?.message ?? cause}`,
      { cause },
    );
  };
  writer.on("error", (e) => {
    poison(e);
    warn(`PostgreSQL: ${e.message}`);
  });
  try {
    await writer.connect();
  } catch (e) {
    throw connectError(url, e);
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on("error", (e) => warn(`PostgreSQL (pool): ${e.message}`));
  try {
    try {
      await migrateSchema(writer);
    } catch (e) {
      throw new StoreError(
        "MIGRATION",
        `Cập nhật lược đồ cơ sở dữ liệu thất bại / Schema migration failed: ${(e as Error)?.message ?? e}`,
        { cause: e },
      );
    }
    await writer.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const loaded = await loadState(writer);
    await writer.query("COMMIT");
    return makePostgresStore({ url, writer, pool, loaded, isFailed: () => failed, poison });
  } catch (e) {
    await writer.end().catch(() => undefined);
    await pool.end().catch(() => undefined);
    throw e;
  }
}

/** The PostgreSQL store: the `Store` contract plus what several processes on one database need. */
export type PostgresStore = Store & Required<Pick<Store, "refresh" | "exclusive" | "sharedSecret">>;

function makePostgresStore(ctx: {
  url: string;
  writer: pg.Client;
  pool: pg.Pool;
  loaded: Loaded;
  isFailed: () => StoreError | null;
  poison: (cause: unknown) => void;
}): PostgresStore {
  const { url, writer, pool, isFailed, poison } = ctx;
  let positions = ctx.loaded.positions;
  let rev = ctx.loaded.rev;
  let closing: Promise<void> | null = null;
  const q = (text: string, values?: unknown[]) => writer.query(text, values);

  /** Installs what `catchUp` read (positions and revision with it); returns the data. */
  const adopt = (loaded: Loaded | null): StoreData | null => {
    if (!loaded) return null;
    positions = loaded.positions;
    rev = loaded.rev;
    return loaded.data;
  };

  const rollback = async () => {
    try {
      await q("ROLLBACK");
    } catch (e) {
      poison(e);
    }
  };

  /** Reads what other processes wrote since `rev` (a consistent view); null if nothing. */
  const catchUpState = async (state: StoreData): Promise<StoreData | null> => {
    if ((await currentRev(writer)) === rev) return null; // the usual case: one query
    await q("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    try {
      const loaded = await catchUp(writer, state, positions, rev);
      await q("COMMIT");
      return adopt(loaded);
    } catch (e) {
      await rollback();
      throw e;
    }
  };

  const core = createStoreCore(
    ctx.loaded.data,
    async (next, events) => {
      const failed = isFailed();
      if (failed) throw failed;
      const prev = core.read();
      const write = changeStatement(prev, next, events, positions, rev);
      let written: number;
      try {
        const { rows } = await writer.query<{ n: number }>({ name: statementName(write.text), text: write.text, values: write.values });
        written = rows[0].n;
      } catch (e) {
        // A refused statement changed nothing; a broken connection leaves its outcome unknown.
        if (!(e instanceof pg.DatabaseError)) poison(e);
        throw writeError(e);
      }
      if (written === 0) throw new StaleState();
      for (const [field, pos] of write.positions) positions.set(field, pos);
      rev += 1;
    },
    { catchUp: catchUpState },
  );

  const refresh = async (seen?: number): Promise<void> => {
    const failed = isFailed();
    if (failed) throw failed;
    if (seen !== undefined && rev >= seen) return;
    await core.sync(catchUpState);
  };

  return {
    read: core.read,
    update: core.update,
    refresh,
    problem: () => (core.isClosed() ? "Kho dữ liệu đã đóng" : (isFailed()?.message ?? null)),

    async exclusive<T>(name: string, work: () => Promise<T>): Promise<T> {
      if (core.isClosed()) throw new StoreError("CLOSED", "Kho dữ liệu đã đóng");
      const session = new pg.Client({ connectionString: url });
      session.on("error", () => undefined); // a lost session loses its lock; `work` goes on alone
      try {
        await session.connect();
      } catch (e) {
        throw connectError(url, e);
      }
      try {
        await session.query("SELECT pg_advisory_lock($1, hashtext($2))", [RUN_LOCK_SPACE, name]);
        await refresh();
        return await work();
      } finally {
        await session.end().catch(() => undefined); // ends the session: its lock goes with it
      }
    },

    sendLogArchive: postgresSendLogArchive(pool),

    async sharedSecret(name: string, make: () => string): Promise<string> {
      await pool.query("INSERT INTO shared_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING", [name, make()]);
      const { rows } = await pool.query<{ value: string }>("SELECT value FROM shared_secrets WHERE name = $1", [name]);
      return rows[0].value;
    },

    async events(filter?: EventFilter): Promise<Event[]> {
      if (core.isClosed()) throw new StoreError("CLOSED", "Kho dữ liệu đã đóng");
      const where: string[] = [];
      const values: unknown[] = [];
      if (filter?.taskCode !== undefined) where.push(`task_code = $${values.push(filter.taskCode)}`);
      if (filter?.agencyId !== undefined) where.push(`agency_id = $${values.push(filter.agencyId)}`);
      if (filter?.since !== undefined) where.push(`at >= $${values.push(filter.since)}`);
      let sql = `SELECT data FROM events${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY seq DESC`;
      if (filter?.limit !== undefined && Number.isFinite(filter.limit)) {
        if (filter.limit <= 0) return [];
        sql += ` LIMIT $${values.push(Math.floor(filter.limit))}`;
      }
      const { rows } = await pool.query<{ data: unknown }>(sql, values);
      return rows.map((r) => deepFreeze(Event.parse(r.data)));
    },

    close() {
      closing ??= (async () => {
        await core.close();
        await pool.end().catch(() => undefined);
        await writer.end().catch(() => undefined);
      })();
      return closing;
    },
  };
}

/**
 * The send-log's archive (./sendlog-archive.ts) as the table `send_log_archive (seq, key
 * UNIQUE, day, chat_id, data)`: `append` is one INSERT … ON CONFLICT (key) DO NOTHING of all its
 * entries (in order: `seq`), `prune` one DELETE by day (indexed), `moveChat` one transaction.
 * Read by every instance; written by the one that holds the reminder run (`exclusive`).
 */
function postgresSendLogArchive(pool: pg.Pool): SendLogArchive {
  return {
    async append(entries) {
      if (entries.length === 0) return;
      await pool.query(
        `INSERT INTO send_log_archive (key, day, chat_id, data)
         SELECT k, d, c, j FROM unnest($1::text[], $2::text[], $3::text[], $4::json[]) WITH ORDINALITY AS t(k, d, c, j, n)
         ORDER BY n ON CONFLICT (key) DO NOTHING`,
        [entries.map((e) => e.key), entries.map((e) => e.day), entries.map((e) => e.chatId), entries.map((e) => JSON.stringify(e))],
      );
    },
    async entries() {
      const { rows } = await pool.query<{ data: unknown }>("SELECT data FROM send_log_archive ORDER BY seq");
      return rows.map((r) => SendLogEntry.parse(r.data));
    },
    async prune(day) {
      const { rowCount } = await pool.query("DELETE FROM send_log_archive WHERE day < $1", [day]);
      return rowCount ?? 0;
    },
    async moveChat(from, to) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const { rows } = await client.query<{ data: unknown }>("SELECT data FROM send_log_archive WHERE chat_id = $1 FOR UPDATE", [from]);
        for (const row of rows) {
          const e = SendLogEntry.parse(row.data);
          const key = movedKey(e.key, from, to);
          await client.query(
            `UPDATE send_log_archive SET key = $2, chat_id = $3, data = $4
             WHERE key = $1 AND NOT EXISTS (SELECT 1 FROM send_log_archive WHERE key = $2 AND $2 <> $1)`,
            [e.key, key, to, JSON.stringify({ ...e, chatId: to, key })],
          );
        }
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

function writeError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  return new StoreError("FAILED", `Ghi vào PostgreSQL thất bại / PostgreSQL write failed: ${(e as Error)?.message ?? e}`, { cause: e });
}
