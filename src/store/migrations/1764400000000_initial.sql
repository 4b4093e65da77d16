-- Up Migration
-- dondoc store, schema 1 (src/store/postgres.ts). Each array collection of StoreData is a table of
-- rows (pos, data): `pos` orders the rows as the array, `data` is one element as JSON (the `json`
-- type keeps the text as written: key order and every character survive a round trip).
-- Generated columns expose the fields looked up by key, with indexes.
CREATE TABLE meta (key text PRIMARY KEY, value json NOT NULL);

CREATE TABLE plans (pos double precision PRIMARY KEY, data json NOT NULL,
  id text GENERATED ALWAYS AS (data->>'id') STORED);
CREATE INDEX plans_id ON plans (id);

CREATE TABLE tasks (pos double precision PRIMARY KEY, data json NOT NULL,
  code text GENERATED ALWAYS AS (data->>'code') STORED,
  plan_id text GENERATED ALWAYS AS (data->>'planId') STORED);
CREATE INDEX tasks_code ON tasks (code);
CREATE INDEX tasks_plan ON tasks (plan_id);

CREATE TABLE assignments (pos double precision PRIMARY KEY, data json NOT NULL,
  id text GENERATED ALWAYS AS (data->>'id') STORED,
  task_code text GENERATED ALWAYS AS (data->>'taskCode') STORED,
  agency_id text GENERATED ALWAYS AS (data->>'agencyId') STORED);
CREATE INDEX assignments_id ON assignments (id);
CREATE INDEX assignments_task ON assignments (task_code);
CREATE INDEX assignments_agency ON assignments (agency_id);

CREATE TABLE extra_agencies (pos double precision PRIMARY KEY, data json NOT NULL,
  id text GENERATED ALWAYS AS (data->>'id') STORED);
CREATE INDEX extra_agencies_id ON extra_agencies (id);

CREATE TABLE bindings (pos double precision PRIMARY KEY, data json NOT NULL,
  chat_id text GENERATED ALWAYS AS (data->>'chatId') STORED,
  agency_id text GENERATED ALWAYS AS (data->>'agencyId') STORED);
CREATE INDEX bindings_chat ON bindings (chat_id);
CREATE INDEX bindings_agency ON bindings (agency_id);

CREATE TABLE pending_bindings (pos double precision PRIMARY KEY, data json NOT NULL,
  id text GENERATED ALWAYS AS (data->>'id') STORED);
CREATE INDEX pending_bindings_id ON pending_bindings (id);

CREATE TABLE extension_requests (pos double precision PRIMARY KEY, data json NOT NULL,
  id text GENERATED ALWAYS AS (data->>'id') STORED,
  assignment_id text GENERATED ALWAYS AS (data->>'assignmentId') STORED);
CREATE INDEX extension_requests_id ON extension_requests (id);
CREATE INDEX extension_requests_assignment ON extension_requests (assignment_id);

-- The reminder send-log: one row per (day, kind, chat) message.
CREATE TABLE send_log (pos double precision PRIMARY KEY, data json NOT NULL,
  key text GENERATED ALWAYS AS (data->>'key') STORED,
  day text GENERATED ALWAYS AS (data->>'day') STORED,
  chat_id text GENERATED ALWAYS AS (data->>'chatId') STORED);
CREATE INDEX send_log_key ON send_log (key);
CREATE INDEX send_log_day ON send_log (day);
CREATE INDEX send_log_chat ON send_log (chat_id);

CREATE TABLE run_log (pos double precision PRIMARY KEY, data json NOT NULL,
  key text GENERATED ALWAYS AS (data->>'key') STORED,
  day text GENERATED ALWAYS AS (data->>'day') STORED);
CREATE INDEX run_log_key ON run_log (key);

CREATE TABLE applied_updates (pos double precision PRIMARY KEY, data json NOT NULL,
  key text GENERATED ALWAYS AS (data->>'key') STORED,
  at text GENERATED ALWAYS AS (data->>'at') STORED);
CREATE INDEX applied_updates_key ON applied_updates (key);
CREATE INDEX applied_updates_at ON applied_updates (at);

-- Record-shaped fields (extraAliases, pendingImports, counters): one row per key; `ord` keeps
-- the keys' insertion order (an update of a key keeps its place, as in a JS object).
CREATE TABLE kv (coll text NOT NULL, key text NOT NULL, ord bigserial NOT NULL, value json NOT NULL,
  PRIMARY KEY (coll, key));

-- The audit trail, append-only.
CREATE TABLE events (seq bigint PRIMARY KEY, at text NOT NULL, task_code text, agency_id text,
  action text NOT NULL, data json NOT NULL);
CREATE INDEX events_task ON events (task_code, seq);
CREATE INDEX events_agency ON events (agency_id, seq);
CREATE INDEX events_at ON events (at);

-- Down Migration
DROP TABLE events;
DROP TABLE kv;
DROP TABLE applied_updates;
DROP TABLE run_log;
DROP TABLE send_log;
DROP TABLE extension_requests;
DROP TABLE pending_bindings;
DROP TABLE bindings;
DROP TABLE extra_agencies;
DROP TABLE assignments;
DROP TABLE tasks;
DROP TABLE plans;
DROP TABLE meta;
