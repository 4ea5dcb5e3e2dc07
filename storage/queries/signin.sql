-- name: find-signin-failures
SELECT tokens, at FROM signin_failures WHERE key = ?;

-- name: record-signin-failure
-- A failure takes a token from the key's bucket (burst ?, one back every ? ms), if it has one.
INSERT INTO signin_failures (key, tokens, at) VALUES (?, ? - 1, ?)
ON CONFLICT (key) DO UPDATE SET
    tokens = MAX(0, MIN(excluded.tokens + 1, signin_failures.tokens + (excluded.at - signin_failures.at) * 1.0 / ?) - 1),
    at = excluded.at;

-- name: purge-signin-failures
DELETE FROM signin_failures WHERE at <= ?;
