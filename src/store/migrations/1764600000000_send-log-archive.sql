-- Up Migration
-- The send-log's archive (src/store/sendlog-archive.ts): settled entries of earlier days, moved
-- here out of `send_log` by each day's first reminder run and read back by the planner; kept
-- out of the instances' in-memory state, like `events`. One row per entry, in the order added.
CREATE TABLE send_log_archive (seq bigserial PRIMARY KEY, key text NOT NULL UNIQUE, day text NOT NULL,
  chat_id text NOT NULL, data json NOT NULL);
CREATE INDEX send_log_archive_day ON send_log_archive (day);
CREATE INDEX send_log_archive_chat ON send_log_archive (chat_id);

-- Down Migration
DROP TABLE send_log_archive;
