-- PostgreSQL versions of the group commit's statements (see ../batch.sql): the rows come as
-- one array per column, unnested together.

-- name: record-inbound-events
INSERT INTO inbound_events (channel, event_id, received_at)
SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])
ON CONFLICT (channel, event_id) DO NOTHING
RETURNING channel, event_id;

-- name: lock-active-sessions
-- The rows are locked for the rest of the transaction, in id order, so that two batches
-- that share sessions (on two replicas) take their locks in the same order.
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at
FROM sessions
WHERE state = 'active' AND (channel, chat_id) IN (SELECT * FROM unnest(?::text[], ?::text[]))
ORDER BY id
FOR UPDATE;

-- name: last-outbox-ids
-- Run after lock-active-sessions, in a statement of its own: a subquery of the locking
-- statement would read the outbox as it was before the lock was granted, and miss the next
-- question written by the transaction it waited for.
SELECT c.channel, c.chat_id,
       COALESCE((SELECT o.id FROM outbox o WHERE o.channel = c.channel AND o.chat_id = c.chat_id
                 ORDER BY o.id DESC LIMIT 1), 0) AS id
FROM unnest(?::text[], ?::text[]) AS c(channel, chat_id);

-- name: delete-answers-many
DELETE FROM answers WHERE (session_id, question_id) IN (SELECT * FROM unnest(?::bigint[], ?::text[]));

-- name: upsert-answers
INSERT INTO answers (session_id, question_id, value, answered_at)
SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[])
ON CONFLICT (session_id, question_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at;

-- name: update-sessions
UPDATE sessions s SET language = u.language, position = u.position, updated_at = u.updated_at
FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bigint[]) AS u(id, language, position, updated_at)
WHERE s.id = u.id;

-- name: insert-outbox-many
-- The check for an older message of the chat is a subquery per row, on the partial index of
-- unsent messages: as a join it could be planned as a scan of the outbox.
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at, claimed_until)
SELECT m.channel, m.chat_id, m.body, m.created_at, m.created_at, m.sent_at,
       CASE WHEN (SELECT 1 FROM outbox o
                  WHERE o.channel = m.channel AND o.chat_id = m.chat_id
                    AND o.sent_at IS NULL AND o.failed_at IS NULL LIMIT 1) IS NULL
            THEN m.claimed_until END
FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
     WITH ORDINALITY AS m(channel, chat_id, body, created_at, sent_at, claimed_until, n)
ORDER BY m.n
RETURNING id, channel, chat_id, CASE WHEN claimed_until IS NOT NULL THEN body END AS body, attempts,
          claimed_until IS NOT NULL AS claimed;
