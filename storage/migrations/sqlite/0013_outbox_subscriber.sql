-- The subscriber a message is written for (a digest, an alert); NULL for the messages of a
-- conversation (replies to a citizen, a survey invitation). A digest or an alert is worth
-- delivering hours late, a reply is not: the dispatcher tries a subscriber's message for
-- longer during an outage. And when the subscription ends, its messages not sent yet are
-- dropped, but not the replies of a survey the same chat answers.
ALTER TABLE outbox ADD COLUMN subscriber_id INTEGER;
