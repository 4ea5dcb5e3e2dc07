package bot

import (
	"context"
	"errors"
	"slices"
	"strings"

	"sukma/flows"
	"sukma/storage"
)

// start opens a session for a visit token, or for a unit's standing token (walk-in feedback,
// one complete response per respondent, unit and day).
func (e *Engine) start(ctx context.Context, s *step, token string) error {
	l, err := e.checkLink(s, token)
	if err != nil {
		return err
	}
	if l.refusal != "" {
		// The chat that rated the visit a moment ago (the web chat's page, a QR code scanned
		// again) hears that its answers are recorded, not what a stranger would.
		if l.refusal == "alreadyRated" {
			if lang, ok, err := s.doneLanguage(); err != nil || ok {
				if ok {
					if s.langAsked { // "/bahasa en" to a rated visit: in the language asked
						lang = s.speaks()
					}
					s.replies = append(s.replies, thanked(lang))
				}
				return err
			}
		}
		s.say(s.speaks(), l.refusal)
		s.ephemeral = l.unstored && s.in.Channel == ChannelWeb
		return nil
	}
	if l.visit == nil {
		return e.startStanding(s, l.unit)
	}
	visit := *l.visit
	if sess, err := s.tx.ActiveSessionOfVisit(token); err == nil {
		if sess.Channel != ChannelWeb || s.in.Channel != ChannelWeb {
			// On another channel, opened but not answered there (the web page loaded, then
			// the citizen chose Telegram): the survey starts here, when the citizen writes
			// here; the web page merely loaded again (a tab restored) takes nothing over. A
			// second chat of the same app is someone else's.
			abandoned := false
			if sess.Channel != s.in.Channel && strings.TrimSpace(s.in.Text) != "" {
				if abandoned, err = s.tx.AbandonSession(sess, s.now); err != nil {
					return err
				}
			}
			if !abandoned {
				s.say(s.speaks(), "elsewhere")
				return nil
			}
			return e.open(s, storage.Session{VisitToken: token, UnitID: visit.UnitID, ServiceID: visit.ServiceID, FlowID: visit.FlowID}, nil)
		}
		// The same link opened in another browser (the chat app's, then Chrome): whoever
		// holds the link is the citizen, so the survey follows them.
		if err := s.tx.MoveSession(sess.ID, s.in.ChatID, s.now); err != nil {
			return err
		}
		// Read again now that the move holds the session's row: an answer from the first
		// browser may have committed since the read above, and the question to ask again is
		// the one after it.
		if sess, err = s.tx.FindSession(sess.ID); err != nil {
			return err
		}
		sess.ChatID, s.opened = s.in.ChatID, true
		if sess.ExpiresAt < s.now {
			// Out of time, though not yet swept: closed as a message in its own chat would
			// close it, never answered.
			if _, err := e.expire(ctx, s.tx, sess, s.now); err != nil {
				return err
			}
			s.say(sess.Language, "expired")
			return nil
		}
		c, err := e.conversation(s, sess)
		if err != nil {
			return err
		}
		if s.in.Question != "" && strings.TrimSpace(s.in.Text) != "" {
			// A reply to the question this browser shows (an answer, or a command typed
			// there): handled as in the survey's own chat, not dropped for a "let us
			// continue", which would drop every other message written in turn in two
			// browsers. An answer meant for a question since answered in the other browser
			// is refused as past (conversation.answer). A page that merely loaded resumes.
			cmd, arg := parseCommand(s.in.Text)
			return e.converse(ctx, c, cmd, arg)
		}
		return c.resumeHere("")
	} else if !errors.Is(err, storage.ErrNotFound) {
		return err
	}
	return e.open(s, storage.Session{VisitToken: token, UnitID: visit.UnitID, ServiceID: visit.ServiceID, FlowID: visit.FlowID}, nil)
}

// link is what a survey link allows the step's chat now.
type link struct {
	visit *storage.Visit // the link's visit; nil for a unit's standing link
	unit  storage.Unit   // a standing link's unit
	// refusal is the key of the text that refuses the link's survey to the chat for good, as
	// things are (the visit rated, or closed unfinished, or expired; the link unknown, the
	// unit retired, the citizen's browser without cookies, the unit rated today); "" if the
	// survey may start (another device may have it open, an address may be over its limit).
	refusal string
	// unstored means the web chat does not store the refusal: an unknown link would
	// otherwise let anyone fill the outbox.
	unstored bool
}

// checkLink finds what token, a visit's or a unit's standing token, allows the step's chat.
func (e *Engine) checkLink(s *step, token string) (link, error) {
	visit, err := s.tx.LockVisit(token)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return e.checkStanding(s, token)
	case err != nil:
		return link{}, err
	case visit.UsedAt != nil:
		// Used up by a complete survey, or by one that ran out of time unfinished: a
		// partial response, which never counts. The citizen hears which.
		status, err := s.tx.ResponseStatusOfVisit(token)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return link{}, err
		}
		if status == storage.ResponsePartial {
			return link{visit: &visit, refusal: "closedPartial"}, nil
		}
		return link{visit: &visit, refusal: "alreadyRated"}, nil
	case visit.ExpiresAt < s.now:
		return link{visit: &visit, refusal: "visitExpired"}, nil
	}
	return link{visit: &visit}, nil
}

