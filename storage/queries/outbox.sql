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

-- name: recent-outgoing
-- A chat's newest messages, newest first, when one of them waits: not sent, not given up, not
-- claimed now (the first parameter, cast: PostgreSQL cannot tell its type there). The EXISTS names no row of the outer query: it is evaluated once, a
-- probe of the index of unfinished messages, and when false no message is read.
SELECT body, created_at,
       (sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < CAST(? AS BIGINT))) AS waiting
FROM outbox
WHERE channel = ? AND chat_id = ?
  AND EXISTS (SELECT 1 FROM outbox u WHERE u.channel = ? AND u.chat_id = ? AND u.sent_at IS NULL
              AND u.failed_at IS NULL AND (u.claimed_until IS NULL OR u.claimed_until < CAST(? AS BIGINT)))
ORDER BY id DESC
LIMIT ?;
