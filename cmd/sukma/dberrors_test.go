package main

import (
	"bytes"
	"context"
	"database/sql/driver"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// writeWith writes on one connection of db after setup, and returns the database's error.
func writeWith(t *testing.T, db *storage.DB, setup string) error {
	t.Helper()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn }) // not back to the pool
	if _, err := conn.ExecContext(ctx, setup); err != nil {
		t.Fatal(err)
	}
	_, err = conn.ExecContext(ctx, db.Rebind("INSERT INTO settings (key, value) VALUES (?, ?)"), "besar", strings.Repeat("x", 1<<20))
	if err == nil {
		t.Fatal("the write went through")
	}
	return err
}

func TestAFullOrReadOnlyDatabaseIsExplained(t *testing.T) {
	const url = "sqlite:./data/sukma.db"
	db := storagetest.SQLite(t)
	var pages int
	if err := db.Get(&pages, "PRAGMA page_count"); err != nil {
		t.Fatal(err)
	}
	readOnly := writeWith(t, db, "PRAGMA query_only = 1")
	full := writeWith(t, db, "PRAGMA max_page_count = "+strconv.Itoa(pages))
	tests := []struct {
		name string
		url  string
		err  error
		want string
	}{
		{"a read-only database at first start", url, fmt.Errorf("persiapan awal: storage: store setting admin_token: %w", readOnly),
			"SUKMA_DATABASE_URL (database_url): berkas basis data ./data/sukma.db atau foldernya tidak dapat ditulis oleh pengguna yang menjalankan Sukma: periksa pemilik dan izin aksesnya [persiapan awal: storage: store setting admin_token: " + readOnly.Error() + "]"},
		{"a full disk at a commit", url, fmt.Errorf("storage: commit: %w", full),
			"SUKMA_DATABASE_URL (database_url): disk tempat berkas basis data ./data/sukma.db penuh: kosongkan ruang disk lalu coba lagi [storage: commit: " + full.Error() + "]"},
		{"an error of storage.Open is not named twice", url, fmt.Errorf("SUKMA_DATABASE_URL (database_url): basis data tidak dapat dibuka: %w", readOnly),
			"SUKMA_DATABASE_URL (database_url): berkas basis data ./data/sukma.db atau foldernya tidak dapat ditulis oleh pengguna yang menjalankan Sukma: periksa pemilik dan izin aksesnya [basis data tidak dapat dibuka: " + readOnly.Error() + "]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := databaseProblem(tt.url, tt.err)
			if !ok || got != tt.want {
				t.Errorf("got %v %q\nwant %q", ok, got, tt.want)
			}
		})
	}
	t.Run("a PostgreSQL standby", func(t *testing.T) {
		standby := writeWith(t, storagetest.Postgres(t), "SET default_transaction_read_only = on")
		want := "SUKMA_DATABASE_URL (database_url): server PostgreSQL ini hanya dapat dibaca (replika siaga?): arahkan ke server utama [" + standby.Error() + "]"
		if got, ok := databaseProblem("postgres://sukma@db/sukma", standby); !ok || got != want {
			t.Errorf("got %v %q\nwant %q", ok, got, want)
		}
	})
	t.Run("other errors are left to the caller", func(t *testing.T) {
		if got, ok := databaseProblem(url, fmt.Errorf("storage: commit: %w", context.DeadlineExceeded)); ok {
			t.Errorf("got %q", got)
		}
	})
}

// TestCommandsSayWhenTheDatabaseCannotBeWritten runs the commands on a database SQLite opens
// read-only: its header's write version (byte 18) is one it does not know. Tests run as root
// in CI, to whom a file's permissions forbid nothing.
func TestCommandsSayWhenTheDatabaseCannotBeWritten(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sukma.db")
	storagetest.Open(t, "sqlite:"+path).Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err == nil {
		_, err = f.WriteAt([]byte{3}, 18)
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SUKMA_CONFIG", "")
	t.Setenv("SUKMA_DATABASE_URL", "sqlite:"+path)
	t.Setenv("SUKMA_HTTP_ADDR", "127.0.0.1:0")
	for _, args := range [][]string{{"serve"}, {"demo", "seed", "--units", "1", "--months", "1", "--responses", "1"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			// A command that wrote after all would stop here, instead of serving on.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			var out, errb bytes.Buffer
			code := run(ctx, args, stdio{strings.NewReader(""), &out, &errb})
			want := ": SUKMA_DATABASE_URL (database_url): berkas basis data " + path + " atau foldernya tidak dapat ditulis oleh pengguna yang menjalankan Sukma: periksa pemilik dan izin aksesnya ["
			if code != 1 || !strings.Contains(errb.String(), want) || !strings.HasSuffix(errb.String(), "attempt to write a readonly database (8)]\n") {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errb.String(), want)
			}
		})
	}
}

// A file that is no SQLite database (most often a backup restored beside the -wal file of the
// database it replaced) is named, with what to do, at start.
func TestADamagedDatabaseFileIsExplained(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sukma.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("bukan basis data "), 300), 0o600); err != nil {
		t.Fatal(err)
	}
	url := "sqlite:" + path
	_, err := storage.Open(context.Background(), url)
	if err == nil {
		t.Fatal("a file of text opened as a database")
	}
	got, ok := databaseProblem(url, err)
	if !ok || !strings.Contains(got, "berkas basis data "+path+" rusak atau bukan basis data SQLite") || !strings.Contains(got, "hapus "+path+"-wal dan "+path+"-shm") {
		t.Errorf("got %v %q", ok, got)
	}
}

// A search_path=NAME whose schema was never made stops `serve` with what to do, not with
// PostgreSQL's "no schema has been selected to create in".
func TestServeSaysToCreateTheSchemaOfSearchPath(t *testing.T) {
	u, err := url.Parse(storagetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	schema := q.Get("search_path") + "_belum_dibuat"
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Setenv("SUKMA_DATABASE_URL", u.String())
	t.Setenv("SUKMA_HTTP_ADDR", "127.0.0.1:0")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"serve"}, stdio{nil, &out, &errb}); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	want := "sukma: SUKMA_DATABASE_URL (database_url): skema PostgreSQL " + schema + " yang disebut search_path tidak ada: buat dulu, misalnya dengan psql: CREATE SCHEMA " +
		schema + "; (atau perbaiki search_path di URL) ["
	if !strings.HasPrefix(errb.String(), want) {
		t.Errorf("stderr = %q\nwant it to start with %q", errb.String(), want)
	}
}
