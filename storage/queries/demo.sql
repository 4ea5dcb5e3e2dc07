-- name: count-real-responses
-- Responses of units that are not demo units: real data that demo seeding must not mix with.
-- The unit DEMO made at first start is one: the README's first survey is answered there.
SELECT COUNT(*) FROM responses r JOIN units u ON u.id = r.unit_id WHERE u.code NOT LIKE 'DEMO-%' AND u.code <> 'DEMO';

-- name: count-subscribers
-- Subscribers get digests and alerts: demo data would reach them as if it were real.
SELECT COUNT(*) FROM subscribers;

-- name: insert-demo-session
-- A finished session (chat_id already purged, as the engine leaves it).
INSERT INTO sessions (channel, chat_id, respondent_id, visit_token, unit_id, service_id, flow_id, flow_version,
                      language, position, state, started_at, updated_at, expires_at, ended_at)
VALUES (?, NULL, ?, NULL, ?, ?, ?, ?, 'id', ?, ?, ?, ?, ?, ?)
RETURNING id;
