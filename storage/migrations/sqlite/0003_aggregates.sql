-- Covering indexes for the IKM aggregates (storage/queries/aggregates.sql): every column the
-- sums read is in the index, so a unit's period or a whole province's year is counted from
-- the index alone, without a lookup into the table per response.
CREATE INDEX responses_aggregate_unit ON responses (unit_id, local_day, service_id, u1, u2, u3, u4, u5, u6, u7, u8, u9) WHERE status = 'complete';
CREATE INDEX responses_aggregate_day ON responses (local_day, unit_id, service_id, u1, u2, u3, u4, u5, u6, u7, u8, u9) WHERE status = 'complete';
