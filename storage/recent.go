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
// read of the chat's newest message: a chat's messages are sent in order. In a batch, one
// statement reads the newest message of all its chats, after the sessions' lock, for this and
// LastOutboxID alike, and the few chats whose newest waits read the rest in a second.
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

// outboxHead is the newest message of a chat, as the batch reads it for every chat: its id,
// and what says whether it waits.
type outboxHead struct {
	ID           int64  `db:"id"`
	SentAt       *int64 `db:"sent_at"`
	FailedAt     *int64 `db:"failed_at"`
	ClaimedUntil *int64 `db:"claimed_until"`
	NextAt       int64  `db:"next_at"`
}

// waits is Outgoing.Waiting for the head at now (as recent-outgoing computes it).
func (h outboxHead) waits(now int64) bool {
	return h.ID != 0 && h.SentAt == nil && h.FailedAt == nil &&
		(h.ClaimedUntil == nil || *h.ClaimedUntil < now || h.NextAt > now)
}

// head returns the newest outgoing message of a chat the batch read, reading those of all its
// chats when first asked, for LastOutboxID and RecentOutgoing alike; ok is false if the chat
// is not one the batch read. The read comes after the sessions' lock, in a statement of its
// own, so that it sees what the transactions that held the lock before wrote.
func (w *WriteBatch) head(chat ChatRef) (h outboxHead, ok bool, err error) {
	if _, ok, err = w.session(chat); err != nil || !ok {
		return outboxHead{}, false, err
	}
	if w.heads == nil {
		rows := make([][]any, 0, len(w.read))
		for c := range w.read {
			rows = append(rows, []any{c.Channel, c.ChatID})
		}
		var found []struct {
			Channel string `db:"channel"`
			ChatID  string `db:"chat_id"`
			outboxHead
		}
		if w.err = w.query(&found, "outbox-heads", rows); w.err != nil {
			return outboxHead{}, false, wrap(w.err, "newest outgoing messages")
		}
		w.heads = make(map[ChatRef]outboxHead, len(found))
		for _, f := range found {
			w.heads[ChatRef{f.Channel, f.ChatID}] = f.outboxHead
		}
	}
	return w.heads[chat], true, nil
}

// lastOutboxID is LastOutboxID for a chat the batch read (see head).
func (w *WriteBatch) lastOutboxID(chat ChatRef) (id int64, ok bool, err error) {
	h, ok, err := w.head(chat)
	return h.ID, ok, err
}

// recentOutgoing is RecentOutgoing for a chat the batch read: none when its newest message
// does not wait, the common case, known from its head; otherwise those of all the batch's
// chats whose newest waits and that were not read yet, in one statement. ok is false if the
// chat is not one the batch read.
func (w *WriteBatch) recentOutgoing(chat ChatRef, now int64) (ms []Outgoing, ok bool, err error) {
	h, ok, err := w.head(chat)
	if err != nil || !ok || !h.waits(now) {
		return nil, ok, err
	}
	if ms, read := w.recent[chat]; read {
		return ms, true, nil
	}
	if w.recent == nil {
		w.recent = map[ChatRef][]Outgoing{}
	}
	var rows [][]any
	for c, h := range w.heads {
		if _, read := w.recent[c]; !read && h.waits(now) {
			rows = append(rows, []any{c.Channel, c.ChatID, now})
			w.recent[c] = nil
		}
	}
	var found []struct {
		Channel string `db:"channel"`
		ChatID  string `db:"chat_id"`
		Outgoing
	}
	if w.err = w.query(&found, "recent-outgoing-many", rows); w.err != nil {
		return nil, false, fmt.Errorf("storage: recent outgoing messages: %w", w.err)
	}
	for _, f := range found {
		c := ChatRef{f.Channel, f.ChatID}
		w.recent[c] = append(w.recent[c], f.Outgoing)
	}
	return w.recent[chat], true, nil
}
