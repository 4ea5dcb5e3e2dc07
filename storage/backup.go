package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jmoiron/sqlx"

	"sukma/redact"
)

// ErrBackupUnsupported means the database is not SQLite: PostgreSQL is backed up with its
// own tools (pg_dump), which see what every replica wrote.
var ErrBackupUnsupported = errors.New("backup: only SQLite databases are backed up by Sukma")

// ErrNoDatabase means an SQLite database file named for a command that works on an existing
// database (a backup, a digest) does not exist: the command runs elsewhere than the server,
// or without its settings, and would otherwise work on a new, empty database.
var ErrNoDatabase = errors.New("the database file does not exist")

// SQLiteMissing returns ErrNoDatabase, naming the file, when rawURL names an SQLite file
// that does not exist; nil for one that does, for PostgreSQL and for :memory:.
func SQLiteMissing(rawURL string) error {
	path := SQLitePath(rawURL)
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		abs, _ := filepath.Abs(path)
		return fmt.Errorf("%s: %w", abs, ErrNoDatabase)
	}
	return nil
}

// OpenToBackup opens an existing SQLite database as it is, for Backup: it runs no migration,
// so that a backup taken with a newer Sukma before an upgrade is the database before it (the
// older Sukma can still open it), and it creates no file (ErrNoDatabase).
func OpenToBackup(ctx context.Context, rawURL string) (*DB, error) {
	if err := SQLiteMissing(rawURL); err != nil {
		return nil, err
	}
	dialect, driver, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
	}
	if dialect != SQLite {
		return nil, ErrBackupUnsupported
	}
	x, err := sqlx.Open(driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", redact.URL(rawURL), err)
	}
	if err := x.PingContext(ctx); err != nil {
		x.Close()
		return nil, fmt.Errorf("cannot connect to %s: %w", redact.URL(rawURL), err)
	}
	return &DB{DB: x, Dialect: dialect, Now: time.Now}, nil
}

// Backup writes a consistent copy of an SQLite database to a new file at path, while others
// go on writing: a copy of the database file alone would miss what is still in its -wal file.
// The file is made readable by its owner only, as it holds the admin token and the pseudonym
// secret. It returns an error wrapping fs.ErrExist if path exists (nothing is overwritten),
// and ErrBackupUnsupported on PostgreSQL.
func (db *DB) Backup(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return ErrBackupUnsupported
	}
	// SQLite takes a name without the "file:" prefix as a plain path only if it is one.
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	// O_EXCL refuses an existing file; VACUUM INTO fills an empty one.
	f, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("storage: backup: %w", err)
	}
	f.Close()
	// VACUUM INTO reads one snapshot of the database, WAL included, without holding back
	// writers (WAL mode). SQLite only: not a named query, which PostgreSQL would prepare too.
	if _, err := db.ExecContext(ctx, "VACUUM INTO ?", abs); err != nil {
		os.Remove(abs)
		return fmt.Errorf("storage: backup to %s: %w", abs, err)
	}
	return nil
}
