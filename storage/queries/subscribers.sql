-- Subscribers of digests and alerts, and the one-time codes heads subscribe with from chat.
-- A subscriber follows a unit (unit_id), an agency (agency_id) or, with neither, the province.

-- name: insert-subscriber
INSERT INTO subscribers (unit_id, agency_id, channel, address, schedule, language, alerts, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: upsert-subscriber
-- A chat subscribes to a scope once (subscribers_one_per_scope): subscribing again changes
-- the schedule, language and alerts. A new schedule counts from now, so that no digest of
-- it is caught up from before.
INSERT INTO subscribers (unit_id, agency_id, channel, address, schedule, language, alerts, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (channel, address, COALESCE(unit_id, 0), COALESCE(agency_id, 0)) DO UPDATE
SET schedule = excluded.schedule, language = excluded.language, alerts = excluded.alerts,
    created_at = CASE WHEN subscribers.schedule = excluded.schedule THEN subscribers.created_at ELSE excluded.created_at END
RETURNING id;

-- name: find-subscriber-of-scope
SELECT s.id, s.unit_id, s.agency_id, COALESCE(u.code, '') AS unit_code, COALESCE(u.name, '') AS unit_name,
       COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       s.channel, s.address, s.schedule, s.language, s.alerts, s.created_at, s.last_alert_at
FROM subscribers s
LEFT JOIN units u ON u.id = s.unit_id
LEFT JOIN agencies a ON a.id = s.agency_id
WHERE s.channel = ? AND s.address = ? AND COALESCE(s.unit_id, 0) = ? AND COALESCE(s.agency_id, 0) = ?;

-- name: find-subscribers
SELECT s.id, s.unit_id, s.agency_id, COALESCE(u.code, '') AS unit_code, COALESCE(u.name, '') AS unit_name,
       COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       s.channel, s.address, s.schedule, s.language, s.alerts, s.created_at, s.last_alert_at
FROM subscribers s
LEFT JOIN units u ON u.id = s.unit_id
LEFT JOIN agencies a ON a.id = s.agency_id
ORDER BY s.id;

-- name: find-subscriber
SELECT s.id, s.unit_id, s.agency_id, COALESCE(u.code, '') AS unit_code, COALESCE(u.name, '') AS unit_name,
       COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       s.channel, s.address, s.schedule, s.language, s.alerts, s.created_at, s.last_alert_at
FROM subscribers s
LEFT JOIN units u ON u.id = s.unit_id
LEFT JOIN agencies a ON a.id = s.agency_id
WHERE s.id = ?;

-- name: delete-subscriber
DELETE FROM subscribers WHERE id = ?;

-- name: delete-subscribers-of-address
DELETE FROM subscribers WHERE channel = ? AND address = ?;

-- name: drop-unsent-of-subscriber
-- A subscriber's digests and alerts not sent yet, given up as it is deleted, through the index
-- of the chat's unfinished messages (a digest is written to the subscriber's address). The
-- chat's other messages stay: a survey it answers, another subscription's.
UPDATE outbox SET failed_at = ?, claimed_until = NULL, last_error = ?
WHERE channel = (SELECT channel FROM subscribers WHERE id = ?)
  AND chat_id = (SELECT address FROM subscribers WHERE id = ?)
  AND subscriber_id = ? AND sent_at IS NULL AND failed_at IS NULL;

-- name: drop-unsent-of-address
-- The same for every subscription of a chat (/berhenti).
UPDATE outbox SET failed_at = ?, claimed_until = NULL, last_error = ?
WHERE channel = ? AND chat_id = ? AND sent_at IS NULL AND failed_at IS NULL
  AND subscriber_id IN (SELECT id FROM subscribers WHERE channel = ? AND address = ?);

-- name: find-agency-by-id
SELECT id, code, name FROM agencies WHERE id = ?;

-- name: insert-subscription-code
INSERT INTO subscription_codes (code, unit_id, agency_id, schedule, language, alerts, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: find-subscription-code
SELECT code, unit_id, agency_id, schedule, language, alerts, expires_at, used_at
FROM subscription_codes WHERE code = ?;

-- name: use-subscription-code
-- Only an unused code is taken: of two chats racing on one code, one wins.
UPDATE subscription_codes SET used_at = ? WHERE code = ? AND used_at IS NULL;

-- name: subscriber-last-messages
-- Each subscriber's newest digest or alert (EnqueueForSubscriber), found in its chat's
-- messages through the index of each chat's messages (outbox_transcript): for the admin's
-- list of subscribers, which says whether it arrived.
SELECT s.id AS subscriber_id, o.created_at, o.sent_at, o.failed_at, o.attempts, COALESCE(o.last_error, '') AS last_error
FROM subscribers s
JOIN outbox o ON o.id = (SELECT MAX(p.id) FROM outbox p WHERE p.channel = s.channel AND p.chat_id = s.address AND p.subscriber_id = s.id);
