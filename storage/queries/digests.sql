-- Digests sent (claimed once per subscriber and period, days YYYYMMDD) and alerts.
-- Keep question marks out of comments: Rebind rewrites them.

-- name: claim-digest
-- Only the transaction that inserts the row sends the digest: replicas race here.
INSERT INTO digests_sent (subscriber_id, period_from, period_to, claimed_at, sent_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (subscriber_id, period_from, period_to) DO NOTHING;

-- name: digest-claimed
SELECT COUNT(*) FROM digests_sent WHERE subscriber_id = ? AND period_from = ? AND period_to = ?;

-- name: recent-suggestions
-- The newest suggestions of complete responses: the text only, never who wrote it. The
-- marker is replaced with the unit condition like the aggregates.
SELECT u.name, r.local_day, COALESCE(r.saran, ''), COALESCE(r.perbaikan, '')
FROM responses r JOIN units u ON u.id = r.unit_id
WHERE r.status = 'complete' AND r.local_day >= ? AND r.local_day <= ? /*filter*/
  AND (COALESCE(r.saran, '') <> '' OR COALESCE(r.perbaikan, '') <> '')
ORDER BY r.finished_at DESC, r.id DESC
LIMIT 10;

-- name: max-response-id
SELECT COALESCE(MAX(id), 0) FROM responses;

-- name: responses-after
SELECT r.id, r.unit_id, COALESCE(u.agency_id, 0), r.status,
       COALESCE(r.u1, 0), COALESCE(r.u2, 0), COALESCE(r.u3, 0), COALESCE(r.u4, 0), COALESCE(r.u5, 0),
       COALESCE(r.u6, 0), COALESCE(r.u7, 0), COALESCE(r.u8, 0), COALESCE(r.u9, 0),
       COALESCE(r.perbaikan, ''), COALESCE(r.saran, ''), r.finished_at
FROM responses r JOIN units u ON u.id = r.unit_id
WHERE r.id > ?
ORDER BY r.id
LIMIT 500;

-- name: advance-setting
-- Compare and set: of two replicas advancing the same cursor, one wins.
UPDATE settings SET value = ? WHERE key = ? AND value = ?;

-- name: insert-pending-alert
INSERT INTO alerts_pending (subscriber_id, response_id) VALUES (?, ?) ON CONFLICT DO NOTHING;

-- name: subscribers-with-pending-alerts
SELECT DISTINCT subscriber_id FROM alerts_pending ORDER BY subscriber_id;

-- name: claim-alert-slot
UPDATE subscribers SET last_alert_at = ? WHERE id = ? AND (last_alert_at IS NULL OR last_alert_at <= ?);

-- name: pending-alert-responses
SELECT r.id, r.status, u.code, u.name, COALESCE(s.name, ''), r.finished_at,
       COALESCE(r.u1, 0), COALESCE(r.u2, 0), COALESCE(r.u3, 0), COALESCE(r.u4, 0), COALESCE(r.u5, 0),
       COALESCE(r.u6, 0), COALESCE(r.u7, 0), COALESCE(r.u8, 0), COALESCE(r.u9, 0),
       COALESCE(r.perbaikan, ''), COALESCE(r.saran, '')
FROM alerts_pending p
JOIN responses r ON r.id = p.response_id
JOIN units u ON u.id = r.unit_id
LEFT JOIN services s ON s.id = r.service_id
WHERE p.subscriber_id = ?
ORDER BY r.id;

-- name: delete-pending-alerts
DELETE FROM alerts_pending WHERE subscriber_id = ? AND response_id <= ?;

-- name: subscription-languages
-- The languages of a chat's subscriptions, read before /berhenti deletes them to answer in theirs.
SELECT language FROM subscribers WHERE channel = ? AND address = ? ORDER BY id;
