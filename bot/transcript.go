package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"sukma/flows"
	"sukma/storage"
)

// Transcript returns every message sent to a chat so far, in order: the web chat's history.
// While a survey is under way in a web chat, the message that asked a question the citizen
// has answered carries the answer (Reply.Answer): of the survey's messages, the last that
// asked it (a question is asked again, re-prompted or in another language, only until it is
// answered). It is read from the survey's stored answers, so an answer forgotten by /ulang,
// a question skipped or a reply refused shows none.
func (e *Engine) Transcript(ctx context.Context, channel, chatID string) ([]Reply, error) {
	ms, err := e.DB.FindChatMessages(ctx, channel, chatID)
	if err != nil {
		return nil, err
	}
	replies := make([]Reply, len(ms))
	asked := false
	for i, m := range ms {
		if err := json.Unmarshal([]byte(m.Body), &replies[i]); err != nil {
			return nil, fmt.Errorf("bot: outbox message %d of %s chat: %w", i, channel, err)
		}
		asked = asked || replies[i].Question != ""
	}
	if channel != ChannelWeb || !asked {
		return replies, nil
	}
	if err := e.DB.InTx(ctx, func(tx *storage.Tx) error { return e.showAnswers(tx, chatID, ms, replies) }); err != nil {
		return nil, fmt.Errorf("bot: answers of %s chat: %w", channel, err)
	}
	return replies, nil
}

// showAnswers sets the Answer of the messages of a web chat that asked the questions its open
// survey has answers to.
func (e *Engine) showAnswers(tx *storage.Tx, chatID string, ms []storage.ChatMessage, replies []Reply) error {
	sess, err := tx.ActiveSession(ChannelWeb, chatID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	answers, err := tx.Answers(sess.ID)
	if err != nil {
		return err
	}
	flow, err := e.flows.get(tx, sess.FlowID, sess.FlowVersion)
	if err != nil {
		return err
	}
	// asking is the last message of the survey (not of an earlier one in the chat) that asked
	// question id, or -1.
	asking := func(id string) int {
		for i := len(ms) - 1; i >= 0; i-- {
			if replies[i].Question == id && ms[i].At >= sess.StartedAt {
				return i
			}
		}
		return -1
	}
	for id, value := range answers {
		if q, i := flow.Question(id), asking(id); q != nil && i >= 0 {
			replies[i].Answer = shownAnswer(replies[i], q, value)
		}
	}
	// The service chosen from the unit's list is the session's, not an answer.
	if i := asking(serviceQuestion); i >= 0 && sess.ServiceID != nil && sess.Position != askingService {
		services, err := tx.ActiveServices(sess.UnitID)
		if err != nil {
			return err
		}
		if k := slices.IndexFunc(services, func(s storage.Service) bool { return s.ID == *sess.ServiceID }); k >= 0 {
			name := services[k].Name
			replies[i].Answer = name
			if n := slices.IndexFunc(replies[i].Options, func(o Option) bool { return o.Label == name }); n >= 0 {
				replies[i].Answer = fmt.Sprintf("%d. %s", n+1, name)
			}
		}
	}
	return nil
}

// shownAnswer is a stored answer to q as the web page shows the reply: an option as its button
// reads in the message r ("2. Perempuan"), a number or a text as it is.
func shownAnswer(r Reply, q *flows.Question, value string) string {
	for i, o := range q.Options {
		if o.Value == value && i < len(r.Options) {
			return fmt.Sprintf("%d. %s", i+1, r.Options[i].Label)
		}
	}
	return value
}
