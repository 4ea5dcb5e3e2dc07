-- PostgreSQL versions of visit statements (see ../visits.sql).

-- name: lock-visit
-- The visit's row stays locked until the step commits: two chats starting one visit, or a
-- start and the step that completes the visit's survey (which marks it used), go one after
-- the other, and the second sees what the first did. Without the lock, a start that read the
-- visit unused and then found no open survey (completed in between) opened a second survey on
-- a visit already rated.
SELECT v.token, v.unit_id, u.code AS unit_code, u.name AS unit_name, v.service_id,
       COALESCE(s.code, '') AS service_code, COALESCE(s.name, '') AS service_name,
       v.flow_id, v.created_at, v.expires_at, v.used_at
FROM visits v JOIN units u ON u.id = v.unit_id LEFT JOIN services s ON s.id = v.service_id
WHERE v.token = ?
FOR UPDATE OF v;
