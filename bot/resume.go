package bot

import (
	"context"
	"errors"
	"fmt"

	"sukma/flows"
	"sukma/storage"
)

// A survey link sent in the middle of a survey (a second QR code scanned: Telegram "/start
// TOKEN", WhatsApp "SKM TOKEN") is the citizen's wish to rate what the link rates. No message
// of a flow names the unit ("di unit ini"), so answering the open survey instead would file a
// rating of the new visit under the old unit. A link of another visit or unit therefore
// closes the open survey as its running out of time would (expire: its answers kept as a
// partial response, never counted in the index) and starts the link's, with one message that
// names both units. Asking which to continue was the other way; it would need a state of its
// own and, on WhatsApp, numbered choices that read like the answers of the open question.

// replaced is the survey a new one replaced in its chat: its unit's name, and whether it had
// answers (kept as a partial response) or none (its link usable again).
type replaced struct {
	unit     string
	answered bool
}

// resume answers "/start" alone (token "") or a survey link, token, sent in the open survey
// of c. The survey's own link, or the standing link of its unit, resumes it. A link that can
// start no survey (the visit rated, closed unfinished or expired; the link unknown; the unit
// rated today) is refused as with no survey open, and the survey resumes; so does one whose
// visit is being answered in another chat. Any other link closes the survey as expiry would
// and starts the link's.
func (e *Engine) resume(ctx context.Context, c *conversation, token string) error {
	if token == "" || token == c.sess.VisitToken {
		return c.resumeHere("")
	}
	s := c.step
	l, err := e.checkLink(s, token)
	switch {
	case err != nil:
		return err
	case l.visit == nil && l.unit.ID == c.sess.UnitID:
		return c.resumeHere("") // the survey rates that unit already
	case l.refusal != "":
		return c.resumeHere(say(c.lang(), l.refusal))
	}
	next := storage.Session{UnitID: l.unit.ID, FlowID: flows.BuiltinID, Language: c.lang()}
	if v := l.visit; v != nil {
		next = storage.Session{VisitToken: token, UnitID: v.UnitID, ServiceID: v.ServiceID, FlowID: v.FlowID, Language: c.lang()}
		other, err := s.tx.ActiveSessionOfVisit(token)
		switch {
		case errors.Is(err, storage.ErrNotFound):
		case err != nil:
			return err
		default:
			// Open in another chat: taken over, as a start with no survey open takes it,
			// only from another channel where nobody answered.
			abandoned := false
			if other.Channel != s.in.Channel {
				if abandoned, err = s.tx.AbandonSession(other, s.now); err != nil {
					return err
				}
			}
			if !abandoned {
				return c.resumeHere(say(c.lang(), "elsewhere"))
			}
		}
	} else if s.in.Channel == ChannelWeb && !e.WebStarts.allow(s.in.Client, l.unit.ID, s.in.Time) {
		return c.resumeHere(say(c.lang(), "tooManyStarts"))
	}
	old, err := s.tx.FindUnit(c.sess.UnitID)
	if err != nil {
		return err
	}
	answered, err := e.expire(ctx, s.tx, c.sess, s.now)
	if err != nil {
		return err
	}
	return e.open(s, next, &replaced{unit: old.Name, answered: answered})
}

// resumeHere asks the open survey's question again after a message that names the survey's
// unit, and before it why, if not "", a link sent started no other survey.
func (c *conversation) resumeHere(why string) error {
	u, err := c.tx.FindUnit(c.sess.UnitID)
	if err != nil {
		return err
	}
	text := fmt.Sprintf(say(c.lang(), "resumedAt"), u.Name)
	if why != "" {
		text = why + "\n\n" + text
	}
	c.replies = append(c.replies, Reply{Text: text})
	c.ask()
	return nil
}

// heading is the line that opens a new survey: the unit it rates, and before it the survey
// it replaced, if any.
func heading(lang, unit string, before *replaced) string {
	text := fmt.Sprintf(say(lang, "surveyFor"), unit)
	switch {
	case before == nil:
	case before.answered:
		text = fmt.Sprintf(say(lang, "replacedAnswered"), before.unit) + "\n" + text
	default:
		text = fmt.Sprintf(say(lang, "replacedBlank"), before.unit) + "\n" + text
	}
	return text
}
