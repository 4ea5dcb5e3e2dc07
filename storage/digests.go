package storage

import (
	"context"
	"fmt"
	"strconv"
)

// ClaimDigest records that the digest of a subscriber for the days from..to (YYYYMMDD) is
// being sent. It returns false if another transaction (another replica) claimed it first: only
// the claimer sends. Enqueue the digest in the same transaction.
func (tx *Tx) ClaimDigest(subscriberID int64, from, to int, at int64) (bool, error) {
	res, err := tx.Q("claim-digest").ExecContext(tx.ctx, subscriberID, from, to, at, at)
	if err != nil {
		return false, wrap(err, "claim digest")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim digest")
}

// DigestClaimed reports whether the digest of a subscriber for the period of days from..to
// was claimed: a cheap check before building it.
func (db *DB) DigestClaimed(ctx context.Context, subscriberID int64, from, to int) (bool, error) {
	var n int
	err := db.Q("digest-claimed").GetContext(ctx, &n, subscriberID, from, to)
	return n > 0, wrap(err, "digest claimed")
}

// Suggestion is the free text of one complete response, without who wrote it.
type Suggestion struct {
	Unit      string
	Day       int    // local day YYYYMMDD
	Saran     string // suggestion
	Perbaikan string // what to improve (the complaint)
}

// Suggestions returns up to limit (at most 10) of the newest suggestions that f selects.
func (db *DB) Suggestions(ctx context.Context, f Filter, limit int) ([]Suggestion, error) {
	rows, err := db.aggregate(ctx, "recent-suggestions", Filter{UnitIDs: f.UnitIDs, ServiceID: f.ServiceID, FromDay: f.FromDay, ToDay: f.ToDay})
	if err != nil {
		return nil, wrap(err, "suggestions")
	}
	defer rows.Close()
	var out []Suggestion
	for rows.Next() && len(out) < limit {
		var s Suggestion
		if err := rows.Scan(&s.Unit, &s.Day, &s.Saran, &s.Perbaikan); err != nil {
			return nil, wrap(err, "suggestions")
		}
		out = append(out, s)
	}
	return out, wrap(rows.Err(), "suggestions")
}

// ResponseScores is a finished response, complete or partial, as the alerts see it: where,
// the scores and the free texts. It carries nothing that identifies the citizen.
type ResponseScores struct {
	ID         int64
	UnitID     int64
	AgencyID   int64 // 0 when the unit has no agency
	Complete   bool
	UnitCode   string
	UnitName   string
	Service    string
	FinishedAt int64
	Scores     [9]int // 0 when not answered
	Perbaikan  string // what to improve, asked after a low score
	Saran      string // the open suggestion
}

// MaxResponseID returns the largest response id, 0 when there is none.
func (db *DB) MaxResponseID(ctx context.Context) (int64, error) {
	var id int64
	err := db.Q("max-response-id").GetContext(ctx, &id)
	return id, wrap(err, "max response id")
}

// ResponsesAfter returns up to 500 responses (complete or partial) with an id above after,
// in id order.
func (tx *Tx) ResponsesAfter(after int64) ([]ResponseScores, error) {
	rows, err := tx.Q("responses-after").QueryxContext(tx.ctx, after)
	if err != nil {
		return nil, wrap(err, "responses after %d", after)
	}
	defer rows.Close()
	var out []ResponseScores
	for rows.Next() {
		var r ResponseScores
		var status string
		dest := []any{&r.ID, &r.UnitID, &r.AgencyID, &status}
		for i := range r.Scores {
			dest = append(dest, &r.Scores[i])
		}
		if err := rows.Scan(append(dest, &r.Perbaikan, &r.Saran, &r.FinishedAt)...); err != nil {
			return nil, wrap(err, "responses after %d", after)
		}
		r.Complete = status == "complete"
		out = append(out, r)
	}
	return out, wrap(rows.Err(), "responses after %d", after)
}

// AdvanceCursor moves the integer setting key from old to new if it still holds old, and
// reports whether it did: of two replicas, one advances and the other gets false.
func (tx *Tx) AdvanceCursor(key string, old, new int64) (bool, error) {
	res, err := tx.Q("advance-setting").ExecContext(tx.ctx, strconv.FormatInt(new, 10), key, strconv.FormatInt(old, 10))
	if err != nil {
		return false, wrap(err, "advance %s", key)
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "advance %s", key)
}

// Cursor returns the integer setting key, creating it with initial's value if absent.
func (db *DB) Cursor(ctx context.Context, key string, initial func() (int64, error)) (int64, error) {
	var ierr error
	v, _, err := db.EnsureSetting(ctx, key, func() string {
		n, err := initial()
		ierr = err
		return strconv.FormatInt(n, 10)
	})
	if err == nil {
		err = ierr
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("storage: setting %s is %q, not a number: %w", key, v, err)
	}
	return n, nil
}

// QueueAlert keeps a response for the subscriber's next alert.
func (tx *Tx) QueueAlert(subscriberID, responseID int64) error {
	_, err := tx.Q("insert-pending-alert").ExecContext(tx.ctx, subscriberID, responseID)
	return wrap(err, "queue alert")
}

// SubscribersWithPendingAlerts returns the ids of subscribers with queued alert responses.
func (db *DB) SubscribersWithPendingAlerts(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := db.Q("subscribers-with-pending-alerts").SelectContext(ctx, &ids)
	return ids, wrap(err, "pending alerts")
}

// ClaimAlertSlot sets the subscriber's last alert time to at if the previous alert was at or
// before notAfter (or never), and reports whether it did: the claimer sends the alert.
func (tx *Tx) ClaimAlertSlot(subscriberID, at, notAfter int64) (bool, error) {
	res, err := tx.Q("claim-alert-slot").ExecContext(tx.ctx, at, subscriberID, notAfter)
	if err != nil {
		return false, wrap(err, "claim alert")
	}
	n, err := res.RowsAffected()
	return n == 1, wrap(err, "claim alert")
}

// TakePendingAlerts returns the responses queued for a subscriber's alert, in id order, and
// removes them from the queue.
func (tx *Tx) TakePendingAlerts(subscriberID int64) ([]ResponseScores, error) {
	rows, err := tx.Q("pending-alert-responses").QueryxContext(tx.ctx, subscriberID)
	if err != nil {
		return nil, wrap(err, "pending alerts")
	}
	var out []ResponseScores
	for rows.Next() {
		var r ResponseScores
		var status string
		dest := []any{&r.ID, &status, &r.UnitCode, &r.UnitName, &r.Service, &r.FinishedAt}
		for i := range r.Scores {
			dest = append(dest, &r.Scores[i])
		}
		if err := rows.Scan(append(dest, &r.Perbaikan, &r.Saran)...); err != nil {
			rows.Close()
			return nil, wrap(err, "pending alerts")
		}
		r.Complete = status == ResponseComplete
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, wrap(err, "pending alerts")
	}
	_, err = tx.Q("delete-pending-alerts").ExecContext(tx.ctx, subscriberID, out[len(out)-1].ID)
	return out, wrap(err, "take pending alerts")
}

// SubscriptionLanguages returns the language of each subscription of an address on a channel,
// oldest first: a chat that stops them is answered in theirs.
func (tx *Tx) SubscriptionLanguages(channel, address string) ([]string, error) {
	var ls []string
	err := tx.Q("subscription-languages").SelectContext(tx.ctx, &ls, channel, address)
	return ls, wrap(err, "subscription languages")
}
