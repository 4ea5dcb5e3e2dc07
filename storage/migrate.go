package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrationFS embed.FS

// ErrSchemaTooNew means the database was migrated by a newer Sukma than this one.
var ErrSchemaTooNew = errors.New("database schema is newer than this sukma")

// NoSchemaError means that no schema named in PostgreSQL's search_path exists, so that Sukma
// has nowhere to make its tables: a search_path=NAME in the URL whose schema was never made.
type NoSchemaError struct {
	// SearchPath is the connection's search_path, as PostgreSQL has it.
	SearchPath string
}

// Schema is the schema to create: the first of search_path other than "$user", as written
// there (quoted if it needs to be).
func (e *NoSchemaError) Schema() string {
	for s := range strings.SplitSeq(e.SearchPath, ",") {
		if s = strings.TrimSpace(s); s != "" && s != "$user" && s != `"$user"` {
			return s
		}
	}
	return ""
}

func (e *NoSchemaError) Error() string {
	return fmt.Sprintf("storage: no schema of search_path (%s) exists: create it (CREATE SCHEMA %s;) or correct search_path in the URL", e.SearchPath, e.Schema())
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the dialect's migrations in order. Files are named NNNN_what.sql.
func migrations(d Dialect) ([]migration, error) {
	dir := path.Join("migrations", string(d))
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return nil, fmt.Errorf("migration %s: name must be NNNN_what.sql", e.Name())
		}
		src, err := fs.ReadFile(migrationFS, path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{v, e.Name(), string(src)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion returns the newest migration this binary knows for the dialect.
func SchemaVersion(d Dialect) int {
	ms, _ := migrations(d)
	return len(ms)
}

// migrate applies pending migrations, each in its own transaction. On PostgreSQL an advisory
// lock makes replicas starting together take turns; on SQLite each migration's transaction
// takes the write lock and checks again that it is still pending.
func (db *DB) migrate(ctx context.Context) error {
	ms, err := migrations(db.Dialect)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	conn, err := db.Connx(ctx)
	if err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	defer conn.Close()
	if db.Dialect == Postgres {
		const lockKey = 0x53554b4d41 // "SUKMA"
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockKey); err != nil {
			return fmt.Errorf("storage: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockKey)
	}
	if db.Dialect == Postgres {
		// Else the first CREATE TABLE says only "no schema has been selected to create in".
		var current sql.NullString
		var searchPath string
		if err := conn.QueryRowxContext(ctx, `SELECT current_schema(), current_setting('search_path')`).Scan(&current, &searchPath); err != nil {
			return fmt.Errorf("storage: migrate: read search_path: %w", err)
		}
		if !current.Valid {
			return &NoSchemaError{SearchPath: searchPath}
		}
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("storage: migrate: %w", err)
	}
	var current int
	if err := conn.GetContext(ctx, &current, `SELECT COALESCE(MAX(version), 0) FROM schema_version`); err != nil {
		return fmt.Errorf("storage: migrate: read version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("%w: the database is at schema version %d, this sukma knows up to %d; run a newer sukma", ErrSchemaTooNew, current, len(ms))
	}
	for _, m := range ms[current:] {
		tx, err := conn.BeginTxx(ctx, nil)
		if err != nil {
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		// Read again inside the transaction, which on SQLite holds the one write lock: another
		// process (a sukma command started beside serve) may have applied it meanwhile.
		var now int
		if err := tx.GetContext(ctx, &now, `SELECT COALESCE(MAX(version), 0) FROM schema_version`); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		if now >= m.version {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, db.Rebind(`INSERT INTO schema_version (version) VALUES (?)`), m.version); err != nil {
			tx.Rollback()
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("storage: migrate %s: %w", m.name, err)
		}
		slog.Info("database migrated", slog.String("migration", m.name))
	}
	return nil
}
