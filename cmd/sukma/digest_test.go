package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sukma/bot"
	"sukma/config"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func digestCmd(args ...string) (code int, out, errOut string) {
	var o, e bytes.Buffer
	code = runDigest(context.Background(), args, stdio{strings.NewReader(""), &o, &e})
	return code, o.String(), e.String()
}

func TestDigestSend(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			t.Setenv("SUKMA_CONFIG", "")
			t.Setenv("SUKMA_DATABASE_URL", url(t))
			ctx := context.Background()
			db, err := storage.Open(ctx, os.Getenv("SUKMA_DATABASE_URL"))
			if err != nil {
				t.Fatal(err)
			}
			u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUK", Name: "Dukcapil", Population: 100})
			if err == nil {
				_, err = db.CreateSubscriber(ctx, storage.NewSubscriber{UnitID: &u.ID, Channel: "telegram", Address: "77", Schedule: "0 7 * * 1", Language: "id"})
			}
			if err != nil {
				t.Fatal(err)
			}
			outbox := func() int {
				var n int
				db.Get(&n, "SELECT COUNT(*) FROM outbox WHERE chat_id = '77'")
				return n
			}
			tests := []struct {
				name   string
				args   []string
				code   int
				out    string
				outbox int
			}{
				{"nothing is due for a subscriber who joined after the last Monday", []string{"send"}, 0, "0 ringkasan masuk antrean kirim; sukma serve yang berjalan mengirimkannya.\nBelum ada ringkasan yang jatuh tempo menurut jadwal pelanggan. Untuk mengirim sekarang, tambahkan --now.", 0},
				{"--now sends every subscriber's digest at once", []string{"send", "--now"}, 0, "1 ringkasan masuk antrean kirim", 1},
				{"--now again is a resend", []string{"send", "--now"}, 0, "1 ringkasan", 2},
				{"a given period is sent once", []string{"send", "--period", "2026-11-01..2026-11-30"}, 0, "1 ringkasan", 3},
				{"the same period again is not sent twice", []string{"send", "--period", "2026-11-01..2026-11-30"}, 0, "0 ringkasan masuk antrean kirim; sukma serve yang berjalan mengirimkannya.\nRingkasan periode ini sudah terkirim ke setiap pelanggan (atau belum ada pelanggan). Untuk mengirimnya lagi, tambahkan --now.", 3},
				{"a bad period is refused", []string{"send", "--period", "November"}, 2, "", 3},
				{"digest without send shows the usage", nil, 2, "", 3},
			}
			t.Run("a bad period is named in Indonesian", func(t *testing.T) {
				_, _, errOut := digestCmd("send", "--period", "bad")
				if want := `sukma digest send: --period: periode "bad" harus AWAL..AKHIR dengan tanggal YYYY-MM-DD, misalnya 2026-11-01..2026-11-30` + "\n"; errOut != want {
					t.Errorf("stderr %q, want %q", errOut, want)
				}
			})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					code, out, errOut := digestCmd(tt.args...)
					if code != tt.code || !strings.Contains(out, tt.out) {
						t.Errorf("exit %d, out %q, stderr %q; want exit %d and %q", code, out, errOut, tt.code, tt.out)
					}
					if n := outbox(); n != tt.outbox {
						t.Errorf("%d outbox rows, want %d", n, tt.outbox)
					}
				})
			}
			db.Close()
		})
	}
}

func TestOpenDigestsRegistersTheChatCommandsAndTwoRunners(t *testing.T) {
	cfg := config.Default()
	cfg.DatabaseURL = storagetest.SQLiteURL(t)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a := &App{Config: cfg, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), DB: storagetest.SQLite(t), Engine: &bot.Engine{}}
	if err := a.openDigests(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/langganan", "/subscribe", "/berhenti", "/unsubscribe"} {
		if a.Engine.Commands[name] == nil {
			t.Errorf("command %s is not registered", name)
		}
	}
	if len(a.runners) != 2 {
		t.Errorf("%d runners, want the scheduler and the alerts", len(a.runners))
	}
}

// Run where the server's SQLite file is not (cron's folder, no --config), digest send says so
// and makes no new, empty database to report "0 digests queued" from.
func TestDigestSendRefusesADatabaseThatIsNotThere(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Chdir(t.TempDir())
	t.Setenv("SUKMA_DATABASE_URL", "sqlite:./data/sukma.db")
	code, out, errOut := digestCmd("send", "--now")
	abs, _ := filepath.Abs("data/sukma.db")
	if code != 1 || out != "" || !strings.Contains(errOut, "sukma digest send: basis data "+abs+" tidak ada") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat("data/sukma.db"); err == nil {
		t.Error("a new database was made")
	}
}
