-- Failed admin sign-ins per key (a client address, a username; stored as the SHA-256 hex of
-- "ip:…" or "user:…"), as a token bucket: every replica counts the same failures. A key is
-- deleted once its bucket is full again.
CREATE TABLE signin_failures (
    key    TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    at     INTEGER NOT NULL
);
