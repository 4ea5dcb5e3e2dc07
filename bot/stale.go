package bot

import (
	"encoding/json"

	"sukma/storage"
)

// A typed answer written before the question now asked was on the citizen's screen was meant
// for an earlier one: a citizen sends "3" again when the bot is down or slow, and once it is
// back their first "3" answers the question and the second would answer the next one, unseen.
// Telegram and WhatsApp date each message (in whole seconds, by their own clocks); the session
// keeps when its question was asked (by the server's clock) and how far the server's clock can
// be ahead of the platform's: the least it has been ahead of the date of one of the session's
// messages, each of which was written before it arrived. A pressed button is checked by its
// message instead (Inbound.Button), and the web page names its question (Inbound.Question).

// staleSlack is what a dated message must be older than that by, beyond its date's second:
// replicas' clocks may differ by that much.
const staleSlack = 1000 + 1000 // ms

// writtenBeforeAsked reports whether the step's typed message was certainly written before the
// session's current question was first asked.
func (c *conversation) writtenBeforeAsked() bool {
	in, sess := c.in, c.sess
	if !in.dated || in.Button != 0 || sess.AskedAt == 0 || sess.ClockLead == nil {
		return false
	}
	return c.now+*sess.ClockLead+staleSlack <= sess.AskedAt
}

// noteLead keeps in sess the least lead of the server's clock over its platform's dates,
// counting the step's message.
func (s *step) noteLead(sess *storage.Session) {
	if !s.in.dated {
		return
	}
	if lead := s.clock - s.now; sess.ClockLead == nil || lead < *sess.ClockLead {
		sess.ClockLead = &lead
	}
}

// questionNotShown reports whether the message that first asked the session's current
// question still waits in the outbox, unsent: the citizen cannot have seen it, so a typed
// answer was meant for an earlier question. Telegram and WhatsApp hold a reply back when a
// bot sends faster than they take (a busy province), or are down; a citizen who meanwhile
// sends their answer again, its date after the question was asked, would otherwise answer
// the question they have not seen. A message being sent now is taken as shown: the date
// check above covers those seconds. Its re-asks are not what counts: a citizen who saw the
// question and answers before a re-prompt arrives answers it.
func (c *conversation) questionNotShown() (bool, error) {
	if !c.in.dated || c.in.Button != 0 || c.in.Channel == ChannelWeb {
		return false, nil
	}
	msgs, err := c.tx.RecentOutgoing(c.in.Channel, c.in.ChatID, c.clock)
	if err != nil || len(msgs) == 0 {
		return false, err
	}
	current := c.questionID()
	var first *storage.Outgoing
	for i := range msgs { // newest first, back to the message that first asked it
		m := &msgs[i]
		if m.CreatedAt < c.sess.StartedAt {
			break // an earlier survey in the chat
		}
		var r Reply
		if json.Unmarshal([]byte(m.Body), &r) != nil || r.Question == "" {
			continue // a note between the asks
		}
		if r.Question != current {
			break
		}
		first = m
	}
	return first != nil && first.Waiting, nil
}
