package storage_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestABackupIsAConsistentCopyWhileAWriterGoesOn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		path := filepath.Join(t.TempDir(), "cadangan.db")
		if db.Dialect != storage.SQLite {
			if err := db.Backup(ctx, path); !errors.Is(err, storage.ErrBackupUnsupported) {
				t.Errorf("err = %v, want ErrBackupUnsupported", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a file was left at %s (%v)", path, err)
			}
			return
		}
		// So few pages are not checkpointed: this unit is in the -wal file only.
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SEBELUM", Name: "Sebelum", Agency: "A", Population: 10}); err != nil {
			t.Fatal(err)
		}
		stop, written, failed := make(chan struct{}), make(chan int, 1), make(chan error, 1)
		started := make(chan struct{})
		go func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					written <- n
					return
				default:
				}
				if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: fmt.Sprintf("W%d", n), Name: "Selama", Agency: "A", Population: 10}); err != nil {
					failed <- err
					written <- n
					return
				}
				if n == 0 {
					close(started)
				}
			}
		}()
		<-started
		err := db.Backup(ctx, path)
		close(stop)
		n := <-written
		select {
		case err := <-failed:
			t.Fatalf("the writer failed during the backup: %v", err)
		default:
		}
		if err != nil {
			t.Fatal(err)
		}

		backup := storagetest.Open(t, "sqlite:"+path)
		var check string
		if err := backup.GetContext(ctx, &check, "PRAGMA integrity_check"); err != nil || check != "ok" {
			t.Errorf("integrity_check of the backup: %q, %v", check, err)
		}
		if _, err := backup.FindUnitByCode(ctx, "SEBELUM"); err != nil {
			t.Errorf("the unit written before the backup is not in it: %v", err)
		}
		units, err := backup.FindUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// DEMO-free: the units are SEBELUM and a prefix of the writer's W0, W1, …
		if got := len(units); got < 2 || got > n+1 {
			t.Errorf("%d units in the backup, want SEBELUM and 1 to %d of the writer's", got, n)
		}
		for i := range len(units) - 1 {
			if _, err := backup.FindUnitByCode(ctx, fmt.Sprintf("W%d", i)); err != nil {
				t.Errorf("the backup has %d units but not W%d: not one moment's copy", len(units), i)
			}
		}
		if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("backup file mode %v (%v), want 0600: it holds the admin token", info.Mode().Perm(), err)
		}

		before, _ := os.ReadFile(path)
		if err := db.Backup(ctx, path); !errors.Is(err, fs.ErrExist) {
			t.Errorf("a second backup to the same file: err = %v, want fs.ErrExist", err)
		}
		if after, _ := os.ReadFile(path); string(after) != string(before) {
			t.Errorf("the existing file was changed")
		}
	})
}
