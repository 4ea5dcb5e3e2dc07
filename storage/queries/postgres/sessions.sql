-- PostgreSQL locks the session row for the whole step, so messages of one chat are processed
-- one at a time and in order, across replicas. (SQLite's BEGIN IMMEDIATE already serialises.)

-- name: find-active-session
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions WHERE channel = ? AND chat_id = ? AND state = 'active'
FOR UPDATE;

-- name: find-session
SELECT id, channel, COALESCE(chat_id, '') AS chat_id, respondent_id, COALESCE(visit_token, '') AS visit_token,
       unit_id, service_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at, asked_at, clock_lead, question_after
FROM sessions WHERE id = ?
FOR UPDATE;
