package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"sukma/storage"
)

// The web chat is the chat of one survey link in one browser: unlike a Telegram or WhatsApp
// chat, it always knows its token. So a web chat whose survey has ended (cancelled, completed,
// expired) is never a dead end: what the citizen does next, open the link again or type,
// starts the link's survey again when the visit may still give a response (it is neither
// used nor expired; a standing link, once a day), and otherwise says plainly why not.

// Start handles a message in the web chat of a survey link, token (a visit or a standing
// token). With a survey open in the chat it is handled as Handle would. With none (the
// chat's first message, or one after its survey ended) the link's survey starts as
// "/start TOKEN" would, or the citizen is told why it cannot (already rated, link expired);
// "/batal" is told there is nothing to cancel. The link's survey open in another browser
// moves here (whoever holds the link is the citizen): a message that replies to the question
// this browser shows (Inbound.Question, and a text) is then handled as in the survey's own
// chat, so an answer counts if that question is still the one asked; a page load resumes.
// A message that finds the survey expired gets the expiry notice alone, whether it closes
// the survey itself or the sweeper closed it since the chat's last request (the sweeper's
// notice waits in the outbox for it).
func (e *Engine) Start(ctx context.Context, in Inbound, token string) ([]Reply, error) {
	return e.run(ctx, in, func(s *step) error {
		s.link = token
		return e.handle(ctx, s)
	})
}

// Open is the web chat page opened again on a chat that has a transcript. A survey expired
// in the chat is closed, as a message would close it, and the expiry notice returned. Then,
// if no survey is open in the chat and the link may start one (after "/batal", say), it
// starts it and returns the intro and the first question, to show after the transcript.
// Otherwise it adds nothing: a survey in progress ends its transcript with the question
// asked, and one that ended, with why (the thanks, the expiry notice).
func (e *Engine) Open(ctx context.Context, in Inbound, token string) ([]Reply, error) {
	return e.run(ctx, in, func(s *step) error {
		s.link = token
		sess, err := s.tx.ActiveSession(in.Channel, in.ChatID)
		switch {
		case err == nil && sess.ExpiresAt >= s.now:
			s.counted = false // a look at a survey in progress is no message
			return nil
		case err == nil:
			if _, err := e.expire(ctx, s.tx, sess, s.now); err != nil {
				return err
			}
			s.say(sess.Language, "expired")
		case !errors.Is(err, storage.ErrNotFound):
			return err
		default:
			// The sweeper's notice is in the transcript the page shows: taken, so that the
			// next message does not hear it again.
			if _, err := e.takeUnsent(s); err != nil {
				return err
			}
		}
		said := len(s.replies)
		if err := e.start(ctx, s, token); err != nil {
			return err
		}
		if !s.opened {
			// A refusal (already rated, rated today, link expired) is not repeated at every
			// look: a message typed into the chat hears it.
			s.replies, s.ephemeral, s.counted = s.replies[:said], false, said > 0
		}
		return nil
	})
}

// Ended reports whether the web chat of survey link token (in.ChatID) is over: no survey is
// open in it, and a message would not start one but only hear why not (the visit was rated,
// or closed unfinished, or has expired; the link is unknown or its unit retired; the citizen
// rated the unit today). After /batal, or a survey that ran out of time unanswered, it is
// not: a message starts the survey again. The page then takes no more answers.
func (e *Engine) Ended(ctx context.Context, in Inbound, token string) (bool, error) {
	if !storage.ValidText(in.ChatID) || !storage.ValidText(in.UserID) {
		return false, ErrUnreadable
	}
	s := e.newStep(Inbound{Channel: in.Channel, ChatID: in.ChatID, UserID: in.UserID, Time: e.DB.Now()})
	ended := false
	err := e.DB.InTx(ctx, func(tx *storage.Tx) error {
		s.tx = tx
		if _, err := tx.ActiveSession(in.Channel, in.ChatID); !errors.Is(err, storage.ErrNotFound) {
			return err // a survey is open (one out of time hears so at the next message)
		}
		l, err := e.checkLink(s, token)
		ended = l.refusal != ""
		return err
	})
	if err != nil {
		return false, fmt.Errorf("bot: %s chat: %w", in.Channel, err)
	}
	return ended, nil
}

// linkMessage answers a message in the web chat of a survey link that has no survey open;
// expired means the step has just closed it, and said so.
func (e *Engine) linkMessage(ctx context.Context, s *step, cmd, arg string, expired bool) error {
	if expired {
		return nil // the notice is the answer; the next message starts again if it may
	}
	if s.blankExpired {
		// Closed before any answer: nothing was kept, the link is as it was, so the survey
		// starts again at once rather than leave the citizen at a notice with no question.
		return e.start(ctx, s, s.link)
	}
	// The same answer when the sweeper closed the survey first: its notice, waiting for
	// this request.
	notices, err := e.takeUnsent(s)
	if err != nil || len(notices) > 0 && !restarts(notices) {
		s.delivered = notices
		return err
	}
	s.delivered = notices
	switch {
	case (cmd == cmdStart || cmd == cmdSKM) && arg != "":
		return e.start(ctx, s, arg)
	case cmd == cmdCancel:
		s.say("id", "noSession")
		return nil
	case cmd == cmdLanguage:
		s.langAsked, s.langArg = true, arg
	}
	return e.start(ctx, s, s.link)
}

// takeUnsent takes the messages written for the step's web chat outside its requests.
func (e *Engine) takeUnsent(s *step) ([]Reply, error) {
	if s.in.Channel != ChannelWeb {
		return nil, nil // a push channel's are the dispatcher's to send
	}
	bodies, err := s.tx.TakeUnsent(s.in.Channel, s.in.ChatID, s.now)
	if err != nil {
		return nil, err
	}
	replies := make([]Reply, len(bodies))
	for i, b := range bodies {
		if err := json.Unmarshal([]byte(b), &replies[i]); err != nil {
			return nil, fmt.Errorf("bot: outbox message of %s chat: %w", s.in.Channel, err)
		}
	}
	return replies, nil
}
