-- responses.session_id was INTEGER while sessions.id is BIGINT: the response of the
-- 2,147,483,648th session could not be stored. (SQLite's INTEGER is already 64-bit.)
ALTER TABLE responses ALTER COLUMN session_id TYPE BIGINT;
