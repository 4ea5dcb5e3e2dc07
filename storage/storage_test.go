package storage_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestOpeningTwiceAppliesNothingTheSecondTime(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			ctx := context.Background()
			for i := range 2 {
				db, err := storage.Open(ctx, u)
				if err != nil {
					t.Fatalf("open #%d: %v", i+1, err)
				}
				var versions []int
				if err := db.SelectContext(ctx, &versions, "SELECT version FROM schema_version ORDER BY version"); err != nil {
					t.Fatal(err)
				}
				if len(versions) != storage.SchemaVersion(db.Dialect) {
					t.Errorf("open #%d: schema_version has %v, want 1..%d once each", i+1, versions, storage.SchemaVersion(db.Dialect))
				}
				db.Close()
			}
		})
	}
}

func TestADatabaseNewerThanTheBinaryIsRefused(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			ctx := context.Background()
			db, err := storage.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, "INSERT INTO schema_version (version) VALUES (9999)"); err != nil {
				t.Fatal(err)
			}
			db.Close()
			_, err = storage.Open(ctx, u)
			if !errors.Is(err, storage.ErrSchemaTooNew) || !strings.Contains(err.Error(), "schema version 9999") {
				t.Errorf("err = %v, want ErrSchemaTooNew naming version 9999", err)
			}
		})
	}
}

func TestAnUnreachableDatabaseIsReported(t *testing.T) {
	for _, u := range []string{
		"postgres://sukma:secret@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
		"postgres://sukma@127.0.0.1:1/none?sslmode=disable&connect_timeout=2&password=secret", // lib/pq takes it there too
	} {
		_, err := storage.Open(context.Background(), u)
		if err == nil || !strings.Contains(err.Error(), "cannot connect to") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("the password leaked into the error: %v", err)
		}
	}
}

// A search_path naming a schema that was never made is said as such, with how to make it,
// not as PostgreSQL's "no schema has been selected to create in".
func TestASearchPathWithoutItsSchemaIsExplained(t *testing.T) {
	u, err := url.Parse(storagetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	absent := q.Get("search_path") + "_tidak_ada"
	q.Set("search_path", absent)
	u.RawQuery = q.Encode()
	_, err = storage.Open(context.Background(), u.String())
	var noSchema *storage.NoSchemaError
	if !errors.As(err, &noSchema) || noSchema.Schema() != absent || !strings.Contains(err.Error(), "CREATE SCHEMA "+absent+";") {
		t.Errorf("err = %v, want a NoSchemaError naming %s", err, absent)
	}
	for searchPath, want := range map[string]string{`"$user", public`: "public", `"Skema Dinas", public`: `"Skema Dinas"`, `$user`: ""} {
		if got := (&storage.NoSchemaError{SearchPath: searchPath}).Schema(); got != want {
			t.Errorf("the schema to make of search_path %s = %q, want %q", searchPath, got, want)
		}
	}
}

func TestEnsureSettingKeepsTheFirstValue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.Setting(ctx, "secret"); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("Setting of a missing key: err = %v, want ErrNotFound", err)
		}
		v, created, err := db.EnsureSetting(ctx, "secret", func() string { return "one" })
		if err != nil || v != "one" || !created {
			t.Fatalf("first EnsureSetting = %q, %v, %v", v, created, err)
		}
		v, created, err = db.EnsureSetting(ctx, "secret", func() string { return "two" })
		if err != nil || v != "one" || created {
			t.Fatalf("second EnsureSetting = %q, %v, %v; want the first value kept", v, created, err)
		}
	})
}

func TestUnits(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT-SBY", Name: "Samsat Surabaya", Agency: "BAPENDA", Population: 1000})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 || u.AgencyCode != "BAPENDA" || u.AgencyName != "BAPENDA" || u.Population != 1000 {
			t.Errorf("created unit = %+v", u)
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT-SBY", Name: "again"}); !errors.Is(err, storage.ErrConflict) {
			t.Errorf("a second unit with the same code: err = %v, want ErrConflict", err)
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUKCAPIL", Name: "Dukcapil"}); err != nil {
			t.Fatal(err)
		}
		us, err := db.FindUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(us) != 2 || us[0].Code != "DUKCAPIL" || us[1].Code != "SAMSAT-SBY" {
			t.Errorf("FindUnits = %+v, want both, by code", us)
		}
		if _, err := db.FindUnitByCode(ctx, "NOPE"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("unknown unit: err = %v, want ErrNotFound", err)
		}
	})
}

func TestPurgeForgetsOldMessagesAndEvents(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for _, at := range []int64{100, 200, 300} {
				if err := tx.Enqueue("telegram", "42", `{"text":"x"}`, at, true); err != nil {
					return err
				}
				if _, err := tx.SeenEvent("telegram", fmt.Sprint(at), at); err != nil {
					return err
				}
			}
			// Web chat messages waiting for the chat's next request: one nobody came back for.
			if err := tx.Enqueue("web", "w", `{"text":"old"}`, 60, false); err != nil {
				return err
			}
			if err := tx.Enqueue("web", "w", `{"text":"new"}`, 260, false); err != nil {
				return err
			}
			return tx.Enqueue("telegram", "42", `{"text":"pending"}`, 50, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		n, err := db.Purge(ctx, 250)
		if err != nil || n != 5 {
			t.Fatalf("Purge = %d, %v; want 3 messages and 2 events", n, err)
		}
		bodies, _ := db.Transcript(ctx, "telegram", "42")
		if len(bodies) != 2 || bodies[0] != `{"text":"x"}` || bodies[1] != `{"text":"pending"}` {
			t.Errorf("left %v, want the newer sent message and the unsent one", bodies)
		}
		if bodies, _ := db.Transcript(ctx, "web", "w"); len(bodies) != 1 || bodies[0] != `{"text":"new"}` {
			t.Errorf("left %v of the web chat, want the newer message only", bodies)
		}
	})
}

func TestThePreviewUnitIsNotListed(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PreviewUnit(ctx); err != nil {
			t.Fatal(err)
		}
		us, err := db.FindUnits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range us {
			if u.Code == storage.PreviewUnitCode {
				t.Errorf("FindUnits lists the preview unit")
			}
		}
		if _, err := db.FindUnitByCode(ctx, storage.PreviewUnitCode); err != nil {
			t.Errorf("the preview unit cannot be found by its code: %v", err)
		}
	})
}

// sqlite::memory: is one database: every connection of the pool would be another, empty one.
func TestAnInMemoryDatabaseIsOneDatabase(t *testing.T) {
	db, err := storage.Open(context.Background(), "sqlite::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := db.FindUnits(context.Background())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// Several processes opening one new SQLite file at once (serve, and a sukma command started
// beside it) all get through the migrations: each applies only what is still pending when it
// holds the write lock.
func TestProcessesMigratingOneSQLiteFileTogetherAllOpenIt(t *testing.T) {
	url := "sqlite:" + t.TempDir() + "/sukma.db"
	const processes = 4
	errs := make([]error, processes)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			db, err := storage.Open(context.Background(), url)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
}
