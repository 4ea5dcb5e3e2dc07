package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"

	"sukma/bot"
	"sukma/bot/whatsapp"
	"sukma/bot/whatsappcloud"
	"sukma/config"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// linkDevice stores a linked device for number, as `sukma whatsapp pair` would.
func linkDevice(t *testing.T, db *storage.DB, number string) {
	t.Helper()
	ctx := context.Background()
	c, err := whatsapp.OpenStore(ctx, db.DB.DB, string(db.Dialect), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	dev := c.NewDevice()
	jid := types.NewADJID(number, 0, 7)
	dev.ID = &jid
	dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: []byte{1}, AccountSignature: make([]byte, 64), AccountSignatureKey: make([]byte, 32), DeviceSignature: make([]byte, 64)}
	if err := c.PutDevice(ctx, dev); err != nil {
		t.Fatal(err)
	}
}

func TestWhatsAppPairCommand(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no subcommand prints the usage", nil, 2, "sukma whatsapp pair"},
		{"an unknown subcommand prints the usage", []string{"unpair"}, 2, "sukma whatsapp pair"},
		{"a phone number with letters is refused", []string{"pair", "--phone", "0812 ABC 7890"}, 2, "bentuk internasional"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runWhatsApp(context.Background(), tt.args, stdio{strings.NewReader(""), &out, &errOut})
			if code != tt.wantCode || !strings.Contains(errOut.String(), tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut.String(), tt.wantCode, tt.wantErr)
			}
		})
	}
	t.Run("an account already linked is named, masked, and left alone", func(t *testing.T) {
		url := storagetest.SQLiteURL(t)
		db, err := storage.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		linkDevice(t, db, "6281234565678")
		db.Close()
		t.Setenv("SUKMA_DATABASE_URL", url)
		t.Setenv("SUKMA_CONFIG", "")
		var out, errOut bytes.Buffer
		code := runWhatsApp(context.Background(), []string{"pair"}, stdio{strings.NewReader(""), &out, &errOut})
		if code != 0 || !strings.Contains(out.String(), "62812****5678 sudah tertaut") || strings.Contains(out.String()+errOut.String(), "6281234565678") {
			t.Errorf("exit %d, stdout %q, stderr %q; want 0 and the masked number", code, out.String(), errOut.String())
		}
	})
}

func TestQRCodesAreDrawnWithHalfBlocks(t *testing.T) {
	bits := [][]bool{
		{false, true, false},
		{false, false, true},
		{true, true, false},
	}
	want := "█▄▀\n▄▄█\n"
	if got := renderQR(bits); got != want {
		t.Errorf("renderQR = %q, want %q", got, want)
	}
	var b bytes.Buffer
	printQR(&b, "2@abc,def,ghi")
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) < 10 || !strings.Contains(b.String(), "▀") {
		t.Errorf("a real code printed %d lines, want a QR drawing", len(lines))
	}
}

func whatsAppApp(t *testing.T, db *storage.DB, change func(*config.Config)) *App {
	t.Helper()
	cfg := config.Default()
	change(&cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	return &App{
		Config: cfg, Logger: logger, DB: db, webhooks: map[string]http.Handler{},
		Engine: &bot.Engine{DB: db, Secret: []byte("s"), Location: time.UTC, Logger: logger},
	}
}

func TestOpenWhatsApp(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Run("an enabled device with no account linked starts and waits", func(t *testing.T) {
			a := whatsAppApp(t, db, func(c *config.Config) { c.WhatsAppEnabled = true })
			if err := a.openWhatsApp(context.Background(), &bot.Dispatcher{DB: db}); err != nil {
				t.Fatal(err)
			}
			if len(a.runners) != 1 || a.whatsAppNumber != "" {
				t.Errorf("%d runners, number %q; want the device's loop and no wa.me number", len(a.runners), a.whatsAppNumber)
			}
		})
		t.Run("a linked device gives its number to wa.me links", func(t *testing.T) {
			linkDevice(t, db, "6285550001111")
			a := whatsAppApp(t, db, func(c *config.Config) { c.WhatsAppEnabled = true })
			if err := a.openWhatsApp(context.Background(), &bot.Dispatcher{DB: db}); err != nil {
				t.Fatal(err)
			}
			if a.whatsAppNumber != "6285550001111" {
				t.Errorf("number = %q, want the linked account's", a.whatsAppNumber)
			}
		})
		t.Run("whatsapp_number wins over the linked device's", func(t *testing.T) {
			a := whatsAppApp(t, db, func(c *config.Config) { c.WhatsAppEnabled, c.WhatsAppNumber = true, "6281111111111" })
			if err := a.openWhatsApp(context.Background(), &bot.Dispatcher{DB: db}); err != nil {
				t.Fatal(err)
			}
			if a.whatsAppNumber != "6281111111111" {
				t.Errorf("number = %q, want the setting's", a.whatsAppNumber)
			}
		})
	})
	t.Run("the Cloud API serves its webhook", func(t *testing.T) {
		db := storagetest.SQLite(t)
		a := whatsAppApp(t, db, func(c *config.Config) {
			c.WhatsAppCloudToken, c.WhatsAppCloudPhoneNumberID, c.WhatsAppCloudAppSecret, c.WhatsAppCloudVerifyToken = "t", "1", "s", "v"
			c.WhatsAppNumber = "6281234567890"
		})
		if err := a.openWhatsApp(context.Background(), &bot.Dispatcher{DB: db}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"GET " + whatsappcloud.WebhookPath, "POST " + whatsappcloud.WebhookPath} {
			if a.webhooks[p] == nil {
				t.Errorf("no handler for %s", p)
			}
		}
		if a.whatsAppNumber != "6281234567890" || len(a.runners) != 0 {
			t.Errorf("number %q, %d runners; want the setting's number and nothing running", a.whatsAppNumber, len(a.runners))
		}
	})
	t.Run("nothing is set up when WhatsApp is off", func(t *testing.T) {
		db := storagetest.SQLite(t)
		a := whatsAppApp(t, db, func(*config.Config) {})
		if err := a.openWhatsApp(context.Background(), &bot.Dispatcher{DB: db}); err != nil || len(a.webhooks) != 0 || len(a.runners) != 0 {
			t.Errorf("err %v, %d webhooks, %d runners; want nothing", err, len(a.webhooks), len(a.runners))
		}
	})
}
