-- name: find-active-session
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions WHERE channel = ? AND chat_id = ? AND state = 'active';

-- name: find-active-session-of-visit
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions WHERE visit_token = ? AND state = 'active';

-- name: find-session
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions WHERE id = ?;

-- name: insert-session
INSERT INTO sessions (channel, chat_id, respondent_id, visit_token, unit_id, service_id, flow_id, flow_version,
                      language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: update-session
UPDATE sessions SET language = ?, position = ?, updated_at = ?, asked_at = ?, clock_lead = ?, question_after = ? WHERE id = ?;

-- name: set-session-service
UPDATE sessions SET service_id = ? WHERE id = ?;

-- name: end-session
UPDATE sessions SET state = ?, chat_id = NULL, ended_at = ?, updated_at = ? WHERE id = ? AND state = 'active';

-- name: abandon-session
-- Only a session still as it was read: an answer since has moved its position or its time,
-- and PostgreSQL re-checks these columns on the row an answer's transaction left.
UPDATE sessions SET state = 'cancelled', chat_id = NULL, ended_at = ?, updated_at = ?
WHERE id = ? AND state = 'active' AND position = ? AND updated_at = ?
  AND NOT EXISTS (SELECT 1 FROM answers WHERE session_id = sessions.id);

-- name: find-expired-sessions
SELECT id FROM sessions WHERE state = 'active' AND expires_at < ? ORDER BY expires_at LIMIT 500;

-- name: upsert-respondent
INSERT INTO respondents (pseudonym, created_at) VALUES (?, ?)
ON CONFLICT (pseudonym) DO UPDATE SET pseudonym = excluded.pseudonym
RETURNING id;

-- name: upsert-answer
INSERT INTO answers (session_id, question_id, value, answered_at) VALUES (?, ?, ?, ?)
ON CONFLICT (session_id, question_id) DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at;

-- name: delete-answer
DELETE FROM answers WHERE session_id = ? AND question_id = ?;

-- name: delete-answers
DELETE FROM answers WHERE session_id = ?;

-- name: find-answers
SELECT question_id, value FROM answers WHERE session_id = ?;

-- name: insert-inbound-event
INSERT INTO inbound_events (channel, event_id, received_at) VALUES (?, ?, ?)
ON CONFLICT (channel, event_id) DO NOTHING;

-- name: completed-today-standing
SELECT COUNT(*) FROM responses
WHERE respondent_id = ? AND unit_id = ? AND local_day = ? AND status = 'complete';

-- name: move-session
UPDATE sessions SET chat_id = ?, updated_at = ? WHERE id = ? AND state = 'active';

-- name: purge-sent-outbox
-- Sent messages keep a chat id; once nobody can need them again they go. So do a web chat's
-- messages that waited for its next request (see take-unsent) when nobody came back for them.
DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) OR (failed_at IS NOT NULL AND failed_at < ?)
    OR (channel = 'web' AND sent_at IS NULL AND failed_at IS NULL AND created_at < ?);

-- name: purge-inbound-events
DELETE FROM inbound_events WHERE received_at < ?;
