-- The first schema. Times are unix milliseconds (UTC) in both dialects, so comparisons and
-- periods work the same everywhere; local_day is the YYYYMMDD date in SUKMA_TIMEZONE.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE agencies (
    id   INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE units (
    id             INTEGER PRIMARY KEY,
    code           TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    agency_id      INTEGER REFERENCES agencies (id),
    population     INTEGER NOT NULL DEFAULT 0,
    standing_token TEXT UNIQUE,
    retired_at     INTEGER,
    created_at     INTEGER NOT NULL
);

CREATE TABLE services (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    retired_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (unit_id, code)
);

-- Published versions of a flow are immutable; a draft is kept apart.
CREATE TABLE flows (
    id           TEXT NOT NULL,
    version      INTEGER NOT NULL,
    source       TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE flow_drafts (
    id         TEXT PRIMARY KEY,
    source     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE visits (
    token      TEXT PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    service_id INTEGER REFERENCES services (id),
    flow_id    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- A respondent is a pseudonym: HMAC-SHA256(secret, channel + user id), hex.
CREATE TABLE respondents (
    id         INTEGER PRIMARY KEY,
    pseudonym  TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);

-- One conversation of one chat with one flow version. chat_id is kept only while the session
-- is open, to reply; it is cleared when the session ends.
CREATE TABLE sessions (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    chat_id       TEXT,
    respondent_id INTEGER NOT NULL REFERENCES respondents (id),
    visit_token   TEXT REFERENCES visits (token),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    service_id    INTEGER REFERENCES services (id),
    flow_id       TEXT NOT NULL,
    flow_version  INTEGER NOT NULL,
    language      TEXT NOT NULL DEFAULT 'id',
    position      INTEGER NOT NULL DEFAULT 0,
    state         TEXT NOT NULL DEFAULT 'active',
    started_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    FOREIGN KEY (flow_id, flow_version) REFERENCES flows (id, version)
);
CREATE UNIQUE INDEX sessions_one_active_per_chat ON sessions (channel, chat_id) WHERE state = 'active';
CREATE INDEX sessions_expiry ON sessions (expires_at) WHERE state = 'active';

CREATE TABLE answers (
    session_id  INTEGER NOT NULL REFERENCES sessions (id),
    question_id TEXT NOT NULL,
    value       TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (session_id, question_id)
);

-- A finished session, flattened for the index: the nine element scores (NULL = not
-- answered), the profile and the suggestion. status is complete or partial; only complete
-- responses count.
CREATE TABLE responses (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL UNIQUE REFERENCES sessions (id),
    respondent_id INTEGER NOT NULL REFERENCES respondents (id),
    unit_id       INTEGER NOT NULL REFERENCES units (id),
    service_id    INTEGER REFERENCES services (id),
    flow_id       TEXT NOT NULL,
    flow_version  INTEGER NOT NULL,
    status        TEXT NOT NULL,
    finished_at   INTEGER NOT NULL,
    local_day     INTEGER NOT NULL,
    u1 INTEGER, u2 INTEGER, u3 INTEGER, u4 INTEGER, u5 INTEGER,
    u6 INTEGER, u7 INTEGER, u8 INTEGER, u9 INTEGER,
    jenis_kelamin TEXT,
    usia          INTEGER,
    pendidikan    TEXT,
    pekerjaan     TEXT,
    saran         TEXT,
    perbaikan     TEXT
);
CREATE INDEX responses_unit_day ON responses (unit_id, local_day) WHERE status = 'complete';
CREATE INDEX responses_day ON responses (local_day) WHERE status = 'complete';

CREATE TABLE subscribers (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER REFERENCES units (id),
    agency_id  INTEGER REFERENCES agencies (id),
    channel    TEXT NOT NULL,
    address    TEXT NOT NULL,
    schedule   TEXT NOT NULL,
    language   TEXT NOT NULL DEFAULT 'id',
    alerts     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- One row per subscriber and period, claimed before sending: exactly once across replicas.
CREATE TABLE digests_sent (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    period_from   INTEGER NOT NULL,
    period_to     INTEGER NOT NULL,
    claimed_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    PRIMARY KEY (subscriber_id, period_from)
);

-- Messages to send, written in the same transaction as the step that produced them.
CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY,
    channel       TEXT NOT NULL,
    chat_id       TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    claimed_until INTEGER,
    sent_at       INTEGER,
    failed_at     INTEGER,
    last_error    TEXT
);
CREATE INDEX outbox_pending ON outbox (next_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_chat ON outbox (channel, chat_id, id) WHERE sent_at IS NULL AND failed_at IS NULL;

-- Inbound platform events already processed: a redelivery counts once.
CREATE TABLE inbound_events (
    channel     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (channel, event_id)
);
