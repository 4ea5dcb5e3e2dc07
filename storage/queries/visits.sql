-- name: insert-visit
INSERT INTO visits (token, unit_id, service_id, flow_id, created_at, expires_at, request_key, request_sum)
VALUES (?, ?, ?, ?, ?, ?, ?, ?);

-- name: find-visit-by-request-key
SELECT v.token, v.unit_id, u.code AS unit_code, u.name AS unit_name, v.service_id,
       COALESCE(s.code, '') AS service_code, COALESCE(s.name, '') AS service_name,
       v.flow_id, v.created_at, v.expires_at, v.used_at, COALESCE(v.request_sum, '') AS request_sum
FROM visits v JOIN units u ON u.id = v.unit_id LEFT JOIN services s ON s.id = v.service_id
WHERE v.request_key = ?;

-- name: find-visit
SELECT v.token, v.unit_id, u.code AS unit_code, u.name AS unit_name, v.service_id,
       COALESCE(s.code, '') AS service_code, COALESCE(s.name, '') AS service_name,
       v.flow_id, v.created_at, v.expires_at, v.used_at
FROM visits v JOIN units u ON u.id = v.unit_id LEFT JOIN services s ON s.id = v.service_id
WHERE v.token = ?;

-- name: lock-visit
-- find-visit in a step that may open a survey on the visit. SQLite's one writer runs such
-- steps one after another; PostgreSQL locks the row (queries/postgres/visits.sql).
SELECT v.token, v.unit_id, u.code AS unit_code, u.name AS unit_name, v.service_id,
       COALESCE(s.code, '') AS service_code, COALESCE(s.name, '') AS service_name,
       v.flow_id, v.created_at, v.expires_at, v.used_at
FROM visits v JOIN units u ON u.id = v.unit_id LEFT JOIN services s ON s.id = v.service_id
WHERE v.token = ?;

-- name: mark-visit-used
UPDATE visits SET used_at = ? WHERE token = ? AND used_at IS NULL;
