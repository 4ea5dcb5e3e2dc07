-- The Idempotency-Key a client sent with POST /api/v1/visits, and a digest of what it asked
-- (unit, service, phone): a retry with the same key gets the same visit back, and no second
-- WhatsApp invitation; the same key with another request is refused. NULL: sent without one.
ALTER TABLE visits ADD COLUMN request_key TEXT;
ALTER TABLE visits ADD COLUMN request_sum TEXT;
CREATE UNIQUE INDEX visits_request_key ON visits (request_key) WHERE request_key IS NOT NULL;
