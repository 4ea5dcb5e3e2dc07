-- The group commit's statements (storage/batch.go): the writes of many chats' steps, each
-- statement for all of them. Rows come as one JSON array of arrays (on PostgreSQL, as one
-- array per column: postgres/batch.sql).

-- name: record-inbound-events
-- [[channel, event_id, received_at], …]; returns the events not seen before.
INSERT INTO inbound_events (channel, event_id, received_at)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]')
FROM json_each(?) WHERE true
ON CONFLICT (channel, event_id) DO NOTHING
RETURNING channel, event_id;

-- name: delete-inbound-event
DELETE FROM inbound_events WHERE channel = ? AND event_id = ?;

-- name: lock-active-sessions
-- [[channel, chat_id], …]. SQLite's BEGIN IMMEDIATE already holds the only write lock.
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions
WHERE state = 'active'
  AND (channel, chat_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))
ORDER BY id;

-- name: outbox-heads
-- [[channel, chat_id], …]: each chat's newest outgoing message (id 0 if none), with what says
-- whether it waits.
SELECT json_extract(c.value, '$[0]') AS channel, json_extract(c.value, '$[1]') AS chat_id,
       COALESCE(o.id, 0) AS id, o.sent_at, o.failed_at, o.claimed_until, COALESCE(o.next_at, 0) AS next_at
FROM json_each(?) c
LEFT JOIN outbox o ON o.id = (SELECT id FROM outbox INDEXED BY outbox_transcript
                              WHERE channel = json_extract(c.value, '$[0]') AND chat_id = json_extract(c.value, '$[1]')
                              ORDER BY id DESC LIMIT 1);

-- name: delete-answers-many
-- [[session_id, question_id], …]: skipped optional questions.
DELETE FROM answers
WHERE (session_id, question_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?));

-- name: upsert-answers
-- [[session_id, question_id, value, answered_at], …], one row per answer.
INSERT INTO answers (session_id, question_id, value, answered_at)
SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]')
FROM json_each(?) WHERE true
ON CONFLICT (session_id, question_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at;

-- name: update-sessions
-- [[id, language, position, updated_at, asked_at, clock_lead, question_after], …], one row
-- per session.
UPDATE sessions SET language = u.language, position = u.position, updated_at = u.updated_at,
                    asked_at = u.asked_at, clock_lead = u.clock_lead, question_after = u.question_after
FROM (SELECT json_extract(value, '$[0]') AS id, json_extract(value, '$[1]') AS language,
             json_extract(value, '$[2]') AS position, json_extract(value, '$[3]') AS updated_at,
             json_extract(value, '$[4]') AS asked_at, json_extract(value, '$[5]') AS clock_lead,
             json_extract(value, '$[6]') AS question_after
      FROM json_each(?)) AS u
WHERE sessions.id = u.id;

-- name: insert-outbox-many
-- [[channel, chat_id, body, created_at, sent_at or null, claim_until or null], …], in the
-- order to send, then [id, …]. A message with a claim_until (the first of its chat here) is
-- claimed until then (see WriteBatch.ClaimFor) unless its chat has one written before it still
-- to send, other than the ids (those the claimer has sent and not yet recorded): a chat's
-- messages go in order. SQLite runs the SELECT to its end before it inserts (it reads the
-- table it writes).
INSERT INTO outbox (channel, chat_id, body, created_at, next_at, sent_at, claimed_until)
SELECT json_extract(m.value, '$[0]'), json_extract(m.value, '$[1]'), json_extract(m.value, '$[2]'),
       json_extract(m.value, '$[3]'), json_extract(m.value, '$[3]'), json_extract(m.value, '$[4]'),
       CASE WHEN json_extract(m.value, '$[5]') IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM outbox o INDEXED BY outbox_chat
                WHERE o.channel = json_extract(m.value, '$[0]') AND o.chat_id = json_extract(m.value, '$[1]')
                  AND o.sent_at IS NULL AND o.failed_at IS NULL
                  AND o.id NOT IN (SELECT h.value FROM json_each(?2) AS h))
            THEN json_extract(m.value, '$[5]') END
FROM json_each(?1) AS m ORDER BY m.key
RETURNING id, channel, chat_id, body, attempts, created_at, COALESCE(claimed_until, 0) AS claimed_until, sent_at;

-- name: recent-outgoing-many
-- [[channel, chat_id, now], …]: each chat's newest messages (at most 20), newest first, for
-- the chats whose newest message waits (see recent-outgoing).
SELECT json_extract(c.value, '$[0]') AS channel, json_extract(c.value, '$[1]') AS chat_id, o.body, o.created_at,
       (o.sent_at IS NULL AND o.failed_at IS NULL AND (o.claimed_until IS NULL OR o.claimed_until < json_extract(c.value, '$[2]')
                                                    OR o.next_at > json_extract(c.value, '$[2]'))) AS waiting
FROM json_each(?) c
JOIN outbox o ON o.id IN (SELECT id FROM outbox INDEXED BY outbox_transcript
                          WHERE channel = json_extract(c.value, '$[0]') AND chat_id = json_extract(c.value, '$[1]')
                          ORDER BY id DESC LIMIT 20)
WHERE (SELECT n.sent_at IS NULL AND n.failed_at IS NULL AND (n.claimed_until IS NULL OR n.claimed_until < json_extract(c.value, '$[2]')
                                                             OR n.next_at > json_extract(c.value, '$[2]'))
       FROM outbox n INDEXED BY outbox_transcript
       WHERE n.channel = json_extract(c.value, '$[0]') AND n.chat_id = json_extract(c.value, '$[1]')
       ORDER BY n.id DESC LIMIT 1)
ORDER BY o.id DESC;
