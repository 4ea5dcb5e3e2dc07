-- name: insert-outbox
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: find-outbox-message
SELECT body, created_at FROM outbox WHERE id = ? AND channel = ? AND chat_id = ?;

-- name: find-transcript
SELECT body, created_at FROM outbox WHERE channel = ? AND chat_id = ? ORDER BY id;

-- name: take-unsent
-- A web chat's messages written outside its requests (the expiry notice), given with its next
-- answer. One statement, so that two requests of a chat cannot both take a message.
UPDATE outbox SET sent_at = ? WHERE channel = ? AND chat_id = ? AND sent_at IS NULL AND failed_at IS NULL
RETURNING id, body;
