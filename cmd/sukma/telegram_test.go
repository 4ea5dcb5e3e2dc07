package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram/telegramtest"
	"sukma/config"
	"sukma/storage/storagetest"
)

const testBotToken = "987654321:AAE-app_test-TOKEN"

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestACitizenCompletesTheSurveyOverTelegram(t *testing.T) {
	// The test answers faster than a person can: Telegram's one message a second per chat
	// would only slow it down.
	telegramLimits.PerChat, telegramLimits.PerChatBurst = 1000, 100
	t.Cleanup(func() { telegramLimits = bot.TelegramLimits })
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			api := telegramtest.New(testBotToken)
			t.Cleanup(api.Close) // after the app stops: its long poll is still open
			app, base := startApp(t, url(t), func(c *config.Config) {
				c.TelegramToken, c.TelegramAPIEndpoint = testBotToken, api.Endpoint()
			})
			c := &client{t: t, base: base, token: app.Config.AdminToken}
			code, body := c.do("POST", "/api/v1/visits", map[string]string{"unit": "DEMO"}, true)
			var v struct {
				Token       string `json:"token"`
				TelegramURL string `json:"telegram_url"`
			}
			if code != 201 || json.Unmarshal(body, &v) != nil {
				t.Fatalf("POST /api/v1/visits = %d %s", code, body)
			}
			if want := "https://t.me/" + api.Username + "?start=" + v.Token; v.TelegramURL != want {
				t.Errorf("telegram_url = %q, want %q", v.TelegramURL, want)
			}

			const chat = 4242
			pending := func() int {
				var n int
				if err := app.DB.Get(&n, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"); err != nil {
					t.Fatal(err)
				}
				return n
			}
			say := func(update map[string]any) telegramtest.Message {
				t.Helper()
				before := len(api.Sent())
				id := api.Push(update)
				waitUntil(t, "update "+strconv.Itoa(id)+" answered", func() bool {
					return api.Confirmed(id) && pending() == 0 && len(api.Sent()) > before
				})
				sent := api.Sent()
				return sent[len(sent)-1]
			}
			asked := say(telegramtest.TextUpdate(chat, "/start "+v.Token))
			for i, answer := range surveyAnswers {
				if n, err := strconv.Atoi(answer); err == nil && n <= len(asked.Buttons) && i%2 == 1 {
					asked = say(telegramtest.ButtonUpdate(asked, asked.Buttons[n-1].Data))
				} else {
					asked = say(telegramtest.TextUpdate(chat, answer))
				}
			}
			if !strings.Contains(asked.Text, "tercatat") {
				t.Errorf("last message = %q, want the thank-you", asked.Text)
			}
			var n int
			if err := app.DB.Get(&n, "SELECT COUNT(*) FROM responses WHERE status = 'complete'"); err != nil || n != 1 {
				t.Errorf("%d complete responses (%v), want 1", n, err)
			}
			if len(api.Answers()) == 0 {
				t.Error("no button press was acknowledged")
			}
		})
	}
}

func TestTelegramAtStartUp(t *testing.T) {
	t.Run("a token Telegram refuses stops the start with a line naming SUKMA_TELEGRAM_TOKEN", func(t *testing.T) {
		api := telegramtest.New(testBotToken)
		defer api.Close()
		cfg := config.Default()
		cfg.DatabaseURL, cfg.HTTPAddr = storagetest.SQLiteURL(t), "127.0.0.1:0"
		cfg.TelegramToken, cfg.TelegramAPIEndpoint = "111:wrong", api.Endpoint()
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		_, err := Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), "SUKMA_TELEGRAM_TOKEN (telegram_token): ") || strings.Contains(err.Error(), "111:wrong") {
			t.Errorf("Open = %v, want a refusal naming SUKMA_TELEGRAM_TOKEN without the token", err)
		}
	})

	t.Run("an unreachable Telegram does not stop the start", func(t *testing.T) {
		down := telegramtest.New(testBotToken)
		down.Close()
		_, base := startApp(t, storagetest.SQLiteURL(t), func(c *config.Config) {
			c.TelegramToken, c.TelegramAPIEndpoint = testBotToken, down.Endpoint()
		})
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET /healthz = %d, want 200", resp.StatusCode)
		}
	})

	t.Run("visits get t.me links once a Telegram that was down at start answers", func(t *testing.T) {
		api := telegramtest.New(testBotToken)
		t.Cleanup(api.Close)
		api.Fail("getMe", 502, 0, 2) // down at start and at the first retry; the next, 2 s on, gets through
		app, base := startApp(t, storagetest.SQLiteURL(t), func(c *config.Config) {
			c.TelegramToken, c.TelegramAPIEndpoint = testBotToken, api.Endpoint()
		})
		c := &client{t: t, base: base, token: app.Config.AdminToken}
		link := func() string {
			code, body := c.do("POST", "/api/v1/visits", map[string]string{"unit": "DEMO"}, true)
			var v struct {
				TelegramURL string `json:"telegram_url"`
			}
			if code != 201 || json.Unmarshal(body, &v) != nil {
				t.Fatalf("POST /api/v1/visits = %d %s", code, body)
			}
			return v.TelegramURL
		}
		if l := link(); l != "" {
			t.Errorf("telegram_url = %q before the bot's name is known, want none", l)
		}
		waitUntil(t, "a t.me link", func() bool { return strings.HasPrefix(link(), "https://t.me/"+api.Username+"?start=") })
	})

	t.Run("webhook mode registers the webhook with its secret and guards it", func(t *testing.T) {
		api := telegramtest.New(testBotToken)
		t.Cleanup(api.Close)
		const secret = "hook-secret"
		_, base := startApp(t, storagetest.SQLiteURL(t), func(c *config.Config) {
			c.TelegramToken, c.TelegramAPIEndpoint = testBotToken, api.Endpoint()
			c.TelegramMode, c.TelegramWebhookSecret = "webhook", secret
			c.PublicURL = "https://survei.example.go.id"
		})
		waitUntil(t, "setWebhook", func() bool { return api.Webhook() != nil })
		if w := api.Webhook(); w["url"] != "https://survei.example.go.id/telegram/webhook" || w["secret_token"] != secret {
			t.Errorf("setWebhook got %v", w)
		}
		update := `{"update_id":9,"message":{"message_id":1,"date":1764147600,"from":{"id":5,"is_bot":false,"first_name":"A"},"chat":{"id":5,"type":"private"},"text":"/start"}}`
		for _, c := range []struct {
			secret string
			want   int
		}{{"", 403}, {"nope", 403}, {secret, 200}} {
			req, _ := http.NewRequest("POST", base+"/telegram/webhook", strings.NewReader(update))
			if c.secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", c.secret)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("POST /telegram/webhook with secret %q = %d, want %d", c.secret, resp.StatusCode, c.want)
			}
		}
		waitUntil(t, "the help sent", func() bool { return len(api.Sent()) == 1 })
		if api.Calls("getUpdates") != 0 {
			t.Error("webhook mode polled for updates")
		}
	})
}
