package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"sukma/config"
	"sukma/storage/storagetest"
)

// startApp boots the whole of Sukma on a free port with the given database, and settings
// changed by change, and returns its base URL; the app stops when the test ends.
func startApp(t *testing.T, databaseURL string, change ...func(*config.Config)) (*App, string) {
	t.Helper()
	cfg := config.Default()
	cfg.DatabaseURL = databaseURL
	cfg.HTTPAddr = "127.0.0.1:0"
	for _, c := range change {
		c(&cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app stopped with %v", err)
		}
	})
	return app, "http://" + app.Addr()
}

func TestHealthzAnswersOnBothDatabases(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			_, base := startApp(t, url(t))
			resp, err := http.Get(base + "/healthz")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var h struct {
				Status   string
				Channels map[string]string
			}
			if resp.StatusCode != 200 || json.Unmarshal(body, &h) != nil || h.Status != "ok" ||
				h.Channels["Telegram"] != "disabled" || h.Channels["WhatsApp"] != "disabled" {
				t.Errorf("GET /healthz = %d %s", resp.StatusCode, body)
			}
		})
	}
}

func TestServeRefusesAWrongSettingWithOneLine(t *testing.T) {
	t.Setenv("SUKMA_HTTP_ADDR", "nonsense")
	var out, errb stringsBuilder
	code := run(context.Background(), []string{"serve"}, stdio{nil, &out, &errb})
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	want := "sukma: SUKMA_HTTP_ADDR (http_addr): \"nonsense\" is not host:port (for example :8080 or 127.0.0.1:8080)\n"
	if errb.String() != want {
		t.Errorf("stderr = %q, want %q", errb.String(), want)
	}
}

type stringsBuilder = bytes.Buffer
