package storage_test

import (
	"context"
	"database/sql/driver"
	"strconv"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestAFullOrReadOnlyDatabaseIsRecognised(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		write := func(t *testing.T, setup string) error {
			t.Helper()
			conn, err := db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			// Discarded, not returned to the pool: its setting must not reach the next subtest.
			t.Cleanup(func() { conn.Raw(func(any) error { return driver.ErrBadConn }); conn.Close() })
			if _, err := conn.ExecContext(ctx, setup); err != nil {
				t.Fatal(err)
			}
			_, err = conn.ExecContext(ctx, db.Rebind("INSERT INTO settings (key, value) VALUES (?, ?)"), "besar", strings.Repeat("x", 1<<20))
			return err
		}
		t.Run("read-only", func(t *testing.T) {
			setup := "SET default_transaction_read_only = on"
			if db.Dialect == storage.SQLite {
				setup = "PRAGMA query_only = 1"
			}
			err := write(t, setup)
			if !storage.IsReadOnly(err) || storage.IsDiskFull(err) {
				t.Errorf("err = %v: read-only %v, full %v; want read-only only", err, storage.IsReadOnly(err), storage.IsDiskFull(err))
			}
		})
		if db.Dialect != storage.SQLite {
			return // a full disk is not made on a shared PostgreSQL server
		}
		t.Run("full", func(t *testing.T) {
			var pages int
			if err := db.GetContext(ctx, &pages, "PRAGMA page_count"); err != nil {
				t.Fatal(err)
			}
			err := write(t, "PRAGMA max_page_count = "+strconv.Itoa(pages))
			if !storage.IsDiskFull(err) || storage.IsReadOnly(err) {
				t.Errorf("err = %v: full %v, read-only %v; want full only", err, storage.IsDiskFull(err), storage.IsReadOnly(err))
			}
		})
		t.Run("a folder in place of the file", func(t *testing.T) {
			_, err := storage.Open(ctx, "sqlite:"+t.TempDir())
			if !storage.IsReadOnly(err) {
				t.Errorf("err = %v, want it read as not writable", err)
			}
		})
	})
}
