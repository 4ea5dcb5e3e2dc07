-- When a session's current question was first asked, by the server's clock (0: not known, a
-- session opened before this column), and the least the server's clock has been ahead of a
-- platform's date of one of the session's messages (NULL: none dated yet), which bounds how
-- far the two clocks differ. Together they tell a typed answer written before the question
-- was asked (a citizen who sent "3" twice while the bot was down): meant for an earlier
-- question, it is not taken as this one's.
ALTER TABLE sessions ADD COLUMN asked_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN clock_lead BIGINT;
