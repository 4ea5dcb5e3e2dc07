-- A lower bound of the platform's number of the message that first asked a session's current
-- question (NULL: not known). Telegram numbers the messages of a chat in order, the bot's and
-- the citizen's alike; the question was sent after the citizen's message that led to it, so
-- it is numbered after that message. A typed answer numbered at most one past the bound was
-- written before the question was on the citizen's screen (their "3" sent twice in a row):
-- meant for an earlier question, it is not taken as this one's.
ALTER TABLE sessions ADD COLUMN question_after BIGINT;
