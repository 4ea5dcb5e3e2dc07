package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sukma/config"
	"sukma/internal/logtest"
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
	want := "sukma: SUKMA_HTTP_ADDR (http_addr): \"nonsense\" bukan host:port (misalnya :8080 atau 127.0.0.1:8080)\n"
	if errb.String() != want {
		t.Errorf("stderr = %q, want %q", errb.String(), want)
	}
}

type stringsBuilder = bytes.Buffer

func TestLinksNameThePortChosenForPortZero(t *testing.T) {
	app, base := startApp(t, storagetest.SQLiteURL(t)) // 127.0.0.1:0, no public URL
	if app.Config.PublicURL != base {
		t.Errorf("public URL %q, want %q", app.Config.PublicURL, base)
	}
	req, _ := http.NewRequest("POST", base+"/api/v1/visits", bytes.NewBufferString(`{"unit":"DEMO"}`))
	req.Header.Set("Authorization", "Bearer "+app.Config.AdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct {
		WebURL string `json:"web_url"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/v1/visits = %d, %v", resp.StatusCode, err)
	}
	if !strings.HasPrefix(v.WebURL, base+"/") {
		t.Errorf("web_url %q, want a link under %s", v.WebURL, base)
	}
}

func TestAGivenPublicURLIsKeptWithPortZero(t *testing.T) {
	app, _ := startApp(t, storagetest.SQLiteURL(t), func(c *config.Config) { c.PublicURL = "https://survei.example.go.id" })
	if app.Config.PublicURL != "https://survei.example.go.id" {
		t.Errorf("public URL %q, want the one given", app.Config.PublicURL)
	}
}

func TestServeWarnsWhenLinksNameThisMachineOnly(t *testing.T) {
	for _, tt := range []struct {
		name, publicURL string
		warned          bool
	}{
		{"no public URL: links on 127.0.0.1", "", true},
		{"a public URL", "https://survei.example.go.id", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.DatabaseURL, cfg.HTTPAddr, cfg.PublicURL = storagetest.SQLiteURL(t), "127.0.0.1:0", tt.publicURL
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			var logs syncBuffer
			ctx, cancel := context.WithCancel(context.Background())
			app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			cancel() // Run logs at start, then shuts down at once
			if err := app.Run(ctx); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(logs.String(), "SUKMA_PUBLIC_URL tidak diisi"); got != tt.warned {
				t.Errorf("warned %v, want %v; logs:\n%s", got, tt.warned, logs.String())
			}
		})
	}
}

// The start says which database it serves, its password left out, an SQLite file by its
// absolute path: a replica started without SUKMA_DATABASE_URL makes a new file of its own.
func TestServeNamesItsDatabaseAtStart(t *testing.T) {
	t.Chdir(t.TempDir())
	wd, _ := os.Getwd()
	for _, tt := range []struct {
		name          string
		url           func(t *testing.T) string
		want, notWant string
	}{
		{"a relative SQLite file by its absolute path", func(*testing.T) string { return "sqlite:./data/sukma.db" },
			"database=sqlite:" + filepath.Join(wd, "data", "sukma.db"), ""},
		{"PostgreSQL without its password", func(t *testing.T) string {
			return strings.Replace(storagetest.PostgresURL(t), "://postgres@", "://postgres:rahasia@", 1) // trust auth takes any
		}, "postgres://postgres:xxxxx@127.0.0.1", "rahasia"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Default()
			cfg.DatabaseURL, cfg.HTTPAddr, cfg.PublicURL = tt.url(t), "127.0.0.1:0", "https://survei.example.go.id"
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			var logs syncBuffer
			ctx, cancel := context.WithCancel(context.Background())
			app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(&logs, nil)), io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			cancel()
			if err := app.Run(ctx); err != nil {
				t.Fatal(err)
			}
			line := ""
			for l := range strings.Lines(logs.String()) {
				if strings.Contains(l, "sukma is serving") {
					line = l
				}
			}
			if !strings.Contains(line, tt.want) || tt.notWant != "" && strings.Contains(line, tt.notWant) {
				t.Errorf("start line %q, want %q in it", line, tt.want)
			}
		})
	}
}

// syncBuffer is a bytes.Buffer safe for a logger used from several goroutines.
type syncBuffer = logtest.Buffer

// One server per SQLite file: a second would poll Telegram and send the outbox beside the
// first. Replicas need PostgreSQL.
func TestASecondServerOnOneSQLiteFileIsRefused(t *testing.T) {
	url := storagetest.SQLiteURL(t)
	first, _ := startApp(t, url)
	cfg := first.Config
	cfg.HTTPAddr = "127.0.0.1:0"
	_, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "sudah dilayani oleh sukma serve lain") {
		t.Fatalf("a second server on %s: %v, want it refused", url, err)
	}
}

// The README's first start: the data folder does not exist yet.
func TestTheFirstStartMakesTheDataFolder(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "data", "sub", "sukma.db")
	_, base := startApp(t, url)
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("/healthz = %d", resp.StatusCode)
	}
}

// A link to the database file is the same file: its second server is refused too.
func TestASecondServerThroughALinkToTheFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sukma.db")
	first, _ := startApp(t, "sqlite:"+file)
	link := filepath.Join(dir, "alias.db")
	if err := os.Symlink(file, link); err != nil {
		t.Fatal(err)
	}
	cfg := first.Config
	cfg.DatabaseURL = "sqlite:" + link
	_, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err == nil || !strings.Contains(err.Error(), "sudah dilayani oleh sukma serve lain") {
		t.Fatalf("a second server through %s: %v, want it refused", link, err)
	}
}
