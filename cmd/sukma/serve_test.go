package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"sukma/config"
)

func TestServeReportsEveryWrongSettingOnALineOfItsOwn(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Setenv("SUKMA_WHATSAPP_ENABLED", "maybe")
	t.Setenv("SUKMA_HTTP_ADDR", "bad")
	t.Setenv("SUKMA_LOG_LEVEL", "trace")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve"}, stdio{strings.NewReader(""), &out, &errb})
	want := []string{
		`sukma: SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): "maybe" bukan true atau false`,
		`sukma: SUKMA_HTTP_ADDR (http_addr): "bad" bukan host:port (misalnya :8080 atau 127.0.0.1:8080)`,
		`sukma: SUKMA_LOG_LEVEL (log_level): harus debug, info, warn atau error (tertulis "trace")`,
	}
	if got := strings.TrimSuffix(errb.String(), "\n"); code != 1 || got != strings.Join(want, "\n") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, got, strings.Join(want, "\n"))
	}
}

func TestEveryCommandOnTheDatabaseRefusesAnEmptyDatabaseURL(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Setenv("SUKMA_DATABASE_URL", "")
	t.Setenv("SUKMA_HTTP_ADDR", "127.0.0.1:0")
	t.Chdir(t.TempDir())
	// Cancelled: a command that went on to open the database stops at once instead of serving.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, args := range [][]string{{"serve"}, {"demo", "seed"}, {"digest", "send"}, {"whatsapp", "pair"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(ctx, args, stdio{strings.NewReader(""), &out, &errb})
			want := "sukma: SUKMA_DATABASE_URL (database_url): kosong: hapus variabel ini untuk memakai SQLite bawaan"
			if code != 1 || !strings.HasPrefix(errb.String(), want) || out.Len() != 0 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out.String(), errb.String(), want)
			}
			if _, err := os.Stat("data"); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("./data was made (%v): a new local database", err)
			}
		})
	}
}

// A setting that would be unsafe or useless stops serve before it opens anything, named by
// its setting, with what to do: a weak admin token, or a bot token of the wrong shape, which
// is not repeated (start-up errors end up in logs and support chats).
func TestServeRefusesABadToken(t *testing.T) {
	for _, tt := range []struct{ name, env, value, want string }{
		{"a weak admin token", "SUKMA_ADMIN_TOKEN", "abc",
			"sukma: SUKMA_ADMIN_TOKEN (admin_token): terlalu pendek (3 karakter): token ini membuka seluruh API dan menjadi kata sandi pertama admin, minimal 16 karakter; buat token acak, misalnya dengan: openssl rand -base64 32\n"},
		{"a malformed Telegram token", "SUKMA_TELEGRAM_TOKEN", "bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
			`sukma: SUKMA_TELEGRAM_TOKEN (telegram_token): bukan token bot Telegram: bentuknya angka, titik dua, lalu huruf, angka, _ atau - (seperti 123456789:AAH…), persis seperti dari @BotFather, tanpa awalan "bot"` + "\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("SUKMA_CONFIG", "")
			t.Setenv(tt.env, tt.value)
			t.Setenv("SUKMA_DATABASE_URL", "sqlite:"+t.TempDir()+"/sukma.db")
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a serve that got past the settings stops at once
			var out, errb bytes.Buffer
			code := run(ctx, []string{"serve"}, stdio{strings.NewReader(""), &out, &errb})
			if code != 1 || errb.String() != tt.want {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, errb.String(), tt.want)
			}
		})
	}
}

// Telegram settings given without a bot token do nothing; serve names them in a warning.
func TestTelegramSettingsWithoutATokenAreNamed(t *testing.T) {
	cfg := config.Default()
	if idle := idleTelegramSettings(cfg); len(idle) != 0 {
		t.Errorf("the defaults are named idle: %v", idle)
	}
	cfg.TelegramMode, cfg.TelegramWebhookSecret = "webhook", "rahasia"
	if idle := strings.Join(idleTelegramSettings(cfg), ", "); idle != "SUKMA_TELEGRAM_MODE=webhook, SUKMA_TELEGRAM_WEBHOOK_SECRET" {
		t.Errorf("idle settings %q", idle)
	}
	cfg.TelegramToken = "123:abc"
	if idle := idleTelegramSettings(cfg); len(idle) != 0 {
		t.Errorf("with a token, settings are named idle: %v", idle)
	}
}
