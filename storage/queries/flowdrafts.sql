-- name: upsert-flow-draft
INSERT INTO flow_drafts (id, source, updated_by, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET source = excluded.source, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;

-- name: find-flow-draft
SELECT id, source, updated_by, updated_at FROM flow_drafts WHERE id = ?;

-- name: delete-flow-draft
DELETE FROM flow_drafts WHERE id = ? AND source = ?;

-- name: find-flow-summaries
-- Every published flow with its newest version; preview copies (ids starting with ~) are
-- not flows of their own.
SELECT f.id, f.version, f.published_by, f.published_at
FROM flows f
WHERE f.version = (SELECT MAX(version) FROM flows g WHERE g.id = f.id) AND f.id NOT LIKE '~%'
ORDER BY f.id;

-- name: delete-preview-responses
DELETE FROM responses WHERE unit_id = ?;

-- name: find-active-sessions-of-unit
-- "expires_at IS NOT NULL" lets the index of open sessions (sessions_expiry) serve it: there
-- is no index by unit, and the table holds every session ever.
SELECT id FROM sessions WHERE unit_id = ? AND state = 'active' AND expires_at IS NOT NULL;
