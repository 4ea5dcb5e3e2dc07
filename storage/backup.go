package storage

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrBackupUnsupported means the database is not SQLite: PostgreSQL is backed up with its
// own tools (pg_dump), which see what every replica wrote.
var ErrBackupUnsupported = errors.New("backup: only SQLite databases are backed up by Sukma")

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
