package storage_test

import (
	"context"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A database that answers but takes no writes (here, read-only for the session: a standby,
// a read-only file, a full disk all fail alike) is unhealthy from its first failed write
// until writes work again, found by Healthy's own write even without traffic.
func TestADatabaseThatTakesNoWritesIsUnhealthyUntilItDoesAgain(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		db.SetMaxOpenConns(1) // the setting below is a connection's
		readOnly := [2]string{"PRAGMA query_only = 1", "PRAGMA query_only = 0"}
		if db.Dialect == storage.Postgres {
			// A role that may read and not write (a transaction's READ WRITE, which the
			// driver asks for, overrides default_transaction_read_only).
			if _, err := db.ExecContext(ctx, `DO $$ BEGIN
				CREATE ROLE sukma_test_reader;
			EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, `DO $$ BEGIN
				EXECUTE format('GRANT USAGE ON SCHEMA %I TO sukma_test_reader', current_schema());
				EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO sukma_test_reader', current_schema());
			END $$`); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				db.ExecContext(context.Background(), `DO $$ BEGIN
					EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM sukma_test_reader', current_schema());
					EXECUTE format('REVOKE ALL ON SCHEMA %I FROM sukma_test_reader', current_schema());
				END $$`)
			})
			readOnly = [2]string{"SET ROLE sukma_test_reader", "RESET ROLE"}
		}
		if err := db.Healthy(ctx); err != nil {
			t.Fatalf("a writable database: %v", err)
		}
		if _, err := db.ExecContext(ctx, readOnly[0]); err != nil {
			t.Fatal(err)
		}
		if err := db.Healthy(ctx); err != nil {
			t.Errorf("before any write failed: %v, want healthy (no write is tried on every check)", err)
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RO", Name: "Unit"}); err == nil {
			t.Fatal("a write to a read-only database succeeded")
		}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			_, err := tx.Respondent("p", 1)
			return err
		})
		if err == nil {
			t.Fatal("a write to a read-only database succeeded")
		}
		if err := db.Healthy(ctx); err == nil {
			t.Error("after a write failed for want of writes: healthy, want an error")
		}
		if _, err := db.ExecContext(ctx, readOnly[1]); err != nil {
			t.Fatal(err)
		}
		if err := db.Healthy(ctx); err != nil {
			t.Errorf("writable again: %v, want healthy", err)
		}
	})
}
