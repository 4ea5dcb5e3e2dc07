package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func backup(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"backup"}, args...), stdio{strings.NewReader(""), &out, &errb})
	return code, out.String(), errb.String()
}

func TestBackup(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Run("an SQLite database in use is copied with what it holds", func(t *testing.T) {
		url := storagetest.SQLiteURL(t)
		t.Setenv("SUKMA_DATABASE_URL", url)
		live := storagetest.Open(t, url) // as a running sukma serve holds it
		if _, err := live.CreateUnit(context.Background(), storage.NewUnit{Code: "SAMSAT-SBY", Name: "Samsat Surabaya", Agency: "BAPENDA", Population: 100}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "cadangan.db")
		code, out, stderr := backup(t, file)
		if code != 0 || stderr != "" || !strings.Contains(out, "Cadangan "+url+" ditulis ke "+file) || !strings.Contains(out, "Memulihkan: hentikan sukma serve") {
			t.Fatalf("exit %d, stdout %q, stderr %q", code, out, stderr)
		}
		if _, err := storagetest.Open(t, "sqlite:"+file).FindUnitByCode(context.Background(), "SAMSAT-SBY"); err != nil {
			t.Errorf("the backup lacks the unit: %v", err)
		}

		code, _, stderr = backup(t, file)
		if code != 1 || !strings.Contains(stderr, "sukma backup: "+file+" sudah ada: pilih nama berkas lain") {
			t.Errorf("a second backup to the same file: exit %d, stderr %q", code, stderr)
		}
		missing := filepath.Join(t.TempDir(), "tidak-ada", "cadangan.db")
		code, _, stderr = backup(t, missing)
		if code != 1 || !strings.Contains(stderr, "sukma backup: folder "+filepath.Dir(missing)+" tidak ada") {
			t.Errorf("a backup into a missing folder: exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("a database that is not there is refused, not made and backed up empty", func(t *testing.T) {
		// As from cron, in another folder than the server's, with its relative default.
		t.Chdir(t.TempDir())
		t.Setenv("SUKMA_DATABASE_URL", "sqlite:./data/sukma.db")
		file := filepath.Join(t.TempDir(), "cadangan.db")
		code, out, stderr := backup(t, file)
		abs, _ := filepath.Abs("data/sukma.db")
		if code != 1 || out != "" || !strings.Contains(stderr, "sukma backup: basis data "+abs+" tidak ada") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
		}
		for _, f := range []string{file, "data/sukma.db"} {
			if _, err := os.Stat(f); err == nil {
				t.Errorf("%s was written", f)
			}
		}
	})
	t.Run("a backup leaves the database at its schema: one made before an upgrade is the database before it", func(t *testing.T) {
		url := storagetest.SQLiteURL(t)
		t.Setenv("SUKMA_DATABASE_URL", url)
		live := storagetest.Open(t, url)
		// As an older Sukma left it: its newest migration not applied.
		last := storage.SchemaVersion(storage.SQLite)
		if _, err := live.Exec("DELETE FROM schema_version WHERE version = ?", last); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "cadangan.db")
		if code, _, stderr := backup(t, file); code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		for _, db := range []string{storage.SQLitePath(url), file} {
			var version int
			raw, err := storage.OpenToBackup(context.Background(), "sqlite:"+db) // as it is, not migrated
			if err == nil {
				err = raw.Get(&version, "SELECT MAX(version) FROM schema_version")
				raw.Close()
			}
			if err != nil || version != last-1 {
				t.Errorf("%s is at schema %d (%v), want %d as it was", db, version, err, last-1)
			}
		}
	})
	t.Run("PostgreSQL is pointed to pg_dump without a connection", func(t *testing.T) {
		t.Setenv("SUKMA_DATABASE_URL", "postgres://sukma:rahasia@127.0.0.1:1/sukma?sslmode=disable")
		file := filepath.Join(t.TempDir(), "cadangan.db")
		code, out, stderr := backup(t, file)
		if code != 1 || out != "" || !strings.Contains(stderr, "pg_dump --format=custom") || !strings.Contains(stderr, "pg_restore") || strings.Contains(stderr, "rahasia") {
			t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
		}
		if _, err := os.Stat(file); err == nil {
			t.Errorf("a file was written")
		}
	})
	t.Run("a backup needs one file", func(t *testing.T) {
		for _, args := range [][]string{nil, {"a.db", "b.db"}} {
			if code, _, stderr := backup(t, args...); code != 2 || !strings.Contains(stderr, "sukma backup: sebutkan satu berkas tujuan") {
				t.Errorf("%q: exit %d, stderr %q", args, code, stderr)
			}
		}
	})
	t.Run("sukma help lists it", func(t *testing.T) {
		var out bytes.Buffer
		run(context.Background(), []string{"help"}, stdio{nil, &out, &out})
		if !strings.Contains(out.String(), "  backup     FILE: salin basis data SQLite") {
			t.Errorf("help:\n%s", out.String())
		}
	})
}