func (e *Engine) checkStanding(s *step, token string) (link, error) {
	unit, err := s.tx.FindUnitByStandingToken(token)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && unit.RetiredAt != nil) {
		// A retired unit's poster may still hang at a counter: its code is not unknown.
		return link{unit: unit, refusal: map[bool]string{false: "unknownToken", true: "unitRetired"}[err == nil], unstored: true}, nil
	}
	if err != nil {
		return link{}, err
	}
	if s.in.Channel == ChannelWeb && s.in.ChatID == token {
		// A browser without cookies (webchat names such a chat by the bare link): every
		// walk-in without them would share one survey and one day's response.
		return link{unit: unit, refusal: "needCookie", unstored: true}, nil
	}
	respondent, err := s.tx.Respondent(e.pseudonym(s.in.Channel, s.in.UserID), s.now)
	if err != nil {
		return link{}, err
	}
	done, err := s.tx.CompletedTodayAt(respondent, unit.ID, localDay(s.now, e.Location))
	if err != nil || done > 0 {
		return link{unit: unit, refusal: "doneToday"}, err
	}
	return link{unit: unit}, nil
}

func (e *Engine) startStanding(s *step, unit storage.Unit) error {
	if s.in.Channel == ChannelWeb && !e.WebStarts.allow(s.in.Client, unit.ID, s.in.Time) {
		s.say(s.speaks(), "tooManyStarts")
		s.ephemeral = true
		return nil
	}
	return e.open(s, storage.Session{UnitID: unit.ID, FlowID: flows.BuiltinID}, nil)
}

// open creates the session on the newest published version of its flow and asks the first
// question, in the session's language if the flow has it (a survey that replaced another, in
// its language), else Indonesian. The first message names the unit rated, and the survey
// replaced, if before is not nil.
func (e *Engine) open(s *step, sess storage.Session, before *replaced) error {
	latest, err := s.tx.FindLatestFlow(sess.FlowID)
	if err != nil {
		return err
	}
	flow, err := e.flows.get(s.tx, latest.ID, latest.Version)
	if err != nil {
		return err
	}
	if sess.RespondentID, err = s.tx.Respondent(e.pseudonym(s.in.Channel, s.in.UserID), s.now); err != nil {
		return err
	}
	sess.Channel, sess.ChatID = s.in.Channel, s.in.ChatID
	sess.FlowVersion = flow.Version
	if !slices.Contains(flow.Languages, sess.Language) {
		sess.Language = "id"
	}
	if s.langAsked {
		if lang, ok := languageAsked(flow.Languages, "id", s.langArg); ok {
			sess.Language = lang
			s.replies = append(s.replies, languageNotice(lang))
		} else {
			s.replies = append(s.replies, unknownLanguage("id", s.langArg, flow.Languages))
		}
	}
	sess.Position = flow.Next(0, flows.Answers{})
	if err := chooseService(s.tx, &sess); err != nil {
		return err
	}
	sess.StartedAt, sess.UpdatedAt, sess.ExpiresAt = s.now, s.now, s.now+flow.ExpireAfter.Milliseconds()
	sess.AskedAt, sess.QuestionAfter = s.clock, s.questionAfter()
	s.noteLead(&sess)
	if sess.ID, err = s.tx.CreateSession(sess); err != nil {
		return err
	}
	s.opened = true
	c, err := newConversation(s, sess, flow)
	if err != nil {
		return err
	}
	// The flow's texts speak of "this unit": the engine's own line says which, but to an
	// admin trying a draft, on the preview unit, which is no unit to name.
	head := ""
	if storage.IsPreviewFlowID(sess.FlowID) {
		s.say(sess.Language, "preview")
	} else {
		unit, err := s.tx.FindUnit(sess.UnitID)
		if err != nil {
			return err
		}
		head = heading(sess.Language, unit.Name, before)
	}
	switch intro := flow.Intro.In(sess.Language); { // an intro is optional in a flow
	case intro != "" && head != "":
		s.replies = append(s.replies, Reply{Text: head + "\n\n" + intro})
	case intro != "":
		s.replies = append(s.replies, Reply{Text: intro})
	case head != "":
		c.reprompt(head)
		return nil
	}
	c.ask()
	return nil
}

// speaks is the language the step answers in before a survey is open: Indonesian, or the one
// asked for by /bahasa in a web chat (see step.langAsked).
func (s *step) speaks() string {
	if s.langAsked {
		lang, _ := languageAsked(botLanguages, "id", s.langArg)
		return lang
	}
	return "id"
}
