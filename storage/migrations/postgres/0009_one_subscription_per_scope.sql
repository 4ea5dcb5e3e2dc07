-- A chat subscribes to a scope (a unit, an agency, or with neither the whole province) once:
-- subscribed twice, it got every digest and alert twice. Addresses are compared as the code
-- writes them now, so they are made so first: a WhatsApp number without "+", in the
-- international form (62…, not 0…), not a linked device's JID (number@s.whatsapp.net) as
-- chats subscribed before addresses were numbers.
UPDATE subscribers SET address = substr(address, 1, length(address) - length('@s.whatsapp.net'))
WHERE channel = 'whatsapp' AND address LIKE '%@s.whatsapp.net';
UPDATE subscribers SET address = substr(address, 2)
WHERE channel = 'whatsapp' AND address LIKE '+%';
UPDATE subscribers SET address = '62' || substr(address, 2)
WHERE channel = 'whatsapp' AND address LIKE '0%';

-- Of duplicates the newest stays: its schedule, language and alerts are the last asked for,
-- and it already gets the digests as they are now. It takes over the others' record of
-- digests sent and alerts pending, so that nothing goes out again or is dropped, and the
-- latest moment one of them was alerted.
INSERT INTO digests_sent (subscriber_id, period_from, period_to, claimed_at, sent_at)
SELECT (SELECT MAX(k.id) FROM subscribers k
        WHERE k.channel = s.channel AND k.address = s.address
          AND COALESCE(k.unit_id, 0) = COALESCE(s.unit_id, 0) AND COALESCE(k.agency_id, 0) = COALESCE(s.agency_id, 0)),
       d.period_from, d.period_to, d.claimed_at, d.sent_at
FROM digests_sent d JOIN subscribers s ON s.id = d.subscriber_id
WHERE EXISTS (SELECT 1 FROM subscribers k
              WHERE k.channel = s.channel AND k.address = s.address
                AND COALESCE(k.unit_id, 0) = COALESCE(s.unit_id, 0) AND COALESCE(k.agency_id, 0) = COALESCE(s.agency_id, 0)
                AND k.id > s.id)
ON CONFLICT DO NOTHING;

INSERT INTO alerts_pending (subscriber_id, response_id)
SELECT (SELECT MAX(k.id) FROM subscribers k
        WHERE k.channel = s.channel AND k.address = s.address
          AND COALESCE(k.unit_id, 0) = COALESCE(s.unit_id, 0) AND COALESCE(k.agency_id, 0) = COALESCE(s.agency_id, 0)),
       p.response_id
FROM alerts_pending p JOIN subscribers s ON s.id = p.subscriber_id
WHERE EXISTS (SELECT 1 FROM subscribers k
              WHERE k.channel = s.channel AND k.address = s.address
                AND COALESCE(k.unit_id, 0) = COALESCE(s.unit_id, 0) AND COALESCE(k.agency_id, 0) = COALESCE(s.agency_id, 0)
                AND k.id > s.id)
ON CONFLICT DO NOTHING;

UPDATE subscribers SET last_alert_at = (
    SELECT MAX(o.last_alert_at) FROM subscribers o
    WHERE o.channel = subscribers.channel AND o.address = subscribers.address
      AND COALESCE(o.unit_id, 0) = COALESCE(subscribers.unit_id, 0) AND COALESCE(o.agency_id, 0) = COALESCE(subscribers.agency_id, 0))
WHERE EXISTS (SELECT 1 FROM subscribers o
              WHERE o.channel = subscribers.channel AND o.address = subscribers.address
                AND COALESCE(o.unit_id, 0) = COALESCE(subscribers.unit_id, 0) AND COALESCE(o.agency_id, 0) = COALESCE(subscribers.agency_id, 0)
                AND o.id < subscribers.id);

-- The older duplicates go, their digests_sent and alerts_pending rows with them (cascade).
DELETE FROM subscribers
WHERE EXISTS (SELECT 1 FROM subscribers k
              WHERE k.channel = subscribers.channel AND k.address = subscribers.address
                AND COALESCE(k.unit_id, 0) = COALESCE(subscribers.unit_id, 0) AND COALESCE(k.agency_id, 0) = COALESCE(subscribers.agency_id, 0)
                AND k.id > subscribers.id);

-- Unit and agency ids start at 1, so 0 stands for "none" in the key: NULLs are never equal
-- in a unique index, and would let the province be subscribed any number of times.
CREATE UNIQUE INDEX subscribers_one_per_scope ON subscribers (channel, address, COALESCE(unit_id, 0), COALESCE(agency_id, 0));
