-- The answers of a response that no column of its own holds (the questions an agency added
-- to its flow), one "question_id: value" a line, in the flow's order; NULL when none. The
-- exports show them, where before they were kept in answers and shown nowhere.
ALTER TABLE responses ADD COLUMN lainnya TEXT;
