package telegram_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sukma/bot/telegram"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestTheWebhook(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		const secret = "s3cret-webhook"
		mux := http.NewServeMux()
		mux.Handle("POST "+telegram.WebhookPath, h.a.Webhook(secret))
		srv := httptest.NewServer(mux)
		defer srv.Close()
		post := func(header, body string) int {
			req, _ := http.NewRequest("POST", srv.URL+telegram.WebhookPath, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if header != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		start := `{"update_id":501,"message":{"message_id":1,"date":1764147600,"from":{"id":77,"is_bot":false,"first_name":"Sri"},"chat":{"id":77,"type":"private"},"text":"/start"}}`

		for _, c := range []struct {
			name, header, body string
			want               int
		}{
			{"a request without the secret is refused", "", start, 403},
			{"a request with a wrong secret is refused", "wrong", start, 403},
			{"a request with a secret that only starts right is refused", secret[:4], start, 403},
			{"a body that is not an update is a bad request", secret, "{not json", 400},
		} {
			t.Run(c.name, func(t *testing.T) {
				if got := post(c.header, c.body); got != c.want {
					t.Errorf("status %d, want %d", got, c.want)
				}
				if n := h.count("SELECT COUNT(*) FROM inbound_events") + h.count("SELECT COUNT(*) FROM outbox"); n != 0 {
					t.Errorf("%d rows stored, want none", n)
				}
			})
		}

		t.Run("an update with the secret is stored before the 200, and once", func(t *testing.T) {
			for range 2 {
				if got := post(secret, start); got != 200 {
					t.Fatalf("status %d, want 200", got)
				}
			}
			if n := h.count("SELECT COUNT(*) FROM outbox"); n != 1 {
				t.Errorf("%d replies stored, want the help once", n)
			}
			h.settle()
			if sent := h.api.Sent(); len(sent) != 1 || sent[0].ChatID != 77 {
				t.Errorf("sent %+v, want the help to chat 77", sent)
			}
		})

		t.Run("the webhook is registered with its secret", func(t *testing.T) {
			if err := h.a.SetWebhook(context.Background(), "https://survei.example.go.id"+telegram.WebhookPath, secret); err != nil {
				t.Fatal(err)
			}
			if w := h.api.Webhook(); w["url"] != "https://survei.example.go.id/telegram/webhook" || w["secret_token"] != secret {
				t.Errorf("setWebhook got %v", w)
			}
		})
	})
}
