package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"sukma/storage"
)

// Engine walks citizens through published flows. It keeps no state of its own between
// messages: everything is in the database, so a restart resumes every survey and replicas
// share the work.
type Engine struct {
	DB       *storage.DB
	Secret   []byte         // key of respondent pseudonyms
	Location *time.Location // SUKMA_TIMEZONE, for the local day of a response
	Logger   *slog.Logger
	// Commands are extra chat commands ("/langganan") handled outside surveys, by name
	// in lower case with the slash. A survey in progress is left as it is.
	Commands map[string]CommandFunc
	// Batch, if Max > 1, commits the steps of concurrent messages together (group commit):
	// see Batching.
	Batch Batching
	// WebStarts, if set, bounds the surveys a web client starts on standing links.
	WebStarts *StartLimit
	// Dispatch, if set, is the dispatcher of this process: a batch claims for it the replies
	// it writes, as the dispatcher's claim would (a chat's oldest unsent message only), and
	// hands them over as it commits; the dispatcher is told of those written unclaimed.
	Dispatch *Dispatcher

	flows flowCache
	batch batchState
}

// CommandFunc handles an extra chat command within the step's transaction; arg is the text
// after the command word. Its replies are sent like the engine's own.
type CommandFunc func(ctx context.Context, tx *storage.Tx, in Inbound, arg string) ([]Reply, error)

// step is the state of one Handle call inside its transaction.
type step struct {
	tx      *storage.Tx
	in      Inbound
	now     int64
	replies []Reply
	// ephemeral replies are answered but not stored: an unknown token on the web would
	// otherwise let anyone fill the outbox.
	ephemeral bool
	// counted and completed feed the metrics once the step has committed.
	counted, completed bool
	// recorded means the event is recorded as new already (by the group commit).
	recorded bool
	// oldButton means the step was a press on a button of an earlier message: nothing was
	// written but its event, and the caller hears ErrOldButton, with the language to say so
	// in (see OldButtonError).
	oldButton     bool
	oldButtonLang string
	// link is the survey link (visit or standing token) of a web chat, set by Start and
	// Open: with no survey open, the chat starts the link's survey again (see linkMessage).
	link string
	// langAsked means the step is "/bahasa langArg" in a web chat with no survey open: the
	// survey it starts again is asked in that language, and a refusal said in it.
	langAsked bool
	langArg   string
	// blankExpired means the step found the web chat's survey out of time before any
	// answer: the link starts it again at once (linkMessage).
	blankExpired bool
	// opened means the step opened a session, or moved one to its chat.
	opened bool
	// clock is the server's time of the step, in ms: now is the platform's, for a message
	// it dates (Inbound.Time).
	clock int64
	// delivered are messages written for the web chat before the step, outside its requests
	// (the sweeper's expiry notice), and given now, ahead of the step's replies.
	delivered []Reply
}

// out is what the step says: the messages it delivers, then its replies.
func (s *step) out() []Reply {
	if len(s.delivered) == 0 {
		return s.replies
	}
	return append(slices.Clip(s.delivered), s.replies...)
}

// ErrOldButton is returned for a press on a button of a message that is no longer the chat's
// newest (a second press, or an earlier question's): nothing changed. Channels tell the
// citizen the button has expired.
var ErrOldButton = errors.New("bot: the button belongs to an earlier message")

// OldButtonError is what Handle returns for a press on an old button: it is ErrOldButton
// (errors.Is), and carries the language of the chat's survey, open or just completed ("id"
// when none is known), in which Notice says that the button has expired.
type OldButtonError struct{ Language string }

func (e *OldButtonError) Error() string        { return ErrOldButton.Error() }
func (e *OldButtonError) Is(target error) bool { return target == ErrOldButton }

// Notice is the short text that tells the citizen the button no longer counts (a Telegram
// button's toast), in e's language.
func (e *OldButtonError) Notice() string { return say(e.Language, "oldButton") }

// oldButtonErr is the error of a step that was a press on an old button.
func (s *step) oldButtonErr() error { return &OldButtonError{Language: s.oldButtonLang} }

// ErrUnreadable means an id of an inbound message (its chat, sender, event or question) is
// not storable text (a NUL, broken UTF-8): no platform sends one, so the message is refused
// as it is, never tried again.
var ErrUnreadable = errors.New("bot: an id of the message is not text")

func (s *step) say(lang, key string) { s.replies = append(s.replies, Reply{Text: say(lang, key)}) }

// Handle processes one inbound message and returns the replies, which are also written to
// the outbox in the same transaction as the answer and the session state. A redelivered
// EventID returns no replies and changes nothing.
func (e *Engine) Handle(ctx context.Context, in Inbound) ([]Reply, error) {
	return e.run(ctx, in, func(s *step) error { return e.handle(ctx, s) })
}

