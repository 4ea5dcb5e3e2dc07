package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func demo(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runDemo(context.Background(), args, stdio{strings.NewReader(""), &out, &errb})
	return code, out.String(), errb.String()
}

func TestDemoSeed(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("SUKMA_CONFIG", "")
			t.Setenv("SUKMA_DATABASE_URL", url(t))
			t.Run("a seed reports the units and responses it created", func(t *testing.T) {
				code, out, stderr := demo(t, "seed", "--units", "3", "--months", "2", "--responses", "10", "--seed", "42")
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				for _, want := range []string{"Alur bawaan skm versi 1 dipasang.", "Data demo dibuat: 3 unit, 12 layanan, ", "demo_seeded", "Basis data: "} {
					if !strings.Contains(out, want) {
						t.Errorf("missing %q in\n%s", want, out)
					}
				}
				if fresh := strings.Contains(out, "baru dibuat"); fresh != (name == "sqlite") {
					t.Errorf("a new SQLite file is named new (and only that): %t in\n%s", fresh, out)
				}
			})
			t.Run("a second seed adds to the demo units without installing the flow again", func(t *testing.T) {
				code, out, _ := demo(t, "seed", "--units", "1", "--months", "1", "--responses", "5")
				if code != 0 || strings.Contains(out, "dipasang") || !strings.Contains(out, "1 unit, 4 layanan") || strings.Contains(out, "baru dibuat") {
					t.Errorf("exit %d, out %q", code, out)
				}
			})
			t.Run("a database with real responses is refused unless forced", func(t *testing.T) {
				// Turn a demo unit into a real one: its responses are now real data.
				db, err := storage.Open(context.Background(), os.Getenv("SUKMA_DATABASE_URL"))
				if err != nil {
					t.Fatal(err)
				}
				_, err = db.Exec("UPDATE units SET code = 'SAMSAT-SBY' WHERE code = 'DEMO-SAMSAT-SBY'")
				db.Close()
				if err != nil {
					t.Fatal(err)
				}
				code, out, stderr := demo(t, "seed", "--units", "1", "--months", "1", "--responses", "1")
				if code != 1 || out != "" || !strings.Contains(stderr, "ditolak: basis data ini berisi data nyata") || !strings.Contains(stderr, "--force") {
					t.Errorf("exit %d, out %q, stderr %q", code, out, stderr)
				}
				if code, _, stderr := demo(t, "seed", "--units", "1", "--months", "1", "--responses", "1", "--force"); code != 0 {
					t.Errorf("with --force: exit %d, stderr %q", code, stderr)
				}
			})
		})
	}
}

func TestDemoUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand prints the usage", nil, 2, "sukma demo seed"},
		{"an unknown subcommand prints the usage", []string{"grow"}, 2, "sukma demo seed"},
		{"zero units are refused", []string{"seed", "--units", "0"}, 2, "--units dan --months minimal 1"},
		{"a stray argument is refused", []string{"seed", "extra"}, 2, "tanpa argumen lain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := demo(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}
