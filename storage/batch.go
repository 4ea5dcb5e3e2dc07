package storage

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A WriteBatch runs the steps of many chats in one transaction (the engine's group commit)
// with a handful of statements for all of them instead of several for each: the inbound
// events are recorded, and the chats' sessions read and locked, one statement each before the
// steps; the answers, the sessions' positions and the outgoing messages that the steps write
// are kept and written once after them, one statement each.
//
// The effect is the steps' one after another. A step that does anything else (opens a
// session, completes a response, reads answers back: any other query of the Tx) first writes
// out what the steps before it kept, then runs directly inside a savepoint of its own; only
// its outgoing messages are still kept. A step that fails is undone alone (what it kept
// dropped, its savepoint rolled back) and its event forgotten, so that it can run again in a
// transaction of its own.
type WriteBatch struct {
	tx *Tx
	// sessions are the locked open sessions of the batch's chats; a chat that is absent has
	// none. nil means read them again at the next lookup.
	sessions map[ChatRef]*Session
	read     map[ChatRef]bool       // the chats of the last read of sessions
	heads    map[ChatRef]outboxHead // their newest outgoing messages, read when first asked
	recent   map[ChatRef][]Outgoing // their recent messages when the newest waits (RecentOutgoing)
	chats    []ChatRef              // every chat of the batch
	begun    map[ChatRef]bool       // chats whose steps have begun
	pending  []pendingWrite         // writes kept, of the ended steps and then the current one
	start    int                    // where the current step's writes begin in pending
	event    InboundEvent           // the current step's recorded event, if any
	inStep   bool                   // between BeginStep and EndStep
	direct   bool                   // the current step runs its statements directly
	savept   bool                   // a savepoint is open
	failed   []InboundEvent         // events of failed steps, forgotten before the commit
	redo     []pendingWrite         // other steps' writes written inside the current step's savepoint
	visitOf  map[int64]string       // the visit token of every session the batch read
	err      error                  // a write of the batch failed: the transaction is lost

	claimer Claimer         // see ClaimFor
	claimed []OutboxMessage // the messages claimed
}

// ChatRef names a chat of a channel.
type ChatRef struct{ Channel, ChatID string }

// InboundEvent is a platform's message id, recorded so that a redelivery is ignored.
type InboundEvent struct {
	Channel, EventID string
	At               int64
}

// pendingWrite is a kept write: a row of one of the batch statements.
type pendingWrite struct {
	kind writeKind
	row  []any // int, int64, string or nil
}

type writeKind int

const (
	keptAnswer   writeKind = iota // session_id, question_id, value, answered_at
	keptNoAnswer                  // session_id, question_id: the answer deleted
	keptSession                   // id, language, position, updated_at, asked_at, clock_lead, question_after
	keptOutbox                    // channel, chat_id, body, created_at, sent_at or nil; claim_until or nil is added when written
)

// Batch puts tx in group-commit mode and returns its WriteBatch. Call it first in the
// transaction, and Flush last.
func (tx *Tx) Batch() *WriteBatch {
	tx.batch = &WriteBatch{tx: tx, begun: map[ChatRef]bool{}}
	return tx.batch
}

// RecordEvents records the inbound events of the batch in one statement and reports, for
// each, whether it is new: false for a redelivery, and for a second copy within the batch.
func (w *WriteBatch) RecordEvents(events []InboundEvent) ([]bool, error) {
	first := make([]bool, len(events))
	if len(events) == 0 {
		return first, nil
	}
	// Sorted, so that two batches on two replicas holding the same redelivered events insert
	// them in the same order, and one waits for the other instead of the two deadlocking.
	sorted := slices.Clone(events)
	slices.SortFunc(sorted, func(a, b InboundEvent) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.EventID, b.EventID))
	})
	rows := make([][]any, len(sorted))
	for i, e := range sorted {
		rows[i] = []any{e.Channel, e.EventID, e.At}
	}
	var inserted []struct {
		Channel string `db:"channel"`
		EventID string `db:"event_id"`
	}
	if err := w.query(&inserted, "record-inbound-events", rows); err != nil {
		return nil, wrap(err, "record inbound events")
	}
	isNew := map[InboundEvent]bool{}
	for _, r := range inserted {
		isNew[InboundEvent{Channel: r.Channel, EventID: r.EventID}] = true
	}
	for i, e := range events {
		k := InboundEvent{Channel: e.Channel, EventID: e.EventID}
		first[i] = isNew[k]
		delete(isNew, k) // a second copy in the batch is a redelivery
	}
	return first, nil
}

