-- A visit gives at most one response, and at most one open session at a time.
ALTER TABLE responses ADD COLUMN visit_token TEXT REFERENCES visits (token);
CREATE UNIQUE INDEX responses_one_per_visit ON responses (visit_token) WHERE visit_token IS NOT NULL;
CREATE UNIQUE INDEX sessions_one_active_per_visit ON sessions (visit_token) WHERE state = 'active' AND visit_token IS NOT NULL;
-- Web chat transcripts are read back per chat.
CREATE INDEX outbox_transcript ON outbox (channel, chat_id, id);
