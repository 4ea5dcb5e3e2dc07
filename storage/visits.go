package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Visit is one service given to a citizen, and the single-use token that rates it.
type Visit struct {
	Token       string `db:"token"`
	UnitID      int64  `db:"unit_id"`
	UnitCode    string `db:"unit_code"`
	UnitName    string `db:"unit_name"`
	ServiceID   *int64 `db:"service_id"`
	ServiceCode string `db:"service_code"`
	ServiceName string `db:"service_name"`
	FlowID      string `db:"flow_id"`
	CreatedAt   int64  `db:"created_at"`
	ExpiresAt   int64  `db:"expires_at"`
	UsedAt      *int64 `db:"used_at"`
	// RequestSum is NewVisit.RequestSum, read by FindVisitByRequestKey only.
	RequestSum string `db:"request_sum"`
}

// NewVisit is what CreateVisit stores.
type NewVisit struct {
	Token     string
	UnitID    int64
	ServiceID *int64
	FlowID    string
	ExpiresAt int64
	// RequestKey is the client's key for the request that makes the visit (its
	// Idempotency-Key), and RequestSum a digest of that request; "" for none. Another visit
	// with the same key is ErrConflict.
	RequestKey, RequestSum string
}

// args are the arguments of insert-visit.
func (v NewVisit) args(now int64) []any {
	return []any{v.Token, v.UnitID, v.ServiceID, v.FlowID, now, v.ExpiresAt, nullText(v.RequestKey), nullText(v.RequestSum)}
}

// nullText is s as a statement's argument: NULL when empty.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateVisit stores a visit token. It returns ErrConflict if the token exists.
func (db *DB) CreateVisit(ctx context.Context, v NewVisit) error {
	_, err := db.Q("insert-visit").ExecContext(ctx, v.args(db.Now().UnixMilli())...)
	return visitCreated(err)
}

// CreateVisit is DB.CreateVisit inside the transaction: a visit and its invitation together.
func (tx *Tx) CreateVisit(v NewVisit) error {
	_, err := tx.Q("insert-visit").ExecContext(tx.ctx, v.args(tx.db.Now().UnixMilli())...)
	return visitCreated(err)
}

func visitCreated(err error) error {
	if isUniqueViolation(err) {
		return fmt.Errorf("visit: %w", ErrConflict)
	}
	return wrap(err, "create visit")
}

// FindVisitByRequestKey returns the visit made by the request with a client's key, with its
// RequestSum, or ErrNotFound.
func (db *DB) FindVisitByRequestKey(ctx context.Context, key string) (Visit, error) {
	var v Visit
	err := db.Q("find-visit-by-request-key").GetContext(ctx, &v, key)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("visit: %w", ErrNotFound)
	}
	return v, wrap(err, "find visit")
}

// FindVisit returns the visit of a token, or ErrNotFound.
func (db *DB) FindVisit(ctx context.Context, token string) (Visit, error) {
	return findVisit(ctx, db.Q("find-visit"), token)
}

// LockVisit returns the visit of a token, or ErrNotFound, for a step that may open a survey
// on it: no other transaction can start or complete a survey of the visit until this one
// ends.
func (tx *Tx) LockVisit(token string) (Visit, error) {
	return findVisit(tx.ctx, tx.Q("lock-visit"), token)
}

type getter interface {
	GetContext(ctx context.Context, dest any, args ...any) error
}

func findVisit(ctx context.Context, q getter, token string) (Visit, error) {
	var v Visit
	err := q.GetContext(ctx, &v, token)
	if errors.Is(err, sql.ErrNoRows) {
		return v, fmt.Errorf("visit: %w", ErrNotFound)
	}
	return v, wrap(err, "visit")
}

// MarkVisitUsed records that the visit has its response.
func (tx *Tx) MarkVisitUsed(token string, at int64) error {
	_, err := tx.Q("mark-visit-used").ExecContext(tx.ctx, at, token)
	return wrap(err, "mark visit used")
}

// ResponseStatusOfVisit returns the status of the visit's response (ResponseComplete, or
// ResponsePartial when the survey ran out of time unfinished), or ErrNotFound if the visit
// has none (not used, or used by a preview of a draft flow).
func (tx *Tx) ResponseStatusOfVisit(token string) (string, error) {
	var status string
	err := tx.Q("find-response-status-of-visit").GetContext(tx.ctx, &status, token)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("response of visit: %w", ErrNotFound)
	}
	return status, wrap(err, "response of visit")
}
