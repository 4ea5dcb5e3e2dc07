package bot

import (
	"encoding/json"
	"fmt"

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

// Telegram also numbers the messages of a chat, the bot's and the citizen's alike, in the
// order it takes them: a question sent after the citizen's message that led to it is
// numbered after that message, which the session keeps (Session.QuestionAfter). A citizen
// who sends "3" twice in a row, quicker than the next question comes, numbers the second
// right after the first: nothing, so not the question, came between. That is exact, where
// dates in whole seconds are not.

// questionAfter is what a question the step asks is known to be numbered after: the step's
// message, or the message whose button it pressed; nil if the channel does not number its
// messages.
func (s *step) questionAfter() *int64 {
	if s.in.MessageID <= 0 {
		return nil
	}
	n := s.in.MessageID
	return &n
}

// numberedBeforeQuestion reports whether the step's typed message is numbered before the
// message that first asked the session's current question, and so was written before the
// citizen could see it. The question is numbered after QuestionAfter and is not this
// message: a message numbered at most one past QuestionAfter comes before it, and the
// question is then known to be numbered after this message too (a third "3" is caught as
// the second was).
func (c *conversation) numberedBeforeQuestion() (bool, error) {
	n, after := c.in.MessageID, c.sess.QuestionAfter
	if n <= 0 || c.in.Button != 0 || after == nil || n > *after+1 {
		return false, nil
	}
	if n <= *after {
		return true, nil // older than the message that led to the question: delivered late
	}
	c.sess.QuestionAfter = &n
	return true, c.save()
}

// passNumber moves QuestionAfter to a command numbered right after it: nothing came between
// them either, so the question is numbered after the command too, and a copy of an answer
// sent after "/bantuan", before the question, is still told apart.
func (c *conversation) passNumber() error {
	n, after := c.in.MessageID, c.sess.QuestionAfter
	if c.in.Button != 0 || n <= 0 || after == nil || n != *after+1 {
		return nil
	}
	c.sess.QuestionAfter = &n
	return c.save()
}

// repliesToEarlier reports whether the step's typed message replies to a message of the bot
// that came before the current question was asked (Inbound.ReplyTo): an earlier question,
// whose answer the citizen means to change. Stored, it would answer the current one. A reply
// to the current question, to one of its re-asks, or to a note since counts as an answer.
func (c *conversation) repliesToEarlier() bool {
	after := c.sess.QuestionAfter
	return c.in.ReplyTo > 0 && c.in.Option == 0 && after != nil && c.in.ReplyTo <= *after
}

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
	first := c.firstAsk(msgs)
	return first != nil && first.Waiting, nil
}

// firstAsk is the message of msgs (a chat's newest, newest first) that first asked the
// session's current question, or nil if they do not reach back to it.
func (c *conversation) firstAsk(msgs []storage.Outgoing) *storage.Outgoing {
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
	return first
}

// turnAway answers a typed message written before the current question reached the citizen:
// it is not taken as its answer. The question is asked again only if its first asking has
// gone out. One still on its way arrives first, and a second asking after it, once the
// citizen had answered it, would read as a refusal of that answer and be answered again, for
// the question after (held back by the rate limits): every later answer one question off.
// Then a note alone says what happened, of the question above it.
func (c *conversation) turnAway() error {
	msgs, err := c.tx.ChatOutgoing(c.in.Channel, c.in.ChatID, recentAsks)
	if err != nil {
		return err
	}
	if first := c.firstAsk(msgs); first == nil || first.Sent {
		c.say(c.lang(), "passed")
		c.ask()
		return nil
	}
	quoted := ""
	if t := []rune(c.in.Text); len(t) > 0 && len(t) <= 40 {
		quoted = fmt.Sprintf(" %q", c.in.Text)
	}
	c.replies = append(c.replies, Reply{Text: fmt.Sprintf(say(c.lang(), "sentBefore"), quoted)})
	return nil
}

// recentAsks is how many of a chat's newest messages turnAway reads back to the current
// question's first asking: it and its re-asks, and the notes between, fit many times over.
const recentAsks = 20
