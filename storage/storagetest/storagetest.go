// Package storagetest opens real databases for tests: SQLite always, PostgreSQL when
// SUKMA_TEST_POSTGRES_URL is set (each test in a schema of its own, dropped afterwards).
// With SUKMA_REQUIRE_POSTGRES=1 a missing PostgreSQL fails the test instead of skipping it.
package storagetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/lib/pq"

	"sukma/storage"
)

// Each runs fn as a subtest on every database available: "sqlite" and "postgres".
func Each(t *testing.T, fn func(t *testing.T, db *storage.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

// SQLite opens a fresh migrated SQLite database in a temporary folder.
func SQLite(t testing.TB) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), SQLiteURL(t))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// SQLiteURL returns the URL of a new SQLite database file in a temporary folder.
func SQLiteURL(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "sukma.db")
}

// Postgres opens a fresh migrated database in a new PostgreSQL schema, or skips.
func Postgres(t testing.TB) *storage.DB {
	t.Helper()
	return Open(t, PostgresURL(t))
}

// Open opens the database at url as one more process (a replica) would, closed when the test
// ends.
func Open(t testing.TB, url string) *storage.DB {
	t.Helper()
	db, err := storage.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresURL creates an empty schema for this test and returns a URL whose connections use
// it; the schema is dropped when the test ends. Without SUKMA_TEST_POSTGRES_URL the test is
// skipped (or failed, with SUKMA_REQUIRE_POSTGRES=1).
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("SUKMA_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("SUKMA_REQUIRE_POSTGRES") == "1" {
			t.Fatal("SUKMA_REQUIRE_POSTGRES=1 but SUKMA_TEST_POSTGRES_URL is not set")
		}
		t.Skip("PostgreSQL tests skipped: set SUKMA_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run them")
	}
	admin, err := sql.Open("postgres", base)
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		t.Fatalf("SUKMA_TEST_POSTGRES_URL: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "sukma_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("SUKMA_TEST_POSTGRES_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
