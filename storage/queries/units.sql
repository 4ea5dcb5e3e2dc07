-- name: upsert-agency
-- The agency of the code, created or renamed to the name given.
INSERT INTO agencies (code, name) VALUES (?, ?)
ON CONFLICT (code) DO UPDATE SET name = excluded.name
RETURNING id;

-- name: ensure-agency
-- The agency of the code, created with the name given (its code) if new; an existing one keeps
-- its name. The update changes nothing: it is there so that RETURNING gives the id.
INSERT INTO agencies (code, name) VALUES (?, ?)
ON CONFLICT (code) DO UPDATE SET code = excluded.code
RETURNING id;

-- name: lock-code
-- A unit's or an agency's code, an admin's username or a flow's id, folded, locked until the
-- transaction ends: a no-op on SQLite,
-- which has one writer at a time (queries/postgres/units.sql has PostgreSQL's).
SELECT ? IS NOT NULL;

-- name: find-unit-code-folded
-- The unit code that is the code given in any case (codes are ASCII; lower() folds ASCII on
-- both databases). A deployment may hold two from before codes were compared so: either.
SELECT code FROM units WHERE lower(code) = lower(?) ORDER BY code LIMIT 1;

-- name: find-agency-code-folded
-- The agency of the code in any case: the one spelled as given first, if two differ in case.
SELECT id, code, name FROM agencies WHERE lower(code) = lower(?)
ORDER BY CASE WHEN code = ? THEN 0 ELSE 1 END, code LIMIT 1;

-- name: insert-unit
INSERT INTO units (code, name, agency_id, population, created_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id;

-- name: find-units
-- Internal units (the flow preview's "~PRATINJAU") start with "~", which no real code may.
SELECT u.id, u.code, u.name, COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       u.population, COALESCE(u.standing_token, '') AS standing_token, u.retired_at, u.created_at
FROM units u LEFT JOIN agencies a ON a.id = u.agency_id
WHERE u.code NOT LIKE '~%'
ORDER BY u.code;

-- name: find-unit-by-code
SELECT u.id, u.code, u.name, COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       u.population, COALESCE(u.standing_token, '') AS standing_token, u.retired_at, u.created_at
FROM units u LEFT JOIN agencies a ON a.id = u.agency_id
WHERE u.code = ?;

-- name: ensure-standing-token
-- Sets the token only if the unit has none, and returns the unit's token either way, in one
-- statement: two concurrent callers end up with the same token.
UPDATE units SET standing_token = COALESCE(standing_token, ?) WHERE id = ?
RETURNING standing_token;

-- name: find-unit-by-standing-token
SELECT u.id, u.code, u.name, COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       u.population, COALESCE(u.standing_token, '') AS standing_token, u.retired_at, u.created_at
FROM units u LEFT JOIN agencies a ON a.id = u.agency_id
WHERE u.standing_token = ?;

-- name: find-unit
SELECT u.id, u.code, u.name, COALESCE(a.code, '') AS agency_code, COALESCE(a.name, '') AS agency_name,
       u.population, COALESCE(u.standing_token, '') AS standing_token, u.retired_at, u.created_at
FROM units u LEFT JOIN agencies a ON a.id = u.agency_id
WHERE u.id = ?;
