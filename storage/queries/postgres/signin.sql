-- name: record-signin-failure
-- PostgreSQL's version of ../signin.sql's.
INSERT INTO signin_failures (key, tokens, at) VALUES (?, ?::float8 - 1, ?)
ON CONFLICT (key) DO UPDATE SET
    tokens = GREATEST(0, LEAST(excluded.tokens + 1, signin_failures.tokens + (excluded.at - signin_failures.at)::float8 / ?::float8) - 1),
    at = excluded.at;
