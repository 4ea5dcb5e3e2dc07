package bot

import (
	"context"
	"errors"

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
// "/batal" is told there is nothing to cancel.
func (e *Engine) Start(ctx context.Context, in Inbound, token string) ([]Reply, error) {
	return e.run(ctx, in, func(s *step) error {
		s.link = token
		return e.handle(ctx, s)
	})
}

// Open is the web chat page opened again on a chat that has a transcript: if no survey is
// open in the chat and the link may start one (after "/batal", say), it starts it and
// returns the new messages, the intro and the first question, to show after the transcript.
// Otherwise it changes nothing and returns none: a survey in progress ends its transcript
// with the question asked, and one that ended, with why (the thanks, the notice).
func (e *Engine) Open(ctx context.Context, in Inbound, token string) ([]Reply, error) {
	return e.run(ctx, in, func(s *step) error {
		s.link = token
		_, err := s.tx.ActiveSession(in.Channel, in.ChatID)
		if !errors.Is(err, storage.ErrNotFound) {
			s.counted = false // a look at a survey in progress is no message
			return err
		}
		if err := e.start(ctx, s, token); err != nil {
			return err
		}
		if !s.opened {
			// A refusal (already rated, rated today, link expired) is not repeated at every
			// look: a message typed into the chat hears it.
			s.replies, s.ephemeral, s.counted = nil, false, false
		}
		return nil
	})
}

// linkMessage answers a message in the web chat of a survey link that has no survey open.
func (e *Engine) linkMessage(ctx context.Context, s *step, cmd, arg string) error {
	switch {
	case (cmd == cmdStart || cmd == cmdSKM) && arg != "":
		return e.start(ctx, s, arg)
	case cmd == cmdCancel:
		s.say("id", "noSession")
		return nil
	}
	return e.start(ctx, s, s.link)
}
