package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// unwritable reports whether err may say the database takes no writes at all: a full disk
// (IsDiskFull), a read-only file or server (IsReadOnly), a failing disk, a role without the
// right. Such a failure makes Healthy try a write of its own, which tells.
func unwritable(err error) bool {
	if IsDiskFull(err) || IsReadOnly(err) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		// 53: insufficient resources (out of memory, too many connections); 42501: a role
		// without the right to write; 58: system errors (I/O).
		c := string(pqErr.Code)
		return c == "42501" || strings.HasPrefix(c, "53") || strings.HasPrefix(c, "58")
	}
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code()&0xff == sqlite3.SQLITE_IOERR
}

// noteWrite keeps a failed write for Healthy if it says the database cannot be written, or,
// given nil, forgets such a failure: only a write of Healthy's own does, since a transaction
// that succeeds may have read only.
func (db *DB) noteWrite(err error) {
	switch {
	case err == nil:
		db.unwritable.Store(nil)
	case unwritable(err):
		db.unwritable.Store(&err)
	}
}

// Healthy reports an error if the database does not answer, or if its last write failed
// because it cannot be written (a full disk, a read-only file): then it tries a write of its
// own, so that health comes back as soon as writes work again, with or without traffic.
func (db *DB) Healthy(ctx context.Context) error {
	if err := db.PingContext(ctx); err != nil {
		return err
	}
	if db.unwritable.Load() == nil {
		return nil
	}
	return db.probeWrite(ctx)
}

// probeWrite writes a setting, to learn whether the database takes writes.
func (db *DB) probeWrite(ctx context.Context) error {
	err := db.PutSetting(ctx, "write_probe_at", strconv.FormatInt(db.Now().UnixMilli(), 10))
	db.noteWrite(err)
	if err != nil {
		return fmt.Errorf("the database takes no writes: %w", err)
	}
	return nil
}

// unwritableState is DB.unwritable: the last write failure of the kind unwritable knows,
// or nil once a write succeeded after it.
type unwritableState = atomic.Pointer[error]