// run executes fn in one transaction and writes its replies to the outbox, through the
// group commit if Batch is set. Two first messages of one chat racing to open a session
// conflict on a unique index; the loser runs again and finds the winner's session.
func (e *Engine) run(ctx context.Context, in Inbound, fn func(*step) error) ([]Reply, error) {
	if in.Time.IsZero() {
		in.Time = e.DB.Now()
	} else {
		in.dated = true
	}
	in.Text = storage.CleanText(in.Text) // a NUL typed or broken UTF-8 is no error
	for _, id := range [...]string{in.ChatID, in.UserID, in.EventID, in.Question} {
		if !storage.ValidText(id) {
			return nil, ErrUnreadable
		}
	}
	start := time.Now()
	defer func() { metricStepSeconds.WithLabelValues(in.Channel).Observe(time.Since(start).Seconds()) }()
	var replies []Reply
	var err error
	if e.Batch.Max > 1 {
		replies, err = e.enqueue(ctx, in, fn)
	} else {
		replies, err = e.runAlone(ctx, in, fn)
	}
	if err != nil && !errors.Is(err, ErrOldButton) {
		metricStepErrors.WithLabelValues(in.Channel).Inc()
	}
	return replies, err
}

// runAlone executes one step in a transaction of its own.
func (e *Engine) runAlone(ctx context.Context, in Inbound, fn func(*step) error) ([]Reply, error) {
	for attempt := 0; ; attempt++ {
		s := e.newStep(in)
		var queued []storage.ChatRef
		err := e.DB.InTx(ctx, func(tx *storage.Tx) error {
			err := s.run(tx, fn)
			queued = tx.Queued()
			return err
		})
		if (errors.Is(err, storage.ErrConflict) || storage.IsTransient(err)) && attempt < 3 {
			continue // e.g. two browsers on one link: the second's start and the first's last answer
		}
		if err != nil {
			return nil, fmt.Errorf("bot: %s chat: %w", in.Channel, err)
		}
		if e.Dispatch != nil {
			e.Dispatch.Queued(queued)
		}
		s.committed()
		if s.oldButton {
			return nil, s.oldButtonErr()
		}
		return s.out(), nil
	}
}

// newStep is the state of a step of in, about to run.
func (e *Engine) newStep(in Inbound) *step {
	return &step{in: in, now: in.Time.UnixMilli(), clock: e.DB.Now().UnixMilli()}
}

// run does the step's work in tx: the event recorded (a redelivery does nothing), fn, and
// the replies written to the outbox.
func (s *step) run(tx *storage.Tx, fn func(*step) error) error {
	s.tx = tx
	in := s.in
	if in.EventID != "" && !s.recorded {
		first, err := tx.SeenEvent(in.Channel, in.EventID, s.now)
		if err != nil || !first {
			return err
		}
	}
	s.counted = true
	if err := fn(s); err != nil {
		return err
	}
	if s.ephemeral {
		return nil
	}
	for _, r := range s.replies {
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if err := tx.Enqueue(in.Channel, in.ChatID, string(body), s.now, in.Channel == ChannelWeb); err != nil {
			return err
		}
	}
	return nil
}

// committed counts a step in the metrics once its transaction has committed.
func (s *step) committed() {
	if s.counted {
		metricInbound.WithLabelValues(s.in.Channel).Inc()
	}
	if s.completed {
		metricResponses.WithLabelValues(storage.ResponseComplete).Inc()
	}
}

