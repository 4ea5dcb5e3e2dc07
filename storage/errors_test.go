package storage_test

import (
	"context"
	"database/sql/driver"
	"errors"
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

// IsUnavailable tells a database out of reach, or taking no writes, from work that is wrong:
// the JSON API answers the first with 503 (send again) and the second with 500.
func TestADatabaseOutOfReachIsRecognised(t *testing.T) {
	ctx := context.Background()
	unavailable := func(t *testing.T, what string, err error, want bool) {
		t.Helper()
		if err == nil || storage.IsUnavailable(err) != want {
			t.Errorf("%s: err = %v, IsUnavailable %v, want %v", what, err, storage.IsUnavailable(err), want)
		}
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		_, err := db.FindUnitByCode(ctx, "TIDAK-ADA")
		if !errors.Is(err, storage.ErrNotFound) || storage.IsUnavailable(err) {
			t.Errorf("a unit not found: %v, IsUnavailable %v", err, storage.IsUnavailable(err))
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUA", Name: "Dua"}); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateUnit(ctx, storage.NewUnit{Code: "DUA", Name: "Dua"})
		unavailable(t, "a unit made twice", err, false)
		_, err = db.ExecContext(ctx, "SELECT no_such_column FROM units")
		unavailable(t, "a statement that is wrong", err, false)
		db.Close()
		_, err = db.FindUnits(ctx)
		unavailable(t, "a closed database", err, true)
	})
	t.Run("a PostgreSQL server that went down", func(t *testing.T) {
		proxy, u := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t))
		db := storagetest.Open(t, u)
		proxy.Stop()
		_, err := db.FindUnits(ctx)
		unavailable(t, "connections cut, new ones refused", err, true)
	})
	t.Run("a PostgreSQL server that accepts and never answers", func(t *testing.T) {
		proxy, u := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t)+"&connect_timeout=1")
		db := storagetest.Open(t, u)
		db.SetMaxIdleConns(0) // each statement on a new connection, whose handshake times out
		proxy.Freeze(true)
		_, err := db.FindUnits(ctx)
		unavailable(t, "a new connection timed out", err, true)
	})
	t.Run("a full SQLite disk", func(t *testing.T) {
		db := storagetest.SQLite(t)
		db.SetMaxOpenConns(1) // the page limit is the connection's
		var pages int
		if err := db.GetContext(ctx, &pages, "PRAGMA page_count"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.Itoa(pages)); err != nil {
			t.Fatal(err)
		}
		err := db.PutSetting(ctx, "besar", strings.Repeat("x", 1<<20))
		unavailable(t, "a write to a full disk", err, true)
	})
}
