-- name: get-setting
SELECT value FROM settings WHERE key = ?;

-- name: insert-setting-if-absent
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING;

-- name: put-setting
INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value;

-- name: delete-setting
DELETE FROM settings WHERE key = ?;
