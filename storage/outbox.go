package storage

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// OutboxMessage is a claimed outbox row: a message to send to one chat.
type OutboxMessage struct {
	ID       int64  `db:"id"`
	Channel  string `db:"channel"`
	ChatID   string `db:"chat_id"`
	Body     string `db:"body"` // JSON of a bot.Reply
	Attempts int    `db:"attempts"`
	// CreatedAt is when the message was written (unix ms).
	CreatedAt int64 `db:"created_at"`
	// SubscriberID is the subscriber a digest or an alert is for (EnqueueForSubscriber), 0
	// for a conversation's message.
	SubscriberID int64 `db:"subscriber_id"`
	// ClaimedUntil is when the claim of the message ends (unix ms).
	ClaimedUntil int64 `db:"claimed_until"`
}

// ClaimOutbox leases up to limit messages of a channel that are due at now, at most one per
// chat and only the oldest unfinished one of it, until now+lease. The messages come in id
// order. Another caller, on this database or a replica, does not get them until the lease
// runs out or they are released, retried or marked.
func (db *DB) ClaimOutbox(ctx context.Context, channel string, now time.Time, lease time.Duration, limit int) ([]OutboxMessage, error) {
	var ms []OutboxMessage
	at := now.UnixMilli()
	args := []any{now.Add(lease).UnixMilli(), channel, at, at, limit}
	var err error
	if db.Dialect == Postgres {
		// One statement, its own transaction: a claim that finds nothing writes nothing.
		err = db.SelectContext(ctx, &ms, db.Unprepared("claim-outbox"), args...)
	} else {
		// A read first: an idle outbox is looked at five times a second, and a claim takes
		// SQLite's one writer.
		var due int
		if err := db.Q("has-due-outbox").GetContext(ctx, &due, channel, at, at); err != nil || due == 0 {
			return nil, wrap(err, "claim outbox")
		}
		err = db.InTx(ctx, func(tx *Tx) error {
			ms = ms[:0]
			return tx.Q("claim-outbox").SelectContext(ctx, &ms, args...)
		})
	}
	slices.SortFunc(ms, func(a, b OutboxMessage) int { return int(a.ID - b.ID) })
	return ms, wrap(err, "claim outbox")
}

// Backlog is what waits in the outbox of one channel: messages not sent yet, nor given up.
type Backlog struct {
	Channel  string `db:"channel"`
	Pending  int    `db:"pending"`
	OldestAt int64  `db:"oldest_at"` // unix ms of the oldest
}

// OutboxBacklog returns the backlog of every channel that has one.
func (db *DB) OutboxBacklog(ctx context.Context) ([]Backlog, error) {
	var bs []Backlog
	err := db.Q("outbox-backlog").SelectContext(ctx, &bs)
	return bs, wrap(err, "outbox backlog")
}

// MarkOutboxSentMany records that messages were delivered, in one statement.
func (db *DB) MarkOutboxSentMany(ctx context.Context, ids []int64, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	// The ids go as one text parameter: a JSON array for SQLite, an array literal for
	// PostgreSQL, whose planner then knows how many rows it updates (from a set-returning
	// function it guesses 100, and took a sequential scan of the outbox while it was small).
	list, err := json.Marshal(ids)
	if err != nil {
		return wrap(err, "mark outbox sent")
	}
	if db.Dialect == Postgres {
		list[0], list[len(list)-1] = '{', '}'
	}
	_, err = db.outboxExec(ctx, "mark outbox sent", "mark-outbox-sent-many", at.UnixMilli(), string(list))
	return err
}

// ErrLeaseLost means the outbox message was no longer its sender's when the sender wrote the
// outcome: its claim had run out and another dispatcher had claimed it, or it was dropped (a
// subscription ended). The outcome was not written.
var ErrLeaseLost = errors.New("the outbox message is no longer this sender's (its claim ran out and another took it, or it was dropped)")