// LockSessions reads and locks the open sessions of the batch's chats, in one statement.
func (w *WriteBatch) LockSessions(chats []ChatRef) error {
	w.chats = chats
	return w.lockSessions(chats)
}

func (w *WriteBatch) lockSessions(chats []ChatRef) error {
	w.heads, w.recent = nil, nil
	w.sessions = make(map[ChatRef]*Session, len(chats))
	w.read = make(map[ChatRef]bool, len(chats))
	for _, c := range chats {
		w.read[c] = true
	}
	if len(chats) == 0 {
		return nil
	}
	// Sorted, so that batches sharing sessions lock them in the same order.
	sorted := slices.Clone(chats)
	slices.SortFunc(sorted, func(a, b ChatRef) int {
		return cmp.Or(cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.ChatID, b.ChatID))
	})
	sorted = slices.Compact(sorted)
	rows := make([][]any, len(sorted))
	for i, c := range sorted {
		rows[i] = []any{c.Channel, c.ChatID}
	}
	var found []Session
	if err := w.query(&found, "lock-active-sessions", rows); err != nil {
		w.sessions, w.read = nil, nil
		return wrap(err, "lock sessions")
	}
	if w.visitOf == nil {
		w.visitOf = map[int64]string{}
	}
	for i := range found {
		w.sessions[ChatRef{found[i].Channel, found[i].ChatID}] = &found[i]
		w.visitOf[found[i].ID] = found[i].VisitToken
	}
	return nil
}

// BeginStep starts the step of a chat, whose event (if it has one) RecordEvents found new.
// A chat's second step in one batch sees its first step's writes: they are written out
// before it, and the sessions read again.
func (w *WriteBatch) BeginStep(chat ChatRef, event InboundEvent) {
	if w.begun[chat] && w.err == nil {
		w.err = w.writePending(w.pending)
		w.pending, w.sessions = nil, nil
	}
	w.begun[chat] = true
	w.inStep, w.direct, w.start, w.event = true, false, len(w.pending), event
}

// EndStep ends the current step. A step that failed (ok false) is undone alone. The error is
// the batch's: its transaction cannot commit.
func (w *WriteBatch) EndStep(ok bool) error {
	w.inStep = false
	direct, redo := w.direct, w.redo
	w.direct, w.redo = false, nil
	if w.err != nil || ok {
		return w.err
	}
	if direct {
		if _, err := w.tx.ExecContext(w.tx.ctx, "ROLLBACK TO SAVEPOINT step"); err != nil {
			w.err = wrap(err, "roll back a step")
			return w.err
		}
	}
	clear(w.pending[w.start:])
	// The other steps' writes that the rollback undid are kept again, before the rest.
	w.pending = append(redo, w.pending[:w.start]...)
	if w.event.EventID != "" {
		w.failed = append(w.failed, w.event)
	}
	return nil
}

// Flush writes what the steps kept and forgets the events of the failed steps. Call it last,
// before the commit.
func (w *WriteBatch) Flush() error {
	if w.err != nil {
		return w.err
	}
	if err := w.writePending(w.pending); err != nil {
		return err
	}
	w.pending = nil
	for _, e := range w.failed {
		if _, err := w.tx.StmtxContext(w.tx.ctx, w.tx.db.Q("delete-inbound-event")).ExecContext(w.tx.ctx, e.Channel, e.EventID); err != nil {
			return wrap(err, "forget a failed step's event")
		}
	}
	return nil
}

// A Claimer is a dispatcher that the batch may claim messages for as it writes them.
type Claimer interface {
	// Sends reports whether it sends the messages of a channel.
	Sends(channel string) bool
	// LeaseEnd is until when a message claimed now is its own.
	LeaseEnd() time.Time
	// InHand returns the messages it has sent and not yet recorded sent: a chat's message
	// after them is claimed as if they were recorded.
	InHand() []int64
}

