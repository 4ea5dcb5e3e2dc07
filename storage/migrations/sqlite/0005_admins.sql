-- Admin accounts of the web UI and their sessions. A province admin sees every unit; a unit
-- admin sees only the units of agency_id. Passwords are bcrypt hashes; a session is known by
-- the SHA-256 of its cookie value, so a leaked table opens no session.
CREATE TABLE admins (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL CHECK (role IN ('province', 'unit')),
    agency_id            INTEGER REFERENCES agencies (id),
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at           INTEGER NOT NULL
);

CREATE TABLE admin_sessions (
    id_hash    TEXT PRIMARY KEY,
    admin_id   INTEGER NOT NULL REFERENCES admins (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX admin_sessions_expiry ON admin_sessions (expires_at);
