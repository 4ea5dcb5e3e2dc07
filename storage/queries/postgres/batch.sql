-- PostgreSQL versions of the group commit's statements (see ../batch.sql): the rows come as
-- one array per column, unnested together.

-- name: record-inbound-events
INSERT INTO inbound_events (channel, event_id, received_at)
SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])
ON CONFLICT (channel, event_id) DO NOTHING
RETURNING channel, event_id;

-- name: lock-active-sessions
-- One probe of sessions_one_active_per_chat per chat, each row locked as it is found: as a
-- join, the planner could read the whole index (every session ended since the last VACUUM
-- leaves an entry there) for each batch. The chats come sorted, so two batches that share
-- sessions (on two replicas) take their locks in the same order.
SELECT s.id, s.channel, COALESCE(s.chat_id, '') AS chat_id, s.respondent_id, COALESCE(s.visit_token, '') AS visit_token,
       s.unit_id, s.service_id, s.flow_id, s.flow_version, s.language, s.position, s.state, s.started_at, s.updated_at, s.expires_at, s.asked_at, s.clock_lead, s.question_after
FROM unnest(?::text[], ?::text[]) AS c(channel, chat_id)
CROSS JOIN LATERAL (
    SELECT * FROM sessions
    WHERE channel = c.channel AND chat_id = c.chat_id AND state = 'active'
    FOR UPDATE) s;

-- name: outbox-heads
-- Run after lock-active-sessions, in a statement of its own: a subquery of the locking
-- statement would read the outbox as it was before the lock was granted, and miss the next
-- question written by the transaction it waited for. Each chat's newest outgoing message (id
-- 0 if none): its id, and whether it waits (see recent-outgoing).
SELECT c.channel, c.chat_id, COALESCE(o.id, 0) AS id, o.sent_at, o.failed_at, o.claimed_until, COALESCE(o.next_at, 0) AS next_at
FROM unnest(?::text[], ?::text[]) AS c(channel, chat_id)
LEFT JOIN LATERAL (
    SELECT id, sent_at, failed_at, claimed_until, next_at FROM outbox
    WHERE channel = c.channel AND chat_id = c.chat_id
    ORDER BY id DESC LIMIT 1) o ON true;

-- name: delete-answers-many
DELETE FROM answers WHERE (session_id, question_id) IN (SELECT * FROM unnest(?::bigint[], ?::text[]));

-- name: upsert-answers
INSERT INTO answers (session_id, question_id, value, answered_at)
SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[])
ON CONFLICT (session_id, question_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at;

-- name: update-sessions
UPDATE sessions s SET language = u.language, position = u.position, updated_at = u.updated_at,
                      asked_at = u.asked_at, clock_lead = u.clock_lead, question_after = u.question_after
FROM unnest(?::bigint[], ?::text[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
     AS u(id, language, position, updated_at, asked_at, clock_lead, question_after)
WHERE s.id = u.id;

-- name: insert-outbox-many
-- A message with a claim_until (the first of its chat here) is claimed until then (see
-- WriteBatch.ClaimFor) unless its chat has one written before it still to send, other than
-- those the claimer has sent and not yet recorded (the last parameter): a chat's messages go
-- in order.
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at, claimed_until)
SELECT channel, chat_id, body, created_at, created_at, sent_at,
       CASE WHEN claim_until IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM outbox o
                WHERE o.channel = m.channel AND o.chat_id = m.chat_id AND o.sent_at IS NULL AND o.failed_at IS NULL
                  AND o.id <> ALL ($7::bigint[]))
            THEN claim_until END
FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
     WITH ORDINALITY AS m(channel, chat_id, body, created_at, sent_at, claim_until, n)
ORDER BY n
RETURNING id, channel, chat_id, body, attempts, created_at, COALESCE(claimed_until, 0) AS claimed_until, sent_at;

-- name: recent-outgoing-many
-- Run after outbox-heads, for the chats whose newest message waits there. Each chat's newest
-- messages (at most 20), newest first, if its newest message still waits (see ../outbox.sql,
-- recent-outgoing).
SELECT c.channel, c.chat_id, o.body, o.created_at, o.waiting
FROM unnest(?::text[], ?::text[], ?::bigint[]) AS c(channel, chat_id, now)
CROSS JOIN LATERAL (
    SELECT sent_at, failed_at, claimed_until, next_at FROM outbox
    WHERE channel = c.channel AND chat_id = c.chat_id
    ORDER BY id DESC LIMIT 1) n
CROSS JOIN LATERAL (
    SELECT id, body, created_at,
           (sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < c.now OR next_at > c.now)) AS waiting
    FROM outbox
    WHERE channel = c.channel AND chat_id = c.chat_id
    ORDER BY id DESC
    LIMIT 20) o
WHERE n.sent_at IS NULL AND n.failed_at IS NULL AND (n.claimed_until IS NULL OR n.claimed_until < c.now OR n.next_at > c.now)
ORDER BY o.id DESC;
