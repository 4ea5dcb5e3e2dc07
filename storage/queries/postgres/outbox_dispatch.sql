-- PostgreSQL: replicas claim side by side; SKIP LOCKED passes over the rows another replica is
-- claiming at this moment instead of waiting for them, and the re-check after the lock keeps a
-- row that was just claimed from being claimed twice.

-- name: claim-outbox
UPDATE outbox SET claimed_until = ?
WHERE id IN (
    SELECT o.id FROM outbox o
    WHERE o.channel = ? AND o.sent_at IS NULL AND o.failed_at IS NULL AND o.next_at <= ?
      AND (o.claimed_until IS NULL OR o.claimed_until < ?)
      AND NOT EXISTS (
          SELECT 1 FROM outbox p
          WHERE p.channel = o.channel AND p.chat_id = o.chat_id AND p.id < o.id
            AND p.sent_at IS NULL AND p.failed_at IS NULL)
    ORDER BY o.id
    LIMIT ?
    FOR UPDATE OF o SKIP LOCKED)
RETURNING id, channel, chat_id, body, attempts;

-- name: try-leader-lock
SELECT pg_try_advisory_lock(hashtext(?));

-- name: leader-unlock
SELECT pg_advisory_unlock(hashtext(?));