// RetryOutbox puts a claimed message back for another try at next, with the reason it failed;
// counted says whether this try counts towards the attempts (a flood-control wait does not).
// Like every outcome but sent, it is written only while the claim is still m's
// (m.ClaimedUntil), else it is ErrLeaseLost.
func (db *DB) RetryOutbox(ctx context.Context, m OutboxMessage, next time.Time, counted bool, reason string) error {
	n := 0
	if counted {
		n = 1
	}
	return db.outcome(ctx, "retry outbox", "retry-outbox", n, roundUp(next), reason, m.ID, m.ClaimedUntil)
}

// DelayOutbox records that a claimed message is held back until next by its sender (the rate
// limits), keeping the claim: until then it counts as unseen (Outgoing.Waiting), as an
// unclaimed one does, not as being sent.
func (db *DB) DelayOutbox(ctx context.Context, m OutboxMessage, next time.Time) error {
	return db.outcome(ctx, "delay outbox", "delay-outbox", roundUp(next), m.ID, m.ClaimedUntil)
}

// FailOutbox gives a claimed message up: it is never sent again, and the reason stays for an
// admin.
func (db *DB) FailOutbox(ctx context.Context, m OutboxMessage, at time.Time, reason string) error {
	return db.outcome(ctx, "fail outbox", "fail-outbox", at.UnixMilli(), reason, m.ID, m.ClaimedUntil)
}

// ReleaseOutbox ends the claim of a message that was not tried, so that it goes out at once.
func (db *DB) ReleaseOutbox(ctx context.Context, m OutboxMessage) error {
	return db.outcome(ctx, "release outbox", "release-outbox", m.ID, m.ClaimedUntil)
}

// roundUp is t in unix milliseconds, rounded up: a platform's retry_after is never cut short.
func roundUp(t time.Time) int64 {
	return (t.UnixNano() + int64(time.Millisecond) - 1) / int64(time.Millisecond)
}

// outcome writes the outcome of a claimed message, which changes its one row unless the claim
// was lost.
func (db *DB) outcome(ctx context.Context, what, query string, args ...any) error {
	n, err := db.outboxExec(ctx, what, query, args...)
	if err == nil && n == 0 {
		err = fmt.Errorf("%s: %w", what, ErrLeaseLost)
	}
	return err
}

// TakeUnsent marks the unsent messages of a chat as sent at `at` and returns their bodies,
// oldest first. It is for a channel that answers in its own responses (the web chat), which
// no dispatcher sends: what was written for the chat outside its requests goes with the next.
func (tx *Tx) TakeUnsent(channel, chatID string, at int64) ([]string, error) {
	var rows []OutboxMessage
	if err := tx.Q("take-unsent").SelectContext(tx.ctx, &rows, at, channel, chatID); err != nil {
		return nil, wrap(err, "take unsent messages")
	}
	slices.SortFunc(rows, func(a, b OutboxMessage) int { return cmp.Compare(a.ID, b.ID) })
	bodies := make([]string, len(rows))
	for i, r := range rows {
		bodies[i] = r.Body
	}
	return bodies, nil
}

// LastOutboxID returns the id of the newest message written for a chat, sent or not, or 0:
// only that message's buttons are current. After the chat's session is locked it sees the
// newest for certain. In a batch, one statement reads those of all its chats.
func (tx *Tx) LastOutboxID(channel, chatID string) (int64, error) {
	if w := tx.batch; w.keeps() {
		id, ok, err := w.lastOutboxID(ChatRef{channel, chatID})
		if err != nil || ok {
			return id, err
		}
	}
	var id int64
	err := tx.Q("last-outbox-id").GetContext(tx.ctx, &id, channel, chatID)
	return id, wrap(err, "last outbox id")
}