// ClaimFor makes the batch claim the messages to send that it writes for the channels c
// sends, as c's claim would (DB.ClaimOutbox), so that c sends them at once (Claimed) without
// a claim of its own. As a claim, it takes only a chat's oldest message still to send: one
// whose chat has another before it (written earlier, and not sent already by c, InHand; or
// written in the same batch) is not claimed, so that the chat's messages go in order and
// each counts as not seen until it is being sent. Nor is one written inside a step's
// savepoint, which a failed step would undo.
func (w *WriteBatch) ClaimFor(c Claimer) { w.claimer = c }

// Claimed returns the messages the batch wrote claimed (ClaimFor), in the order to send. They
// exist once the transaction has committed.
func (w *WriteBatch) Claimed() []OutboxMessage { return w.claimed }

// keeps reports whether the Tx's writes are kept for the batch rather than run now.
func (w *WriteBatch) keeps() bool { return w != nil && w.inStep && !w.direct && w.err == nil }

// keepsOutbox is keeps for the outgoing messages: they are kept even from a step that runs
// directly, since a step reads its chat's messages (LastOutboxID) only before it writes any,
// and a later step of the chat comes after a write-out (BeginStep).
func (w *WriteBatch) keepsOutbox() bool { return w != nil && w.inStep && w.err == nil }

// session returns the locked open session of a chat from the batch's read, reading again if
// a direct step came between; ok is false if the chat is not one the batch read.
func (w *WriteBatch) session(chat ChatRef) (s *Session, ok bool, err error) {
	if w.sessions == nil {
		var rest []ChatRef
		for _, c := range w.chats {
			if !w.begun[c] || c == chat {
				rest = append(rest, c)
			}
		}
		if w.err = w.lockSessions(rest); w.err != nil {
			return nil, false, w.err
		}
	}
	return w.sessions[chat], w.read[chat], nil
}

// writePending writes kept writes with one statement per kind: the answers and the
// sessions' last state (a later write of the same row wins, as it would have one after the
// other) and the outgoing messages in order.
func (w *WriteBatch) writePending(ws []pendingWrite) error {
	var answers, noAnswers, sessions, outbox [][]any
	lastAnswer, lastSession := map[[2]any]int{}, map[any]int{}
	for i, p := range ws {
		switch p.kind {
		case keptAnswer, keptNoAnswer:
			lastAnswer[[2]any{p.row[0], p.row[1]}] = i
		case keptSession:
			lastSession[p.row[0]] = i
		}
	}
	for i, p := range ws {
		switch {
		case p.kind == keptAnswer && lastAnswer[[2]any{p.row[0], p.row[1]}] == i:
			answers = append(answers, p.row)
		case p.kind == keptNoAnswer && lastAnswer[[2]any{p.row[0], p.row[1]}] == i:
			noAnswers = append(noAnswers, p.row)
		case p.kind == keptSession && lastSession[p.row[0]] == i:
			sessions = append(sessions, p.row)
		case p.kind == keptOutbox:
			outbox = append(outbox, p.row)
		}
	}
	for _, st := range []struct {
		name, one, what string
		rows            [][]any
	}{
		// A skipped question is one in a batch, mostly (the survey's last, optional): PostgreSQL
		// planned the statement for many rows again at every call, choosing a plan for the one
		// row it held over its generic plan for a hundred, where the statement for one row
		// keeps its generic plan.
		{"delete-answers-many", "delete-answer", "delete answers", noAnswers},
		{"upsert-answers", "", "save answers", answers},
		{"update-sessions", "", "update sessions", sessions},
	} {
		var err error
		switch {
		case len(st.rows) == 0:
			continue
		case len(st.rows) == 1 && st.one != "":
			_, err = w.tx.StmtxContext(w.tx.ctx, w.tx.db.Q(st.one)).ExecContext(w.tx.ctx, st.rows[0]...)
		default:
			err = w.exec(st.name, st.rows)
		}
		if err != nil {
			return wrap(err, "%s", st.what)
		}
	}
	return w.writeOutbox(outbox)
}

