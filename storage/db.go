// Package storage keeps Sukma's data in SQLite (embedded, the default) or PostgreSQL, through
// sqlx. SQL lives in .sql files: ordered migrations per dialect, and named queries prepared at
// start so a typo fails at boot, not at the first citizen.
package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // postgres driver
	_ "modernc.org/sqlite" // sqlite driver, pure Go

	"sukma/redact"
)

// Dialect is the SQL flavour of a database.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open, migrated database with its named queries prepared.
type DB struct {
	*sqlx.DB
	Dialect Dialect
	queries map[string]*sqlx.Stmt
	texts   map[string]string // the queries' SQL, for unprepared use
	kept    map[string]bool   // the queries that name a table a WriteBatch keeps writes of
	// Now is the clock of every repository method; tests replace it.
	Now func() time.Time
	// writer queues SQLite's writers in the process: SQLite allows one at a time, and a Go
	// mutex is fairer and cheaper than every writer polling on busy_timeout.
	writer sync.Mutex
	// unwritable is set when a write failed because the database takes none (see Healthy).
	unwritable unwritableState
}

// Open connects to the database named by url (sqlite:PATH or postgres://…), applies pending
// migrations and prepares the named queries. A database whose schema is newer than this binary
// is refused with ErrSchemaTooNew.
func Open(ctx context.Context, rawURL string) (*DB, error) {
	dialect, driver, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	x, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact.URL(rawURL), err)
	}
	db := &DB{DB: x, Dialect: dialect, Now: time.Now}
	if dialect == SQLite {
		// One writer at a time is SQLite's rule; a small pool serves readers beside it
		// (WAL), and BEGIN IMMEDIATE makes writers queue on busy_timeout instead of failing.
		x.SetMaxOpenConns(4)
		if strings.HasPrefix(dsn, "file::memory:?") {
			x.SetMaxOpenConns(1) // each connection to :memory: is a database of its own
		}
	} else {
		x.SetMaxOpenConns(20)
		x.SetMaxIdleConns(20)
	}
	x.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := x.PingContext(pingCtx); err != nil {
		x.Close()
		return nil, fmt.Errorf("cannot connect to %s: %w", redact.URL(rawURL), err)
	}
	if err := db.migrate(ctx); err != nil {
		x.Close()
		return nil, err
	}
	if err := db.prepare(ctx); err != nil {
		x.Close()
		return nil, err
	}
	// A database that answers but takes no writes (a read-only file, a standby, a full
	// disk) fails here, not at the first citizen's answer.
	if err := db.probeWrite(ctx); err != nil {
		x.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the prepared queries and the database.
func (db *DB) Close() error {
	for _, s := range db.queries {
		s.Close()
	}
	return db.DB.Close()
}

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.DB.PingContext(ctx) }

// SQLitePath returns the file of a sqlite: database URL, or "" for PostgreSQL and for an
// in-memory database.
func SQLitePath(raw string) string {
	if !strings.HasPrefix(raw, "sqlite:") {
		return ""
	}
	path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
	if path == ":memory:" {
		return ""
	}
	return path
}

func parseURL(raw string) (Dialect, string, string, error) {
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		if path == "" {
			return "", "", "", errors.New("sqlite: needs a file path")
		}
		if path != ":memory:" {
			if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
				return "", "", "", fmt.Errorf("create the database folder: %w", err)
			}
		}
		q := url.Values{}
		for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(NORMAL)"} {
			q.Add("_pragma", p)
		}
		q.Set("_txlock", "immediate")
		return SQLite, "sqlite", "file:" + path + "?" + q.Encode(), nil
	case strings.HasPrefix(raw, "postgres://"), strings.HasPrefix(raw, "postgresql://"):
		return Postgres, "postgres", withConnectTimeout(raw), nil
	}
	return "", "", "", fmt.Errorf("database URL %q must start with sqlite: or postgres://", redact.URL(raw))
}

// InTx runs fn in one transaction: committed if fn returns nil, rolled back otherwise.
//
// Inside fn use only tx: on SQLite a query on db from within fn may wait for a connection
// that the queued writers hold.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.Dialect == SQLite {
		db.writer.Lock()
		defer db.writer.Unlock()
	}
	t, err := db.BeginTxx(ctx, nil)
	if err != nil {
		db.noteWrite(err)
		return fmt.Errorf("storage: begin: %w", err)
	}
	tx := &Tx{Tx: t, db: db, ctx: ctx}
	if err := fn(tx); err != nil {
		t.Rollback()
		db.noteWrite(err)
		return err
	}
	if err := t.Commit(); err != nil {
		db.noteWrite(err)
		return fmt.Errorf("storage: commit: %w", err)
	}
	return nil
}

// Tx is a transaction with access to the named queries.
type Tx struct {
	*sqlx.Tx
	db     *DB
	ctx    context.Context
	batch  *WriteBatch // set by Batch: the group commit's mode
	queued []ChatRef   // see Queued
}

// Queued returns the chats the transaction wrote a message to send for that no dispatcher
// has claimed (WriteBatch.ClaimFor): a dispatcher should look at the outbox once it commits.
func (tx *Tx) Queued() []ChatRef { return tx.queued }

// Q returns the named query bound to this transaction. In a batch, the step that asks for it
// runs its statements directly from then on (see WriteBatch), after the other steps' kept
// writes if the query names a table they write.
func (tx *Tx) Q(name string) *sqlx.Stmt {
	return tx.qSees(name, tx.db.kept[name])
}

// qSees is Q for a query that sees the other steps' kept writes only if sees is true: one
// that reads or writes rows of its own step's session only, or none of their tables.
func (tx *Tx) qSees(name string, sees bool) *sqlx.Stmt {
	tx.batch.goDirect(sees)
	return tx.StmtxContext(tx.ctx, tx.db.Q(name))
}

// Unprepared returns the named query's SQL, to be run as a statement of its own. PostgreSQL
// then plans it with its arguments every time, where a prepared statement may keep a generic
// plan made when the table was small: the dispatcher's statements over the outbox, a table
// that grows by thousands of rows a minute under load, took sequential scans that way.
func (db *DB) Unprepared(name string) string {
	q, ok := db.texts[name]
	if !ok {
		panic("storage: no query named " + name)
	}
	return q
}

// Q returns the named query; it panics on an unknown name, which tests catch at once.
func (db *DB) Q(name string) *sqlx.Stmt {
	s, ok := db.queries[name]
	if !ok {
		panic("storage: no query named " + name)
	}
	return s
}

// connectTimeout bounds a new PostgreSQL connection, handshake included, when the URL sets
// none: without it the driver waits on a server that accepts and never answers, whatever the
// context says, and a health check or a start-up hangs for minutes.
const connectTimeout = "5"

func withConnectTimeout(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Query().Has("connect_timeout") {
		return raw
	}
	q := u.Query()
	q.Set("connect_timeout", connectTimeout)
	u.RawQuery = q.Encode()
	return u.String()
}
