-- Each partial index of open sessions now names its own column, so that only a query on that
-- column can read it. All three had "state = 'active'" in their predicates, which any query
-- on open sessions implies; and a partial index keeps an entry for every session that has
-- ended since the last VACUUM, which the planner cannot see. With statistics saying few
-- sessions are open, it read a whole such index where one probe would do: to end a session
-- by id, to find the one of a visit, to lock those of a batch's chats (up to 2.7 ms a
-- statement after 7,000 surveys without VACUUM, where a probe takes microseconds).
-- "chat_id = ?" implies "chat_id IS NOT NULL", and "expires_at < ?" "expires_at IS NOT NULL";
-- an ended session has no chat_id, so the unique index keeps one open session per chat.
-- SQLite's planner has no such statistics, and keeps its indexes as they are.
DROP INDEX sessions_one_active_per_chat;
CREATE UNIQUE INDEX sessions_one_active_per_chat ON sessions (channel, chat_id) WHERE state = 'active' AND chat_id IS NOT NULL;
DROP INDEX sessions_expiry;
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE state = 'active' AND expires_at IS NOT NULL;
