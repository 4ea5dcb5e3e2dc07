package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// EnsureStandingToken returns the unit's standing token (the key of its walk-in feedback
// link, printed on a poster at the counter), storing a new one from generate if the unit has
// none. Concurrent callers get the same token. generate is called at least once per call and
// again if its token is taken by another unit. It returns ErrNotFound if no unit has the id.
func (db *DB) EnsureStandingToken(ctx context.Context, unitID int64, generate func() string) (string, error) {
	for range 3 {
		var token string
		err := db.Q("ensure-standing-token").GetContext(ctx, &token, generate(), unitID)
		if errors.Is(err, sql.ErrNoRows) {
			return "", fmt.Errorf("unit %d: %w", unitID, ErrNotFound)
		}
		if isUniqueViolation(err) {
			continue // another unit holds this token: draw again
		}
		if err != nil {
			return "", fmt.Errorf("storage: standing token of unit %d: %w", unitID, err)
		}
		return token, nil
	}
	return "", fmt.Errorf("storage: standing token of unit %d: three generated tokens were all taken", unitID)
}

// FindUnitByStandingToken returns the unit whose standing token it is, or ErrNotFound.
func (db *DB) FindUnitByStandingToken(ctx context.Context, token string) (Unit, error) {
	if token == "" {
		return Unit{}, fmt.Errorf("standing token: %w", ErrNotFound)
	}
	var u Unit
	err := db.Q("find-unit-by-standing-token").GetContext(ctx, &u, token)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("standing token: %w", ErrNotFound)
	}
	if err != nil {
		return Unit{}, fmt.Errorf("storage: unit by standing token: %w", err)
	}
	return u, nil
}

// FindUnitByStandingToken returns, within the transaction, the unit whose standing token it
// is, or ErrNotFound.
func (tx *Tx) FindUnitByStandingToken(token string) (Unit, error) {
	var u Unit
	err := tx.Q("find-unit-by-standing-token").GetContext(tx.ctx, &u, token)
	if errors.Is(err, sql.ErrNoRows) || token == "" {
		return Unit{}, fmt.Errorf("standing token: %w", ErrNotFound)
	}
	return u, wrap(err, "unit by standing token")
}
