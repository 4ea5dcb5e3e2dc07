-- name: insert-outbox
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at) VALUES (?, ?, ?, ?, ?, ?);

-- name: insert-subscriber-outbox
-- A digest or an alert: the subscriber it is for marks it (see EnqueueForSubscriber).
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, subscriber_id) VALUES (?, ?, ?, ?, ?, ?);

-- name: find-outbox-message
SELECT body, created_at FROM outbox WHERE id = ? AND channel = ? AND chat_id = ?;

-- name: find-transcript
SELECT body, created_at FROM outbox WHERE channel = ? AND chat_id = ? ORDER BY id;

-- name: take-unsent
-- A web chat's messages written outside its requests (the expiry notice), given with its next
-- answer. One statement, so that two requests of a chat cannot both take a message.
UPDATE outbox SET sent_at = ? WHERE channel = ? AND chat_id = ? AND sent_at IS NULL AND failed_at IS NULL
RETURNING id, body;

-- name: chat-outgoing
SELECT body, created_at, sent_at IS NOT NULL AS sent
FROM outbox
WHERE channel = ? AND chat_id = ?
ORDER BY id DESC
LIMIT ?;

-- name: recent-outgoing
-- A chat's newest messages, newest first, when one of them waits: not sent, not given up, and
-- not claimed now, or claimed but held back by the rate limits until later (now is the first
-- and second parameter, cast: PostgreSQL cannot tell its type there). A chat's
-- messages are sent in order, so one waits when its newest does: that is read first, by the
-- index of the chat's messages, and when it does not wait no other message is read. (Asked
-- of the partial index of unfinished messages, the planner may read the whole index, and
-- every message sent since the last VACUUM has an entry there.)
SELECT body, created_at,
       (sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < CAST(? AS BIGINT) OR next_at > CAST(? AS BIGINT))) AS waiting
FROM outbox
WHERE channel = ? AND chat_id = ?
  AND (SELECT n.sent_at IS NULL AND n.failed_at IS NULL AND (n.claimed_until IS NULL OR n.claimed_until < CAST(? AS BIGINT) OR n.next_at > CAST(? AS BIGINT))
       FROM outbox n WHERE n.channel = ? AND n.chat_id = ? ORDER BY n.id DESC LIMIT 1)
ORDER BY id DESC
LIMIT ?;
