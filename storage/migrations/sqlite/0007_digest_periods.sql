-- A digest is sent once per subscriber and period, the period being its first and last day.
-- Keyed by the first day alone, a digest sent by hand for part of a month (sukma digest send
-- --period 2026-11-01..2026-11-15) counted as the scheduled digest of the whole month, which
-- then never went out. SQLite cannot change a primary key: the table is built anew.
CREATE TABLE digests_sent_new (
    subscriber_id INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
    period_from   INTEGER NOT NULL,
    period_to     INTEGER NOT NULL,
    claimed_at    INTEGER NOT NULL,
    sent_at       INTEGER,
    PRIMARY KEY (subscriber_id, period_from, period_to)
);
INSERT INTO digests_sent_new (subscriber_id, period_from, period_to, claimed_at, sent_at)
SELECT subscriber_id, period_from, period_to, claimed_at, sent_at FROM digests_sent;
DROP TABLE digests_sent;
ALTER TABLE digests_sent_new RENAME TO digests_sent;
