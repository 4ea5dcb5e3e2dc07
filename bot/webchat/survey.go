package webchat

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"sukma/bot"
	"sukma/flows"
	"sukma/storage"
)

// The engine's replies are the same on every channel: a text and its options. The page needs
// a little more about the question it shows, to take its answer well: whether it is typed
// text, and up to how many characters, or a number, and how it is skipped if it may be. That
// is read from the flow of the survey open in the chat, in the database the engine uses.

// replyJSON is a reply as the page gets it. The last reply, when it asks a question of the
// survey open in the chat that has no options, or one that may be skipped, also says how it
// is answered.
type replyJSON struct {
	bot.Reply
	// Input is "text" for a free-text question, Max being its limit in characters, or
	// "number".
	Input string `json:"input,omitempty"`
	Max   int    `json:"max,omitempty"`
	// Skip is the reply that skips the question, if it may be skipped: the page's Lewati
	// button sends it.
	Skip string `json:"skip,omitempty"`
}

// surveys reads the surveys of the web chats in the engine's database.
type surveys struct {
	db    *storage.DB
	loc   *time.Location // the engine's, whose days a standing link counts
	mu    sync.Mutex
	flows map[string]*flows.Flow // published versions never change: parsed once
}

// surveysOf returns the surveys of engine e's database, or nil when e is not the engine
// (a test's): the page then hears the replies alone.
func surveysOf(e Engine) *surveys {
	if be, ok := e.(*bot.Engine); ok && be.DB != nil {
		loc := be.Location
		if loc == nil {
			loc = time.UTC
		}
		return &surveys{db: be.DB, loc: loc, flows: map[string]*flows.Flow{}}
	}
	return nil
}

// standing returns the unit whose standing link token is, and false if it is none's.
func (s *surveys) standing(ctx context.Context, token string) (storage.Unit, bool, error) {
	u, err := s.db.FindUnitByStandingToken(ctx, token)
	if errors.Is(err, storage.ErrNotFound) {
		return u, false, nil
	}
	return u, err == nil, err
}

// today is the date of today where the units are, as 2006-01-02.
func (s *surveys) today() string { return s.db.Now().In(s.loc).Format(time.DateOnly) }

// asked returns question id of the survey open in web chat chatID, or nil if no survey is
// open there or its flow has no such question.
func (s *surveys) asked(ctx context.Context, chatID, id string) (*flows.Question, error) {
	var flow *flows.Flow
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		sess, err := tx.ActiveSession(bot.ChannelWeb, chatID)
		if err != nil {
			return err
		}
		key := fmt.Sprintf("%s@%d", sess.FlowID, sess.FlowVersion)
		s.mu.Lock()
		flow = s.flows[key]
		s.mu.Unlock()
		if flow != nil {
			return nil
		}
		fv, err := tx.FindFlowVersion(sess.FlowID, sess.FlowVersion)
		if err != nil {
			return err
		}
		if flow, err = flows.Parse(key, []byte(fv.Source)); err != nil {
			return err
		}
		s.mu.Lock()
		s.flows[key] = flow
		s.mu.Unlock()
		return nil
	})
	if errors.Is(err, storage.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("webchat: question %s of chat: %w", id, err)
	}
	return flow.Question(id), nil
}

// describe returns replies as the page gets them: the last, if it asks a question with no
// options or one that may be skipped (its text says how), says how it is answered (see
// replyJSON).
func (h *Handler) describe(ctx context.Context, chatID string, replies []bot.Reply) ([]replyJSON, error) {
	out := make([]replyJSON, len(replies))
	for i, r := range replies {
		out[i].Reply = r
	}
	if len(replies) == 0 || h.surveys == nil {
		return out, nil
	}
	last := &out[len(out)-1]
	if last.Question == "" || len(last.Options) > 0 && !strings.Contains(last.Text, skipHint(last.Language)) {
		return out, nil
	}
	q, err := h.surveys.asked(ctx, chatID, last.Question)
	if err != nil || q == nil {
		return out, err
	}
	switch q.Kind {
	case flows.KindText:
		last.Input, last.Max = "text", q.MaxLength
	case flows.KindNumber:
		last.Input = "number"
	}
	if q.Optional {
		last.Skip = skipWord(q, last.Language)
	}
	return out, nil
}

// skipHint is what the text of an optional question says in lang of how to skip it.
func skipHint(lang string) string {
	text, _ := (&flows.Question{Optional: true}).Render(lang)
	return strings.TrimSpace(text)
}

// skipWord is the reply that skips q, an optional question, in lang: the word its text tells
// to type (`Ketik "lewati" …`), else "-", whichever q takes as a skip; "" if neither.
func skipWord(q *flows.Question, lang string) string {
	var words []string
	if _, rest, ok := strings.Cut(skipHint(lang), `"`); ok {
		if word, _, ok := strings.Cut(rest, `"`); ok {
			words = append(words, word)
		}
	}
	for _, word := range append(words, "-") {
		if _, skipped, _, ok := q.Check(word, lang); ok && skipped {
			return word
		}
	}
	return ""
}