// OutboxBody returns the body of a message written for a chat and when it was written; a
// message of another chat is ErrNotFound.
func (tx *Tx) OutboxBody(channel, chatID string, id int64) (body string, at int64, err error) {
	var m struct {
		Body string `db:"body"`
		At   int64  `db:"created_at"`
	}
	err = tx.Q("find-outbox-message").GetContext(tx.ctx, &m, id, channel, chatID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, fmt.Errorf("outbox message %d: %w", id, ErrNotFound)
	}
	return m.Body, m.At, wrap(err, "outbox message")
}

// outboxExec runs one statement that changes the outbox and returns the rows it changed.
func (db *DB) outboxExec(ctx context.Context, what, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if db.Dialect == Postgres {
		// One statement is its own transaction: no BEGIN and COMMIT round trips; unprepared,
		// so that it is planned for the outbox as it is now (see Unprepared).
		res, err = db.ExecContext(ctx, db.Unprepared(query), args...)
	} else {
		err = db.InTx(ctx, func(tx *Tx) error {
			var err error
			res, err = tx.Q(query).ExecContext(ctx, args...)
			return err
		})
	}
	if err != nil {
		return 0, wrap(err, "%s", what)
	}
	n, err := res.RowsAffected()
	return n, wrap(err, "%s", what)
}

// LeaderLock is a database-wide lock held on a connection of its own.
type LeaderLock struct {
	conn   *sql.Conn
	name   string
	unlock string
	lost   atomic.Bool // Alive found the connection gone or silent
}

// leaderKeepalive makes PostgreSQL notice within about 20 seconds that the holder of a leader
// lock is gone when its machine dies without closing the connection (power, kernel panic,
// network cut): the server ends the session, and the lock with it, instead of keeping it for
// the system's default two hours of TCP keepalive.
const leaderKeepalive = "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 3; SET tcp_keepalives_count = 3; SET tcp_user_timeout = 20000"

// aliveTimeout is how long Alive waits for the lock's connection to answer.
const aliveTimeout = 5 * time.Second

// TryLeaderLock takes the lock called name if no other process holds it, and returns nil
// (and no error) if one does. On PostgreSQL it is a session advisory lock, which ends with
// Release or with the connection; on SQLite it is always granted.
func (db *DB) TryLeaderLock(ctx context.Context, name string) (*LeaderLock, error) {
	if db.Dialect == SQLite {
		return &LeaderLock{}, nil // no connection held: SQLite's pool is small
	}
	qs, err := loadQueries(db.Dialect)
	if err != nil {
		return nil, wrap(err, "leader lock")
	}
	// A session lock belongs to a connection, so its statements run on one held apart from
	// the pool rather than through the prepared statements.
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return nil, wrap(err, "leader lock")
	}
	if _, err := conn.ExecContext(ctx, leaderKeepalive); err != nil {
		conn.Close()
		return nil, wrap(err, "leader lock: keepalive")
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, db.Rebind(qs["try-leader-lock"]), name).Scan(&ok); err != nil || !ok {
		conn.Close()
		return nil, wrap(err, "leader lock")
	}
	return &LeaderLock{conn: conn, name: name, unlock: db.Rebind(qs["leader-unlock"])}, nil
}

// Alive reports an error if the lock's connection is gone, or does not answer within
// aliveTimeout (the database unreachable): the lock is then as good as lost, since the
// database ends a silent session (leaderKeepalive), and the holder must step down.
func (l *LeaderLock) Alive(ctx context.Context) error {
	if l.conn == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, aliveTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- l.conn.PingContext(ctx) }() // a ping on a cut connection may not return
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = errors.New("the database did not answer")
	}
	if err != nil {
		l.lost.Store(true)
	}
	return wrap(err, "leader lock")
}

// Release gives the lock up. A lock Alive found lost is only let go of, without waiting on its
// silent connection.
func (l *LeaderLock) Release() {
	if l.conn == nil {
		return
	}
	release := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		l.conn.ExecContext(ctx, l.unlock, l.name)
		l.conn.Close()
	}
	if l.lost.Load() {
		go release()
		return
	}
	release()
}
