-- The outbox dispatcher. A row is claimed with a lease (claimed_until) so that a crashed
-- dispatcher's rows go out again; only the oldest unfinished row of each chat is claimable, so
-- the messages of a chat leave in order and a row waiting for a retry holds back only its chat.

-- INDEXED BY keeps SQLite on the partial indexes of unfinished messages: left to itself it
-- walked the channel's every message, sent ones too, and a claim took longer as the outbox
-- grew (webhook throughput fell from 1,800 to 400 answers a second over 2,000 surveys).
-- PostgreSQL has its own versions (postgres/outbox_dispatch.sql).

-- name: claim-outbox
UPDATE outbox SET claimed_until = ?
WHERE id IN (
    SELECT o.id FROM outbox o INDEXED BY outbox_chat
    WHERE o.channel = ? AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_at <= ?
      AND (o.claimed_until IS NULL OR o.claimed_until < ?)
      AND NOT EXISTS (
          SELECT 1 FROM outbox p INDEXED BY outbox_chat
          WHERE p.channel = o.channel AND p.chat_id = o.chat_id AND p.id < o.id
            AND p.sent_at IS NULL AND p.failed_at IS NULL)
    ORDER BY o.id
    LIMIT ?)
RETURNING id, channel, chat_id, body, attempts, created_at, COALESCE(subscriber_id, 0) AS subscriber_id, claimed_until;

-- name: mark-outbox-sent-many
-- The ids are a JSON array: the dispatcher records a tick's sent messages at once.
UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = NULL
WHERE id IN (SELECT value FROM json_each(?));

-- The outcomes other than sent change a message only while the claim its sender took is still
-- the message's own (the last parameter, the claim's end): once a lease runs out another
-- dispatcher may claim the message, and a late outcome of the first must not undo that claim
-- (a release or a retry would let a third take it, and the message go out twice).

-- name: delay-outbox
-- A claimed message its sender holds back for the rate limits: still claimed, due later.
UPDATE outbox SET next_at = ? WHERE id = ? AND sent_at IS NULL AND claimed_until = ?;

-- name: retry-outbox
UPDATE outbox SET attempts = attempts + ?, next_at = ?, claimed_until = NULL, last_error = ?
WHERE id = ? AND sent_at IS NULL AND claimed_until = ?;

-- name: fail-outbox
UPDATE outbox SET attempts = attempts + 1, failed_at = ?, claimed_until = NULL, last_error = ?
WHERE id = ? AND sent_at IS NULL AND claimed_until = ?;

-- name: release-outbox
UPDATE outbox SET claimed_until = NULL WHERE id = ? AND sent_at IS NULL AND failed_at IS NULL AND claimed_until = ?;

-- name: last-outbox-id
-- The newest row only (a MAX(id) read every row of the chat: the generic plan of the
-- prepared statement did not turn it into this), or 0 with none.
SELECT COALESCE((SELECT id FROM outbox WHERE channel = ? AND chat_id = ? ORDER BY id DESC LIMIT 1), 0);

-- name: has-due-outbox
SELECT COUNT(*) FROM (
    SELECT 1 FROM outbox INDEXED BY outbox_pending
    WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL AND next_at <= ?
      AND (claimed_until IS NULL OR claimed_until < ?)
    LIMIT 1) due;

-- Leader locks: one replica at a time does a job that must not run twice (Telegram long
-- polling). SQLite serves one process, which is always the leader.

-- name: try-leader-lock
SELECT ? IS NOT NULL;

-- name: leader-unlock
SELECT ? IS NOT NULL;

-- name: outbox-backlog
-- The messages waiting to be sent, by channel; few, through the index of unfinished ones.
SELECT channel, COUNT(*) AS pending, MIN(created_at) AS oldest_at
FROM outbox INDEXED BY outbox_chat
WHERE sent_at IS NULL AND failed_at IS NULL
GROUP BY channel;
