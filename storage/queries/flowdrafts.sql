-- name: upsert-flow-draft
INSERT INTO flow_drafts (id, source, updated_by, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET source = excluded.source, updated_by = excluded.updated_by,
    updated_at = excluded.updated_at;

-- name: insert-flow-draft-if-none
-- The conditional save's first draft: a draft inserted meanwhile by another save is left
-- as it is (no row affected), for SaveFlowDraftFrom to judge.
INSERT INTO flow_drafts (id, source, updated_by, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (id) DO NOTHING;

-- name: replace-flow-draft-if-source
-- The conditional save's write: only over the draft text it judged (a compare-and-swap), so
-- that a save committed between its read and this write is not overwritten unseen.
UPDATE flow_drafts SET source = ?, updated_by = ?, updated_at = ? WHERE id = ? AND source = ?;

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

-- name: find-active-sessions-of-unit-flow
-- "expires_at IS NOT NULL" lets the index of open sessions (sessions_expiry) serve it: there
-- is no index by unit, and the table holds every session ever.
SELECT id FROM sessions WHERE unit_id = ? AND flow_id = ? AND state = 'active' AND expires_at IS NOT NULL;
