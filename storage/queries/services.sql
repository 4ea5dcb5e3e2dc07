-- name: insert-service
INSERT INTO services (unit_id, code, name, created_at) VALUES (?, ?, ?, ?)
RETURNING id, unit_id, code, name, retired_at, created_at;

-- name: find-services
SELECT id, unit_id, code, name, retired_at, created_at FROM services
WHERE unit_id = ?
ORDER BY code;

-- name: find-service-code-folded
-- The unit's service code that is the code given in any case (see find-unit-code-folded).
SELECT code FROM services WHERE unit_id = ? AND lower(code) = lower(?) ORDER BY code LIMIT 1;

-- name: find-service-name-folded
-- A service of the unit in use, other than the one given (0: none), with the name in any case.
SELECT code, name FROM services
WHERE unit_id = ? AND lower(name) = lower(?) AND retired_at IS NULL AND id <> ?
ORDER BY code LIMIT 1;

-- name: find-service-unit
SELECT unit_id FROM services WHERE id = ?;

-- name: rename-service
UPDATE services SET name = ? WHERE id = ?;

-- name: find-service-by-code
SELECT id, unit_id, code, name, retired_at, created_at FROM services
WHERE unit_id = ? AND code = ?;

-- name: retire-service
UPDATE services SET retired_at = COALESCE(retired_at, ?) WHERE id = ?;

-- name: restore-service
UPDATE services SET retired_at = NULL WHERE id = ?;
