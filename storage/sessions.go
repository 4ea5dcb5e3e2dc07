package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// Session is one conversation of one chat with one published flow version.
type Session struct {
	ID           int64  `db:"id"`
	Channel      string `db:"channel"`
	ChatID       string `db:"chat_id"`
	RespondentID int64  `db:"respondent_id"`
	VisitToken   string `db:"visit_token"`
	UnitID       int64  `db:"unit_id"`
	ServiceID    *int64 `db:"service_id"`
	FlowID       string `db:"flow_id"`
	FlowVersion  int    `db:"flow_version"`
	Language     string `db:"language"`
	Position     int    `db:"position"` // index of the question being asked
	State        string `db:"state"`    // active, completed, cancelled, expired
	StartedAt    int64  `db:"started_at"`
	UpdatedAt    int64  `db:"updated_at"`
	ExpiresAt    int64  `db:"expires_at"`
	// AskedAt is when, by the server's clock (not the platform's dates of StartedAt and
	// UpdatedAt), the question at Position was first asked; 0 if not known.
	AskedAt int64 `db:"asked_at"`
	// ClockLead is the least the server's clock was ahead of a platform's date of one of the
	// session's messages, in ms (at most its lead over the platform's clock); nil if none was
	// dated.
	ClockLead *int64 `db:"clock_lead"`
	// QuestionAfter is a number the platform's number of the message that first asked the
	// question at Position is known to be above (Telegram numbers a chat's messages in
	// order, both sides'); nil if not known.
	QuestionAfter *int64 `db:"question_after"`
}

// lead is ClockLead as a statement's argument.
func (s Session) lead() any { return nullable(s.ClockLead) }

