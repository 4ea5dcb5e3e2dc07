-- PostgreSQL: replicas claim side by side; SKIP LOCKED passes over the rows another replica is
-- claiming at this moment instead of waiting for them, and the re-check after the lock keeps a
-- row that was just claimed from being claimed twice.
--
-- The oldest unfinished message of each chat comes from one pass over the unfinished ones
-- (DISTINCT ON); the first due of them (ARRAY, computed once; four times as many as wanted, so
-- that replicas claiming together find some the others skipped) are then locked. No join is
-- left for the planner to get wrong: a NOT EXISTS anti-join was planned as a nested loop over
-- every unfinished message while the table had no statistics yet (a fresh database under
-- load), 240 ms a claim with 1,000 chats waiting. The literals $4 and $5 repeat the fourth
-- and fifth parameters: the re-check after the lock, and the limit.

-- name: claim-outbox
UPDATE outbox SET claimed_until = ?
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.id = ANY (ARRAY(
              SELECT f.id FROM (
                  SELECT DISTINCT ON (chat_id) id, next_at, claimed_until FROM outbox
                  WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL
                  ORDER BY chat_id, id) f
              WHERE f.next_at <= ? AND (f.claimed_until IS NULL OR f.claimed_until < ?)
              ORDER BY f.id
              LIMIT 4 * ?))
      AND o.sent_at IS NULL AND o.failed_at IS NULL AND (o.claimed_until IS NULL OR o.claimed_until < $4)
    ORDER BY o.id
    LIMIT $5
    FOR UPDATE OF o SKIP LOCKED)
RETURNING id, channel, chat_id, body, attempts, created_at, COALESCE(subscriber_id, 0) AS subscriber_id, claimed_until;

-- name: has-due-outbox
-- Not used on PostgreSQL (a claim that finds nothing writes nothing there); SQLite's version
-- names its index.
SELECT COUNT(*) FROM (
    SELECT 1 FROM outbox
    WHERE channel = ? AND sent_at IS NULL AND failed_at IS NULL AND next_at <= ?
      AND (claimed_until IS NULL OR claimed_until < ?)
    LIMIT 1) due;

-- name: mark-outbox-sent-many
UPDATE outbox SET sent_at = ?, attempts = attempts + 1, claimed_until = NULL, last_error = NULL
WHERE id = ANY (?::bigint[]);

-- name: try-leader-lock
SELECT pg_try_advisory_lock(hashtext(?));

-- name: leader-unlock
SELECT pg_advisory_unlock(hashtext(?));

-- name: outbox-backlog
SELECT channel, COUNT(*) AS pending, MIN(created_at) AS oldest_at
FROM outbox
WHERE sent_at IS NULL AND failed_at IS NULL
GROUP BY channel;
