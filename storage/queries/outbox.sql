-- name: insert-outbox
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: find-transcript
SELECT body FROM outbox WHERE channel = ? AND chat_id = ? ORDER BY id;
