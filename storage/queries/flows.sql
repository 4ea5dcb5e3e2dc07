-- name: find-flow-version
SELECT id, version, source, published_by, published_at FROM flows WHERE id = ? AND version = ?;

-- name: find-latest-flow
SELECT id, version, source, published_by, published_at FROM flows WHERE id = ?
ORDER BY version DESC LIMIT 1;

-- name: find-flow-versions
SELECT id, version, source, published_by, published_at FROM flows WHERE id = ? ORDER BY version;

-- name: insert-flow-version
INSERT INTO flows (id, version, source, published_by, published_at)
VALUES (?, ?, ?, ?, ?);

-- name: latest-flow-version
SELECT COALESCE(MAX(version), 0) FROM flows WHERE id = ?;