func (e *Engine) handle(ctx context.Context, s *step) error {
	if fn, arg, ok := e.extraCommand(s.in.Text); ok && !s.in.pressed() {
		replies, err := fn(ctx, s.tx, s.in, arg)
		if err != nil {
			return err
		}
		s.replies = append(s.replies, replies...)
		return e.askAgain(s)
	}
	cmd, arg := parseCommand(s.in.Text)
	if s.in.pressed() {
		cmd, arg = cmdNone, ""
	}
	sess, err := s.tx.ActiveSession(s.in.Channel, s.in.ChatID)
	if s.in.Button != 0 && s.in.pressed() {
		switch {
		case errors.Is(err, storage.ErrNotFound):
			s.oldButton = true // the survey is over
			s.oldButtonLang = "id"
			if done, ok, err := s.doneLanguage(); err != nil {
				return err
			} else if ok {
				s.oldButtonLang = done
			}
		case err == nil:
			s.oldButtonLang = sess.Language
			// The session is locked: no other step of this chat can write the next question now.
			last, err := s.tx.LastOutboxID(s.in.Channel, s.in.ChatID)
			if err != nil {
				return err
			}
			if last != s.in.Button {
				asks, err := e.asksCurrentQuestion(s, sess)
				if err != nil {
					return err
				}
				s.oldButton = !asks
			}
		}
		if s.oldButton {
			return nil
		}
	}
	expired, lang := false, "id" // with no survey, the bot speaks Indonesian
	if err == nil && sess.ExpiresAt < s.now {
		answered, err := e.expire(ctx, s.tx, sess, s.now)
		if err != nil {
			return err
		}
		lang = sess.Language // and after one it closes, the survey's language
		if s.link != "" && !answered {
			s.say(lang, "expiredRestart")
			s.blankExpired = true
		} else {
			s.say(lang, "expired")
			expired = true
		}
	}
	if expired || s.blankExpired {
		err = storage.ErrNotFound
	}
	if errors.Is(err, storage.ErrNotFound) {
		if s.link != "" {
			return e.linkMessage(ctx, s, cmd, arg, expired)
		}
		switch {
		case (cmd == cmdStart || cmd == cmdSKM) && arg != "":
			return e.start(ctx, s, arg)
		case cmd == cmdCancel || cmd == cmdRestart:
			s.say(lang, "noSession")
		case cmd == cmdLanguage:
			// No survey to switch, and no place to keep the choice for the next one: say so,
			// and how to start, in the language asked for.
			if asked, ok := languageAsked(botLanguages, lang, arg); ok {
				lang = asked
				s.say(lang, "languageLater")
			} else {
				s.replies = append(s.replies, unknownLanguage(lang, arg, botLanguages))
			}
		case cmd == cmdHelp:
			s.say(lang, "commands")
		case cmd == cmdNone && !expired:
			// Soon after the chat's survey was completed, a message is about it.
			done, ok, err := s.doneLanguage()
			if err != nil {
				return err
			}
			if ok {
				s.replies = append(s.replies, thanked(done))
				return nil
			}
		}
		s.say(lang, "help")
		return nil
	}
	if err != nil {
		return err
	}

	c, err := e.conversation(s, sess)
	if err != nil {
		return err
	}
	return e.converse(ctx, c, cmd, arg)
}

// converse handles the step's message, a command or an answer, in its open session.
func (e *Engine) converse(ctx context.Context, c *conversation, cmd, arg string) error {
	sess := c.sess
	if cmd != "" {
		if err := c.passNumber(); err != nil {
			return err
		}
	}
	switch cmd {
	case cmdCancel:
		return c.cancel()
	case cmdRestart:
		return c.restart()
	case cmdHelp:
		c.reprompt(say(c.lang(), "commands"))
		return nil
	case cmdLanguage:
		return c.switchLanguage(arg)
	case cmdStart:
		return e.resume(ctx, c, arg)
	case cmdSKM:
		token, err := isToken(c.tx, arg)
		if err != nil {
			return err
		}
		if arg == sess.VisitToken || token {
			return e.resume(ctx, c, arg)
		}
	}
	return c.answer(e.Location)
}

// isToken reports whether the word after "SKM" is a visit's or a unit's token: in the middle
// of a survey that is a second QR code scanned, not an answer ("SKM bagus" is one).
func isToken(tx *storage.Tx, word string) (bool, error) {
	_, err := tx.LockVisit(word)
	if errors.Is(err, storage.ErrNotFound) {
		_, err = tx.FindUnitByStandingToken(word)
	}
	if errors.Is(err, storage.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// extraCommand finds a registered extra command at the start of text.
func (e *Engine) extraCommand(text string) (CommandFunc, string, bool) {
	word, arg, _ := strings.Cut(strings.TrimSpace(text), " ")
	word, _, _ = strings.Cut(strings.ToLower(word), "@")
	fn, ok := e.Commands[word]
	return fn, strings.TrimSpace(arg), ok
}

// Ready reports whether the engine can store steps now: whether its database answers. A
// channel that cannot store an update tells a poison update (one that fails with the
// database up) from an outage by it.
func (e *Engine) Ready(ctx context.Context) error { return e.DB.Ping(ctx) }

// pseudonym is the respondent's stored identity: HMAC-SHA256(secret, channel + user id).
func (e *Engine) pseudonym(channel, userID string) string {
	m := hmac.New(sha256.New, e.Secret)
	m.Write([]byte(channel + "\x00" + userID))
	return hex.EncodeToString(m.Sum(nil))
}

// localDay is the YYYYMMDD date of a unix-millisecond time in loc.
func localDay(ms int64, loc *time.Location) int {
	t := time.UnixMilli(ms).In(loc)
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// optionReplies turns option labels into Reply options.
func optionReplies(labels []string) []Option {
	if len(labels) == 0 {
		return nil
	}
	opts := make([]Option, len(labels))
	for i, l := range labels {
		opts[i] = Option{Label: l}
	}
	return opts
}

func atoiPtr(s string) *int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return nil
	}
	return &n
}
