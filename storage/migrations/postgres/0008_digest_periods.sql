-- A digest is sent once per subscriber and period, the period being its first and last day.
-- Keyed by the first day alone, a digest sent by hand for part of a month (sukma digest send
-- --period 2026-11-01..2026-11-15) counted as the scheduled digest of the whole month, which
-- then never went out.
ALTER TABLE digests_sent DROP CONSTRAINT digests_sent_pkey;
ALTER TABLE digests_sent ADD PRIMARY KEY (subscriber_id, period_from, period_to);
