-- name: count-admins
SELECT COUNT(*) FROM admins;

-- name: insert-admin
INSERT INTO admins (username, password_hash, role, agency_id, must_change_password, created_at)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: find-admin-by-username
SELECT a.id, a.username, a.password_hash, a.role, a.agency_id, COALESCE(g.code, '') AS agency_code,
       COALESCE(g.name, '') AS agency_name, a.must_change_password, a.created_at
FROM admins a LEFT JOIN agencies g ON g.id = a.agency_id
WHERE a.username = ?;

-- name: find-admin-usernames-folded
-- The usernames that are the name given in any case (usernames are ASCII; lower() folds ASCII
-- on both databases). A deployment may hold two from before usernames were compared so.
SELECT username FROM admins WHERE lower(username) = lower(?) ORDER BY username;

-- name: find-admin-by-id
SELECT a.id, a.username, a.password_hash, a.role, a.agency_id, COALESCE(g.code, '') AS agency_code,
       COALESCE(g.name, '') AS agency_name, a.must_change_password, a.created_at
FROM admins a LEFT JOIN agencies g ON g.id = a.agency_id
WHERE a.id = ?;

-- name: find-admins
SELECT a.id, a.username, a.password_hash, a.role, a.agency_id, COALESCE(g.code, '') AS agency_code,
       COALESCE(g.name, '') AS agency_name, a.must_change_password, a.created_at
FROM admins a LEFT JOIN agencies g ON g.id = a.agency_id
ORDER BY a.username;

-- name: set-admin-password
UPDATE admins SET password_hash = ?, must_change_password = ? WHERE id = ?;

-- name: delete-admin
DELETE FROM admins WHERE id = ?;

-- name: insert-admin-session
INSERT INTO admin_sessions (id_hash, admin_id, csrf_token, created_at, expires_at)
VALUES (?, ?, ?, ?, ?);

-- name: find-admin-session
SELECT s.csrf_token, s.expires_at, a.id, a.username, a.password_hash, a.role, a.agency_id,
       COALESCE(g.code, '') AS agency_code, COALESCE(g.name, '') AS agency_name,
       a.must_change_password, a.created_at
FROM admin_sessions s JOIN admins a ON a.id = s.admin_id
LEFT JOIN agencies g ON g.id = a.agency_id
WHERE s.id_hash = ? AND s.expires_at > ?;

-- name: delete-admin-session
DELETE FROM admin_sessions WHERE id_hash = ?;

-- name: delete-admin-sessions-of
DELETE FROM admin_sessions WHERE admin_id = ? AND id_hash <> ?;

-- name: purge-admin-sessions
DELETE FROM admin_sessions WHERE expires_at <= ?;

-- name: find-agencies
SELECT id, code, name FROM agencies ORDER BY code;

-- name: update-unit
UPDATE units SET name = ?, agency_id = ?, population = ? WHERE id = ?;

-- name: retire-unit
UPDATE units SET retired_at = COALESCE(retired_at, ?) WHERE id = ?;

-- name: restore-unit
UPDATE units SET retired_at = NULL WHERE id = ?;

-- name: admin-latest-suggestions
-- The newest open answers (saran, perbaikan) of complete responses; the filter comment is replaced by the unit and
-- service conditions at call time, like the aggregates.
SELECT r.finished_at, u.code AS unit_code, u.name AS unit_name, COALESCE(r.saran, '') AS saran,
       COALESCE(r.perbaikan, '') AS perbaikan
FROM responses r JOIN units u ON u.id = r.unit_id
WHERE r.status = 'complete' AND r.local_day BETWEEN ? AND ? /*filter*/
  AND (COALESCE(r.saran, '') <> '' OR COALESCE(r.perbaikan, '') <> '')
ORDER BY r.finished_at DESC, r.id DESC
LIMIT ?;