// writeOutbox writes the kept outgoing messages, claiming those it may (ClaimFor).
func (w *WriteBatch) writeOutbox(kept [][]any) error {
	if len(kept) == 0 {
		return nil
	}
	rows := make([][]any, len(kept))
	var until any
	inHand := []int64{}
	if w.claimer != nil && !w.inStep {
		until, inHand = w.claimer.LeaseEnd().UnixMilli(), w.claimer.InHand()
	}
	// A chat's first message only: the next waits unclaimed until that one is sent, so that
	// until then it counts as not seen (Outgoing.Waiting), as it would without the claim.
	first := map[ChatRef]bool{}
	for i, r := range kept {
		chat := ChatRef{r[0].(string), r[1].(string)}
		if until != nil && r[4] == nil && !first[chat] && w.claimer.Sends(chat.Channel) {
			rows[i] = append(slices.Clip(r), until)
		} else {
			rows[i] = append(slices.Clip(r), nil)
		}
		if r[4] == nil {
			first[chat] = true
		}
	}
	args, err := w.args(rows)
	if err != nil {
		return wrap(err, "enqueue")
	}
	ids, err := json.Marshal(inHand)
	if err != nil {
		return wrap(err, "enqueue")
	}
	if w.tx.db.Dialect == Postgres {
		ids[0], ids[len(ids)-1] = '{', '}'
	}
	var written []writtenMessage
	if err := w.tx.StmtxContext(w.tx.ctx, w.tx.db.Q("insert-outbox-many")).SelectContext(w.tx.ctx, &written, append(args, string(ids))...); err != nil {
		return wrap(err, "enqueue")
	}
	slices.SortFunc(written, func(a, b writtenMessage) int { return cmp.Compare(a.ID, b.ID) })
	for _, m := range written {
		switch {
		case m.ClaimedUntil != 0:
			w.claimed = append(w.claimed, m.OutboxMessage)
		case m.SentAt == nil:
			w.tx.queued = append(w.tx.queued, ChatRef{m.Channel, m.ChatID})
		}
	}
	return nil
}

// writtenMessage is a row insert-outbox-many wrote: ClaimedUntil is 0 if it was not claimed.
type writtenMessage struct {
	OutboxMessage
	SentAt *int64 `db:"sent_at"`
}

// exec runs a batch statement on rows.
func (w *WriteBatch) exec(name string, rows [][]any) error {
	args, err := w.args(rows)
	if err != nil {
		return err
	}
	_, err = w.tx.StmtxContext(w.tx.ctx, w.tx.db.Q(name)).ExecContext(w.tx.ctx, args...)
	return err
}

// query is exec for a statement that returns rows, into dest.
func (w *WriteBatch) query(dest any, name string, rows [][]any) error {
	args, err := w.args(rows)
	if err != nil {
		return err
	}
	return w.tx.StmtxContext(w.tx.ctx, w.tx.db.Q(name)).SelectContext(w.tx.ctx, dest, args...)
}

// args passes rows to a batch statement: on SQLite one JSON array of arrays (json_each), on
// PostgreSQL one array per column (unnest). PostgreSQL estimates a JSON set at a hundred rows
// and joined it to the sessions by scanning them (an update of the sessions took 330 µs a
// batch, 100 µs with arrays).
func (w *WriteBatch) args(rows [][]any) ([]any, error) {
	if w.tx.db.Dialect != Postgres {
		b, err := json.Marshal(rows)
		return []any{string(b)}, err
	}
	cols := make([]strings.Builder, len(rows[0]))
	for i, r := range rows {
		for c, v := range r {
			b := &cols[c]
			if i == 0 {
				b.WriteByte('{')
			} else {
				b.WriteByte(',')
			}
			switch v := v.(type) {
			case nil:
				b.WriteString("NULL")
			case int:
				b.WriteString(strconv.Itoa(v))
			case int64:
				b.WriteString(strconv.FormatInt(v, 10))
			case string:
				b.WriteByte('"')
				for _, ch := range []byte(v) {
					if ch == '"' || ch == '\\' {
						b.WriteByte('\\')
					}
					b.WriteByte(ch)
				}
				b.WriteByte('"')
			default:
				return nil, fmt.Errorf("storage: batch value of type %T", v)
			}
		}
	}
	args := make([]any, len(cols))
	for c := range cols {
		cols[c].WriteByte('}')
		args[c] = cols[c].String()
	}
	return args, nil
}

// keep adds a write to the current step's kept writes.
func (w *WriteBatch) keep(p pendingWrite) { w.pending = append(w.pending, p) }