// nullable is p as a statement's argument: NULL when nil.
func nullable(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// Session states.
const (
	SessionActive    = "active"
	SessionCompleted = "completed"
	SessionCancelled = "cancelled"
	SessionExpired   = "expired"
)

// SeenEvent records an inbound platform event. It returns false if the event was recorded
// before: a redelivery, to be ignored.
func (tx *Tx) SeenEvent(channel, eventID string, at int64) (first bool, err error) {
	res, err := tx.Q("insert-inbound-event").ExecContext(tx.ctx, channel, eventID, at)
	if err != nil {
		return false, wrap(err, "record inbound event")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "record inbound event")
}

// ActiveSession returns the open session of a chat, locked for the rest of the transaction,
// or ErrNotFound.
func (tx *Tx) ActiveSession(channel, chatID string) (Session, error) {
	if w := tx.batch; w.keeps() {
		s, ok, err := w.session(ChatRef{channel, chatID})
		switch {
		case err != nil:
			return Session{}, err
		case ok && s == nil:
			return Session{}, fmt.Errorf("session: %w", ErrNotFound)
		case ok:
			return *s, nil
		}
	}
	return tx.session(tx.Q("find-active-session"), channel, chatID)
}

// ActiveSessionOfVisit returns the open session on a visit token, or ErrNotFound.
func (tx *Tx) ActiveSessionOfVisit(token string) (Session, error) {
	return tx.session(tx.qSees("find-active-session-of-visit", tx.batch.touchesVisit(token)), token)
}

// FindSession returns a session by id, locked for the rest of the transaction, or ErrNotFound.
func (tx *Tx) FindSession(id int64) (Session, error) {
	return tx.session(tx.qSees("find-session", tx.batch.touches(id)), id)
}

func (tx *Tx) session(q *sqlx.Stmt, args ...any) (Session, error) {
	var s Session
	err := q.GetContext(tx.ctx, &s, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("session: %w", ErrNotFound)
	}
	return s, wrap(err, "session")
}

// CreateSession opens a session and returns its id. It returns ErrConflict if the chat or
// the visit already has an open session.
func (tx *Tx) CreateSession(s Session) (int64, error) {
	var visit *string
	if s.VisitToken != "" {
		visit = &s.VisitToken
	}
	var id int64
	// A new row, and the unique indexes it must pass name no column the kept writes change.
	err := tx.qSees("insert-session", false).GetContext(tx.ctx, &id, s.Channel, s.ChatID, s.RespondentID, visit, s.UnitID, s.ServiceID,
		s.FlowID, s.FlowVersion, s.Language, s.Position, s.StartedAt, s.UpdatedAt, s.ExpiresAt, s.AskedAt, s.lead(), nullable(s.QuestionAfter))
	if isUniqueViolation(err) {
		return 0, fmt.Errorf("session: %w", ErrConflict)
	}
	return id, wrap(err, "create session")
}

// SetSessionService records the service a citizen says they received, for a session opened
// without one.
func (tx *Tx) SetSessionService(id, serviceID int64) error {
	_, err := tx.Q("set-session-service").ExecContext(tx.ctx, serviceID, id)
	return wrap(err, "set session service")
}

// UpdateSession saves the language, position, time asked, clock lead and QuestionAfter of an
// open session.
func (tx *Tx) UpdateSession(s Session) error {
	if w := tx.batch; w.keeps() {
		w.keep(pendingWrite{keptSession, []any{s.ID, s.Language, s.Position, s.UpdatedAt, s.AskedAt, s.lead(), nullable(s.QuestionAfter)}})
		return nil
	}
	// Its own row only: the other steps' kept writes stay kept unless one is of this session.
	_, err := tx.qSees("update-session", tx.batch.touches(s.ID)).ExecContext(tx.ctx, s.Language, s.Position, s.UpdatedAt, s.AskedAt, s.lead(), nullable(s.QuestionAfter), s.ID)
	return wrap(err, "update session")
}

// MoveSession hands an open session to another chat of the same channel (the same survey
// link opened in another browser).
func (tx *Tx) MoveSession(id int64, chatID string, at int64) error {
	_, err := tx.Q("move-session").ExecContext(tx.ctx, chatID, at, id)
	tx.batch.forgetSessions() // another chat's session changes hands
	return wrap(err, "move session")
}

// EndSession closes an open session in state (completed, cancelled or expired) and forgets
// its chat id.
func (tx *Tx) EndSession(id int64, state string, at int64) error {
	_, err := tx.qSees("end-session", tx.batch.touches(id)).ExecContext(tx.ctx, state, at, at, id)
	return wrap(err, "end session")
}

// AbandonSession ends an open session that nobody answered, as cancelled, if it is still as
// read in s (no answer since), and reports whether it did.
func (tx *Tx) AbandonSession(s Session, at int64) (bool, error) {
	res, err := tx.Q("abandon-session").ExecContext(tx.ctx, at, at, s.ID, s.Position, s.UpdatedAt)
	if err != nil {
		return false, wrap(err, "abandon session")
	}
	n, err := res.RowsAffected()
	tx.batch.forgetSessions() // another chat's session ends
	return n == 1, wrap(err, "abandon session")
}

// Respondent returns the id of the respondent with the pseudonym, creating it if new.
func (tx *Tx) Respondent(pseudonym string, at int64) (int64, error) {
	var id int64
	err := tx.Q("upsert-respondent").GetContext(tx.ctx, &id, pseudonym, at)
	return id, wrap(err, "respondent")
}

// SaveAnswer stores (or replaces) the answer to a question.
func (tx *Tx) SaveAnswer(sessionID int64, questionID, value string, at int64) error {
	if w := tx.batch; w.keeps() {
		w.keep(pendingWrite{keptAnswer, []any{sessionID, questionID, value, at}})
		return nil
	}
	_, err := tx.Q("upsert-answer").ExecContext(tx.ctx, sessionID, questionID, value, at)
	return wrap(err, "save answer")
}

// DeleteAnswer forgets the answer to one question (a skipped optional question).
func (tx *Tx) DeleteAnswer(sessionID int64, questionID string) error {
	if w := tx.batch; w.keeps() {
		w.keep(pendingWrite{keptNoAnswer, []any{sessionID, questionID}})
		return nil
	}
	_, err := tx.Q("delete-answer").ExecContext(tx.ctx, sessionID, questionID)
	return wrap(err, "delete answer")
}

// DeleteAnswers forgets every answer of a session (a restart or a cancel).
func (tx *Tx) DeleteAnswers(sessionID int64) error {
	_, err := tx.qSees("delete-answers", tx.batch.touches(sessionID)).ExecContext(tx.ctx, sessionID)
	return wrap(err, "delete answers")
}

// Answers returns a session's answers: question id -> value.
//
// In a batch, a step reading its own session's answers (no other step kept a write of it)
// reads what is stored and lays its kept answers over it: it goes on keeping its writes, with
// no savepoint and no statement of its own for them (a question asked only after a condition
// on an earlier answer, the answers read back before the response is stored).
func (tx *Tx) Answers(sessionID int64) (map[string]string, error) {
	w := tx.batch
	overlay := w.keeps() && !w.touches(sessionID)
	var stmt *sqlx.Stmt
	if overlay {
		stmt = tx.StmtxContext(tx.ctx, tx.db.Q("find-answers"))
	} else {
		stmt = tx.qSees("find-answers", w.touches(sessionID))
	}
	a, err := scanAnswers(tx.ctx, stmt, sessionID)
	if err != nil {
		if overlay { // outside a savepoint: the batch's transaction is lost
			w.err = err
		}
		return nil, err
	}
	if overlay {
		w.keptAnswers(sessionID, a)
	}
	return a, nil
}

func scanAnswers(ctx context.Context, stmt *sqlx.Stmt, sessionID int64) (map[string]string, error) {
	rows, err := stmt.QueryxContext(ctx, sessionID)
	if err != nil {
		return nil, wrap(err, "answers")
	}
	defer rows.Close()
	a := map[string]string{}
	for rows.Next() {
		var q, v string
		if err := rows.Scan(&q, &v); err != nil {
			return nil, wrap(err, "answers")
		}
		a[q] = v
	}
	return a, wrap(rows.Err(), "answers")
}

// ExpiredSessions returns up to 500 ids of open sessions that expired before now.
func (db *DB) ExpiredSessions(ctx context.Context, now int64) ([]int64, error) {
	var ids []int64
	err := db.Q("find-expired-sessions").SelectContext(ctx, &ids, now)
	return ids, wrap(err, "expired sessions")
}

// Response is a finished session flattened for the index.
type Response struct {
	SessionID, RespondentID, UnitID int64
	ServiceID                       *int64
	VisitToken                      string
	FlowID                          string
	FlowVersion                     int
	Status                          string // complete or partial
	FinishedAt                      int64
	LocalDay                        int     // YYYYMMDD in SUKMA_TIMEZONE
	Scores                          [9]*int // U1..U9; nil = not answered
	JenisKelamin, Pendidikan        *string
	Pekerjaan, Saran, Perbaikan     *string
	Usia                            *int
	// Lainnya are the answers no field above holds (questions an agency added to its flow):
	// "question_id: value", one a line, a value's line breaks and backslashes escaped (\n,
	// \\; see bot's oneLine); nil when none.
	Lainnya *string
}

// Response statuses; only complete responses count in the index.
const (
	ResponseComplete = "complete"
	ResponsePartial  = "partial"
)

// InsertResponse stores a finished session's response. It returns ErrConflict if the
// session or the visit already has one.
func (tx *Tx) InsertResponse(r Response) error {
	var visit *string
	if r.VisitToken != "" {
		visit = &r.VisitToken
	}
	args := []any{r.SessionID, r.RespondentID, r.UnitID, r.ServiceID, visit, r.FlowID, r.FlowVersion, r.Status, r.FinishedAt, r.LocalDay}
	for _, s := range r.Scores {
		args = append(args, s)
	}
	args = append(args, r.JenisKelamin, r.Usia, r.Pendidikan, r.Pekerjaan, r.Saran, r.Perbaikan, r.Lainnya)
	_, err := tx.Q("insert-response").ExecContext(tx.ctx, args...)
	if isUniqueViolation(err) {
		return fmt.Errorf("response: %w", ErrConflict)
	}
	return wrap(err, "insert response")
}

// CompletedTodayAt counts a respondent's complete responses for a unit on a local day (the
// standing link's one-a-day rule).
func (tx *Tx) CompletedTodayAt(respondentID, unitID int64, localDay int) (int, error) {
	var n int
	err := tx.Q("completed-today-standing").GetContext(tx.ctx, &n, respondentID, unitID, localDay)
	return n, wrap(err, "responses today")
}

// Enqueue writes a message to the outbox. A message already delivered by the caller (the web
// chat answers in the HTTP response) is stored as sent, for the transcript.
func (tx *Tx) Enqueue(channel, chatID, body string, at int64, delivered bool) error {
	var sent *int64
	if delivered {
		sent = &at
	}
	if w := tx.batch; w.keepsOutbox() {
		var sentAt any
		if delivered {
			sentAt = at
		}
		w.keep(pendingWrite{keptOutbox, []any{channel, chatID, body, at, sentAt}})
		return nil
	}
	if !delivered {
		tx.queued = append(tx.queued, ChatRef{channel, chatID})
	}
	_, err := tx.Q("insert-outbox").ExecContext(tx.ctx, channel, chatID, body, at, at, sent)
	return wrap(err, "enqueue")
}

// EnqueueForSubscriber writes a message for a subscriber (a digest, an alert) to the outbox,
// marked as the subscriber's: the dispatcher tries it for longer than a conversation's reply
// while the platform is down, and it is dropped, unsent, when the subscription ends
// (DeleteSubscriber, Unsubscribe). The chat's survey replies are not marked.
func (tx *Tx) EnqueueForSubscriber(subscriberID int64, channel, chatID, body string, at int64) error {
	tx.queued = append(tx.queued, ChatRef{channel, chatID})
	_, err := tx.Q("insert-subscriber-outbox").ExecContext(tx.ctx, channel, chatID, body, at, at, subscriberID)
	return wrap(err, "enqueue for subscriber %d", subscriberID)
}

// Purge deletes outbox messages sent or failed before `before`, web chat messages written
// before it and never taken (TakeUnsent), and the record of inbound events received before
// it: chat ids are personal data, kept no longer than needed.
func (db *DB) Purge(ctx context.Context, before int64) (int64, error) {
	res, err := db.Q("purge-sent-outbox").ExecContext(ctx, before, before, before)
	if err != nil {
		return 0, wrap(err, "purge outbox")
	}
	n, _ := res.RowsAffected()
	res, err = db.Q("purge-inbound-events").ExecContext(ctx, before)
	if err != nil {
		return n, wrap(err, "purge inbound events")
	}
	m, _ := res.RowsAffected()
	return n + m, nil
}

// Transcript returns the bodies of every message sent to a chat, in order.
func (db *DB) Transcript(ctx context.Context, channel, chatID string) ([]string, error) {
	ms, err := db.FindChatMessages(ctx, channel, chatID)
	bodies := make([]string, len(ms))
	for i, m := range ms {
		bodies[i] = m.Body
	}
	return bodies, err
}

// ChatMessage is one message written to a chat's outbox.
type ChatMessage struct {
	Body string `db:"body"`       // JSON of a bot.Reply
	At   int64  `db:"created_at"` // the time of the step that wrote it
}

// FindChatMessages returns every message written to a chat, in order.
func (db *DB) FindChatMessages(ctx context.Context, channel, chatID string) ([]ChatMessage, error) {
	var ms []ChatMessage
	err := db.Q("find-transcript").SelectContext(ctx, &ms, channel, chatID)
	return ms, wrap(err, "transcript")
}
