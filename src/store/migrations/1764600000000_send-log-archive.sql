-- Up Migration
-- The settled part of the send-log (StoreData.sendLogArchive, src/core/sendlog.ts rollSendLog):
-- entries of earlier days, moved here by each day's first reminder run, so the day's sends
-- write only the short `send_log`. Same shape and keys as `send_log`.
CREATE TABLE send_log_archive (pos double precision PRIMARY KEY, data json NOT NULL,
  key text GENERATED ALWAYS AS (data->>'key') STORED,
  day text GENERATED ALWAYS AS (data->>'day') STORED,
  chat_id text GENERATED ALWAYS AS (data->>'chatId') STORED);
CREATE INDEX send_log_archive_day ON send_log_archive (day);
CREATE INDEX send_log_archive_chat ON send_log_archive (chat_id);

-- Down Migration
DROP TABLE send_log_archive;
