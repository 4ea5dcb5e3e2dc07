package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"sukma/config"
	"sukma/storage"
	"sukma/storage/storagetest"
)

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// start is one start of Sukma on db (one replica), with SUKMA_ADMIN_TOKEN set to configured or
// left out (""): the token it serves, what it printed and logged, and its error.
type start struct {
	token    string
	out, log string
	err      error
}

func startOn(db *storage.DB, configured string) start {
	var out, log bytes.Buffer
	token, _, err := bootstrap(context.Background(), db, configured, "http://localhost:8080", &out, slog.New(slog.NewTextHandler(&log, nil)))
	return start{token, out.String(), log.String(), err}
}

// Replicas behind one load balancer serve one admin token, or one of them refuses to start:
// never two tokens, each accepted by half the replicas.
func TestReplicasServeOneAdminToken(t *testing.T) {
	const chosen, other = "token-pilihan-operator-1", "token-lain-dari-replika-2"
	t.Run("a replica without SUKMA_ADMIN_TOKEN refuses a database whose token comes from it", func(t *testing.T) {
		storagetest.Each(t, func(t *testing.T, db *storage.DB) {
			if s := startOn(db, chosen); s.err != nil || s.token != chosen {
				t.Fatalf("with the setting: %q, %v", s.token, s.err)
			}
			s := startOn(db, "")
			if !errors.Is(s.err, errAdminTokenMissing) || s.token != "" {
				t.Fatalf("without the setting: token %q, err %v; want errAdminTokenMissing", s.token, s.err)
			}
			if !strings.Contains(s.err.Error(), "isi SUKMA_ADMIN_TOKEN (atau SUKMA_ADMIN_TOKEN_FILE) dengan token yang sama") || s.out != "" {
				t.Errorf("refusal %q, printed %q", s.err, s.out)
			}
			if _, err := db.Setting(context.Background(), generatedTokenKey); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("the refused start left a generated token behind: %v", err)
			}
			if v, _ := db.Setting(context.Background(), configuredTokenKey); strings.Contains(v, chosen) || len(v) != 64 {
				t.Errorf("stored %q for the configured token: want its SHA-256 only", v)
			}
			if s := startOn(db, chosen); s.err != nil || s.token != chosen || s.log != "" {
				t.Errorf("with the setting again: %q, %v, logged %q", s.token, s.err, s.log)
			}
		})
	})
	t.Run("replicas without SUKMA_ADMIN_TOKEN serve the one generated token", func(t *testing.T) {
		storagetest.Each(t, func(t *testing.T, db *storage.DB) {
			first := startOn(db, "")
			if first.err != nil || !strings.Contains(first.out, first.token) {
				t.Fatalf("first start: %v, printed %q", first.err, first.out)
			}
			if s := startOn(db, ""); s.err != nil || s.token != first.token || s.out != "" {
				t.Errorf("second replica: token %q (want %q), %v, printed %q", s.token, first.token, s.err, s.out)
			}
		})
	})
	t.Run("a chosen token replaces a generated one for good, and says so", func(t *testing.T) {
		storagetest.Each(t, func(t *testing.T, db *storage.DB) {
			old := startOn(db, "")
			s := startOn(db, chosen)
			if s.err != nil || s.token != chosen || !strings.Contains(s.log, "token admin buatan Sukma tidak berlaku lagi") {
				t.Fatalf("with the setting: %q, %v, logged %q", s.token, s.err, s.log)
			}
			// Left out again, the setting is refused: neither the old generated token (which may
			// have leaked) nor a new one is served beside the chosen one.
			if s := startOn(db, ""); !errors.Is(s.err, errAdminTokenMissing) || s.token == old.token {
				t.Errorf("without the setting again: %q, %v", s.token, s.err)
			}
		})
	})
	t.Run("a different token on another replica is warned of and kept, as a rotation needs", func(t *testing.T) {
		storagetest.Each(t, func(t *testing.T, db *storage.DB) {
			startOn(db, chosen)
			s := startOn(db, other)
			if s.err != nil || s.token != other || !strings.Contains(s.log, "SUKMA_ADMIN_TOKEN berbeda dengan token admin replika lain") {
				t.Errorf("the other token: %q, %v, logged %q", s.token, s.err, s.log)
			}
			if strings.Contains(s.log, other) || strings.Contains(s.log, chosen) {
				t.Errorf("the warning names a token: %q", s.log)
			}
			if s := startOn(db, other); s.log != "" { // the rotation done: no more warnings
				t.Errorf("the same token again logged %q", s.log)
			}
		})
	})
}

// The reviewer's case end to end: one replica started with the token, a second on the same
// PostgreSQL without it does not open, and says which setting it lacks.
func TestASecondReplicaWithoutTheAdminTokenDoesNotStart(t *testing.T) {
	u := storagetest.PostgresURL(t)
	startApp(t, u, func(c *config.Config) { c.AdminToken = "token-bersama-replika-123" })
	cfg := config.Default()
	cfg.DatabaseURL, cfg.HTTPAddr = u, "127.0.0.1:0"
	app, err := Open(context.Background(), cfg, discardLogger, io.Discard)
	if err == nil {
		app.DB.Close()
		t.Fatal("the replica without SUKMA_ADMIN_TOKEN started")
	}
	if !strings.HasPrefix(err.Error(), "SUKMA_ADMIN_TOKEN (admin_token): tidak diisi") {
		t.Errorf("err = %v", err)
	}
}
