package storage

import "fmt"

// recentOutgoing is how many of a chat's newest messages RecentOutgoing returns: those since
// the current question was first asked (with its re-asks, and the notes between them) fit
// many times over.
const recentOutgoing = 20

// Outgoing is a message written for a chat, as the engine checks a typed answer against the
// question it answers.
type Outgoing struct {
	Body      string `db:"body"`
	CreatedAt int64  `db:"created_at"`
	// Waiting is true for a message not sent, not given up, and claimed by no sender now, or
	// claimed by one that holds it back for the rate limits (DB.DelayOutbox): the citizen
	// cannot have seen it.
	Waiting bool `db:"waiting"`
	// Sent is true for a message the platform took (ChatOutgoing only).
	Sent bool `db:"sent"`
}

// ChatOutgoing returns a chat's n newest outgoing messages, newest first, with Sent: what
// the engine reads to see whether the question it turns an answer away from has gone out
// yet, a rare step.
func (tx *Tx) ChatOutgoing(channel, chatID string, n int) ([]Outgoing, error) {
	var ms []Outgoing
	// As recent-outgoing: the chat's earlier kept messages were written out before the step.
	err := tx.qSees("chat-outgoing", false).SelectContext(tx.ctx, &ms, channel, chatID, n)
	return ms, wrap(err, "chat's outgoing messages")
}

// RecentOutgoing returns a chat's newest outgoing messages, newest first, when one of them is
// waiting at now (see Outgoing.Waiting); none when none is, the common case, which costs a
// read of the chat's newest message: a chat's messages are sent in order. In a batch, one statement reads those of all its
// chats, after the sessions' lock, as LastOutboxID does.
func (tx *Tx) RecentOutgoing(channel, chatID string, now int64) ([]Outgoing, error) {
	if w := tx.batch; w.keeps() {
		ms, ok, err := w.recentOutgoing(ChatRef{channel, chatID}, now)
		if err != nil || ok {
			return ms, err
		}
	}
	var ms []Outgoing
	// The chat's earlier kept messages are of its earlier steps, written out before this one
	// began (BeginStep): the query sees no other step's kept writes.
	err := tx.qSees("recent-outgoing", false).SelectContext(tx.ctx, &ms, now, now, channel, chatID, now, now, channel, chatID, recentOutgoing)
	return ms, wrap(err, "recent outgoing messages")
}

// recentOutgoing is RecentOutgoing for a chat the batch read, reading those of all its chats
// when first asked; ok is false if the chat is not one the batch read.
func (w *WriteBatch) recentOutgoing(chat ChatRef, now int64) (ms []Outgoing, ok bool, err error) {
	if _, ok, err = w.session(chat); err != nil || !ok {
		return nil, false, err
	}
	if w.recent == nil {
		rows := make([][]any, 0, len(w.read))
		for c := range w.read {
			rows = append(rows, []any{c.Channel, c.ChatID, now})
		}
		var found []struct {
			Channel string `db:"channel"`
			ChatID  string `db:"chat_id"`
			Outgoing
		}
		if w.err = w.query(&found, "recent-outgoing-many", rows); w.err != nil {
			return nil, false, fmt.Errorf("storage: recent outgoing messages: %w", w.err)
		}
		w.recent = map[ChatRef][]Outgoing{}
		for _, f := range found {
			c := ChatRef{f.Channel, f.ChatID}
			w.recent[c] = append(w.recent[c], f.Outgoing)
		}
	}
	return w.recent[chat], true, nil
}
