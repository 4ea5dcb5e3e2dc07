package bot

import (
	"fmt"
	"strconv"
	"strings"

	"sukma/flows"
	"sukma/storage"
)

// The kind of service (jenis layanan) is on the regulation's form. A visit made for a service
// knows it; a survey opened without one (a unit's standing link, a visit made for the unit)
// at a unit with services asks it first, from the unit's list, before the flow's questions,
// so that every respondent lands in a service of the report and not in "not stated". A unit
// with one service gets it without a question.

const (
	// askingService is the position of a session asking the service: outside the flow's
	// questions, and not -1, which flows.Flow.Next returns at the end.
	askingService = -2
	// serviceQuestion names the service question in a reply's Question.
	serviceQuestion = "~layanan"
)

// chooseService sets the service of a new session without one: the unit's only service, or
// none yet and the session at askingService when the unit has several.
func chooseService(tx *storage.Tx, sess *storage.Session) error {
	if sess.ServiceID != nil {
		return nil
	}
	services, err := tx.ActiveServices(sess.UnitID)
	switch {
	case err != nil:
		return err
	case len(services) == 1:
		sess.ServiceID = &services[0].ID
	case len(services) > 1:
		sess.Position = askingService
	}
	return nil
}

// conversation is a step's conversation in an open session, on its flow's version.
func (e *Engine) conversation(s *step, sess storage.Session) (*conversation, error) {
	flow, err := e.flows.get(s.tx, sess.FlowID, sess.FlowVersion)
	if err != nil {
		return nil, err
	}
	return newConversation(s, sess, flow)
}

// newConversation is a step's conversation in an open session; one asking the service knows
// the unit's services.
func newConversation(s *step, sess storage.Session, flow *flows.Flow) (*conversation, error) {
	c := &conversation{step: s, sess: sess, flow: flow}
	if sess.Position == askingService {
		var err error
		if c.services, err = s.tx.ActiveServices(sess.UnitID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// serviceReply is the service question.
func (c *conversation) serviceReply() Reply {
	r := Reply{Text: say(c.lang(), "whichService"), Question: serviceQuestion, Language: c.lang()}
	for _, s := range c.services {
		r.Options = append(r.Options, Option{Label: s.Name})
	}
	return r
}

// answerService takes the citizen's service, by number, name or code, and goes on to the
// flow's first question.
func (c *conversation) answerService(input string) error {
	ss, chosen := c.services, -1
	if c.in.Option > 0 && c.in.Option <= len(ss) {
		chosen = c.in.Option - 1
	} else if c.in.Option == 0 {
		chosen = findService(ss, input)
	}
	if chosen < 0 {
		c.reprompt(fmt.Sprintf(say(c.lang(), "serviceHint"), len(ss)))
		return nil
	}
	if err := c.tx.SetSessionService(c.sess.ID, ss[chosen].ID); err != nil {
		return err
	}
	c.sess.ServiceID = &ss[chosen].ID
	if err := c.moveTo(c.flow.Next(0, flows.Answers{})); err != nil {
		return err
	}
	c.ask()
	return nil
}

// findService finds the service a typed reply names: its number in the list ("2", "2."), its
// name or its code, case-insensitively, or its number as a word ("dua"); -1 if none.
func findService(ss []storage.Service, input string) int {
	in := strings.TrimSpace(input)
	if n, err := strconv.Atoi(strings.TrimRight(in, ".)")); err == nil && n >= 1 && n <= len(ss) {
		return n - 1
	}
	for i, s := range ss {
		if strings.EqualFold(s.Name, in) || strings.EqualFold(s.Code, in) {
			return i
		}
	}
	if n, ok := flows.NumberWord(in); ok && n <= len(ss) {
		return n - 1
	}
	return -1
}
