package storage

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io/fs"
	"net"
	"strings"

	"github.com/lib/pq"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var (
	// ErrNotFound means no row matched.
	ErrNotFound = errors.New("not found")
	// ErrConflict means a row with the same unique key exists.
	ErrConflict = errors.New("already exists")
)

// isUniqueViolation recognises a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "23505"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsTransient reports whether err is a deadlock or a serialization failure (PostgreSQL):
// the transaction was undone, and run again it may well succeed.
func IsTransient(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "40P01" || pqErr.Code == "40001")
}

// IsDiskFull reports whether err means the database could not write for want of space:
// SQLite's disk (or its max_page_count) is full, or PostgreSQL's (53100).
func IsDiskFull(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "53100"
	}
	var liteErr *sqlite.Error
	return errors.As(err, &liteErr) && liteErr.Code()&0xff == sqlite3.SQLITE_FULL
}

// IsCorrupt reports whether err means SQLite's file is damaged or no SQLite database: most
// often a backup restored beside the -wal file of the database it replaced.
func IsCorrupt(err error) bool {
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code() & 0xff
		return c == sqlite3.SQLITE_CORRUPT || c == sqlite3.SQLITE_NOTADB
	}
	return false
}

// IsReadOnly reports whether err means the database may not be written: SQLite's file or
// its folder is read-only for this user (SQLite then opens the file read-only, or cannot
// open it at all), or PostgreSQL is a read-only server, a standby (25006).
func IsReadOnly(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		return pqErr.Code == "25006"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code() & 0xff
		return c == sqlite3.SQLITE_READONLY || c == sqlite3.SQLITE_CANTOPEN
	}
	return errors.Is(err, fs.ErrPermission) // the folder could not be made
}

// IsUnavailable reports whether err means the database could not be reached or could not do
// the work, and not that the work or the request was wrong: no connection (refused, timed
// out, lost, a name that does not resolve), a server shutting down or starting, the
// database closed (Sukma stopping), a statement that ran out of time, a deadlock, too many
// connections, or a database that takes no writes (see Healthy). The same work may succeed
// once the database is back.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if unwritable(err) || IsTransient(err) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		// 08: connection exceptions; 57P01–57P03: the server shutting down or starting;
		// 57014: a statement canceled (the driver does so when its context ends).
		c := string(pqErr.Code)
		return strings.HasPrefix(c, "08") || strings.HasPrefix(c, "57P") || c == "57014"
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		c := liteErr.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	// database/sql's errors for a closed database, and for its prepared statements (DB.Close
	// closes them first), are not exported.
	msg := err.Error()
	return strings.Contains(msg, "sql: database is closed") || strings.Contains(msg, "sql: statement is closed")
}
