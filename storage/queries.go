package storage

import (
	"bufio"
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"
)

//go:embed queries
var queryFS embed.FS

// loadQueries reads the named queries of a dialect. Queries are written once with ?
// placeholders in queries/*.sql; a file in queries/<dialect>/ replaces a query of the same
// name where the dialects differ. A query starts at a line "-- name: the-name".
func loadQueries(d Dialect) (map[string]string, error) {
	qs := map[string]string{}
	for _, dir := range []string{"queries", path.Join("queries", string(d))} {
		entries, err := fs.ReadDir(queryFS, dir)
		if err != nil {
			if dir == "queries" {
				return nil, err
			}
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
				continue
			}
			file := path.Join(dir, e.Name())
			src, err := fs.ReadFile(queryFS, file)
			if err != nil {
				return nil, err
			}
			if err := parseQueries(file, string(src), qs, dir != "queries"); err != nil {
				return nil, err
			}
		}
	}
	return qs, nil
}

func parseQueries(file, src string, into map[string]string, override bool) error {
	local := map[string]bool{}
	var name string
	var body strings.Builder
	flush := func() {
		if name != "" {
			into[name] = strings.TrimSpace(body.String())
		}
		body.Reset()
	}
	sc := bufio.NewScanner(strings.NewReader(src))
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		if n, ok := strings.CutPrefix(strings.TrimSpace(text), "-- name:"); ok {
			flush()
			name = strings.TrimSpace(n)
			if _, dup := into[name]; local[name] || (dup && !override) {
				return fmt.Errorf("%s:%d: query %q is defined twice", file, line, name)
			}
			local[name] = true
			continue
		}
		if name == "" {
			if t := strings.TrimSpace(text); t != "" && !strings.HasPrefix(t, "--") {
				return fmt.Errorf("%s:%d: SQL before the first -- name: line", file, line)
			}
			continue
		}
		body.WriteString(text)
		body.WriteByte('\n')
	}
	flush()
	return sc.Err()
}

// keptTables finds the tables whose writes a WriteBatch keeps, in a query's SQL.
var keptTables = regexp.MustCompile(`(?i)\b(answers|sessions|outbox)\b`)

// prepare loads and prepares every named query, so a typo fails at start.
func (db *DB) prepare(ctx context.Context) error {
	qs, err := loadQueries(db.Dialect)
	if err != nil {
		return fmt.Errorf("storage: queries: %w", err)
	}
	db.queries = make(map[string]*sqlx.Stmt, len(qs))
	db.texts = make(map[string]string, len(qs))
	db.kept = make(map[string]bool, len(qs))
	for name, q := range qs {
		db.texts[name] = db.Rebind(q)
		db.kept[name] = keptTables.MatchString(q)
		s, err := db.PreparexContext(ctx, db.texts[name])
		if err != nil {
			return fmt.Errorf("storage: prepare query %s: %w", name, err)
		}
		db.queries[name] = s
	}
	return nil
}
