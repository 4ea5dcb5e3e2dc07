package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
)

// SignInLimit is a token bucket per key (a client address, a username): Burst failed
// sign-ins at once, then one more every Every. The buckets are kept in the database, so every
// replica counts the same failures, under the SHA-256 of their keys: no address or username is
// stored, and a key of any length fits.
type SignInLimit struct {
	Burst int
	Every time.Duration
}

// SignInWait returns how long the keys must wait before another attempt: 0 if every one of
// them has a token left. It first forgets the buckets that are full again.
func (db *DB) SignInWait(ctx context.Context, l SignInLimit, keys ...string) (time.Duration, error) {
	if err := db.forgetFullSignIns(ctx, l); err != nil {
		return 0, err
	}
	now := db.Now().UnixMilli()
	var wait time.Duration
	for _, k := range keys {
		var b struct {
			Tokens float64 `db:"tokens"`
			At     int64   `db:"at"`
		}
		err := db.Q("find-signin-failures").GetContext(ctx, &b, signInKey(k))
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, wrap(err, "sign-in failures")
		}
		tokens := min(float64(l.Burst), b.Tokens+float64(now-b.At)/float64(l.Every.Milliseconds()))
		if tokens < 1 {
			wait = max(wait, time.Duration((1-tokens)*float64(l.Every)))
		}
	}
	return wait, nil
}

// SignInFailed takes a token from each key's bucket.
func (db *DB) SignInFailed(ctx context.Context, l SignInLimit, keys ...string) error {
	now := db.Now().UnixMilli()
	for _, k := range keys {
		if _, err := db.Q("record-signin-failure").ExecContext(ctx, signInKey(k), l.Burst, now, l.Every.Milliseconds()); err != nil {
			return wrap(err, "record a sign-in failure")
		}
	}
	return nil
}

// forgetFullSignIns deletes the buckets that have filled up again since their last failure.
func (db *DB) forgetFullSignIns(ctx context.Context, l SignInLimit) error {
	full := db.Now().Add(-time.Duration(l.Burst) * l.Every).UnixMilli()
	_, err := db.Q("purge-signin-failures").ExecContext(ctx, full)
	return wrap(err, "forget sign-in failures")
}

func signInKey(k string) string {
	sum := sha256.Sum256([]byte(k))
	return hex.EncodeToString(sum[:])
}
