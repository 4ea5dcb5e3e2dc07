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

-- name: find-service-by-code
SELECT id, unit_id, code, name, retired_at, created_at FROM services
WHERE unit_id = ? AND code = ?;

-- name: retire-service
UPDATE services SET retired_at = COALESCE(retired_at, ?) WHERE id = ?;

-- name: restore-service
UPDATE services SET retired_at = NULL WHERE id = ?;
