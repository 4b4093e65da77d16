-- Up Migration
-- Several dondoc instances on one database (src/store/postgres.ts, src/store/inbox-pg.ts).
-- Every committed update gets the next revision (`meta.rev`) and one row here saying which rows
-- it wrote: an instance whose in-memory state is at revision r catches up by reading the rows
-- named by the changes after r, instead of reloading everything. Old rows are pruned; an
-- instance further behind reloads its whole state.
CREATE TABLE store_changes (rev bigint PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), changes json NOT NULL);

-- The chat inbox (src/bot/inbox.ts protocol) when the store is PostgreSQL: an update is kept
-- here before the platform is told it arrived. `owner` (an instance's id) is handling it until
-- `lease_until`; after that any instance takes it over, and the owner itself at its restart.
CREATE TABLE inbox (key text PRIMARY KEY, chat text NOT NULL, payload json NOT NULL,
  accepted_at timestamptz NOT NULL DEFAULT now(), lease_until timestamptz NOT NULL,
  owner text, done_at timestamptz);
CREATE INDEX inbox_waiting ON inbox (accepted_at) WHERE done_at IS NULL;
CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL;

-- Secrets every instance must share (the Telegram webhook's secret token when it is generated).
CREATE TABLE shared_secrets (name text PRIMARY KEY, value text NOT NULL);

-- Down Migration
DROP TABLE shared_secrets;
DROP TABLE inbox;
DROP TABLE store_changes;
