-- Digests and alerts. digests_sent.period_from and period_to are local days YYYYMMDD.
-- A one-time code lets an agency head subscribe from the chat (/langganan CODE).
CREATE TABLE subscription_codes (
    code       TEXT PRIMARY KEY,
    unit_id    INTEGER REFERENCES units (id),
    agency_id  INTEGER REFERENCES agencies (id),
    schedule   TEXT NOT NULL,
    language   TEXT NOT NULL DEFAULT 'id',
    alerts     INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

-- When the subscriber last got an alert: at most one per few minutes, the rest batched.
ALTER TABLE subscribers ADD COLUMN last_alert_at INTEGER;
CREATE INDEX subscribers_address ON subscribers (channel, address);

-- Responses that call for an alert, per subscriber, until the next alert goes out.
CREATE TABLE alerts_pending (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    response_id   INTEGER NOT NULL REFERENCES responses (id),
    PRIMARY KEY (subscriber_id, response_id)
);
