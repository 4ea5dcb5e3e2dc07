package telegram_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
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
		call := func(header, body string) (int, []byte) {
			req, _ := http.NewRequest("POST", srv.URL+telegram.WebhookPath, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if header != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", header)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			reply, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, reply
		}
		post := func(header, body string) int {
			code, _ := call(header, body)
			return code
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

		t.Run("a button press is acknowledged at once and its keyboard removed by the response", func(t *testing.T) {
			update := func(id int, u map[string]any) string {
				u["update_id"] = id
				b, _ := json.Marshal(u)
				return string(b)
			}
			if code := post(secret, update(502, telegramtest.TextUpdate(78, "/start "+h.visit()))); code != 200 {
				t.Fatalf("status %d, want 200", code)
			}
			h.settle()
			asked := lastOf(h.api.Sent())
			answered, edits := len(h.api.Answers()), h.api.Calls("editMessageText")
			code, reply := call(secret, update(503, telegramtest.ButtonUpdate(asked, asked.Buttons[0].Data)))
			type webhookCall struct {
				Method    string `json:"method"`
				ChatID    int64  `json:"chat_id"`
				MessageID int    `json:"message_id"`
			}
			var got webhookCall
			if err := json.Unmarshal(reply, &got); code != 200 || err != nil || got != (webhookCall{"editMessageText", 78, asked.MessageID}) {
				t.Fatalf("status %d, body %s; want 200 and message %d shown with its choice, its keyboard removed", code, reply, asked.MessageID)
			}
			if a := h.api.Answers(); len(a) != answered+1 || a[answered] != "" {
				t.Errorf("answers %q, want one more silent acknowledgement, made before the response", a)
			}
			if n := h.api.Calls("editMessageText"); n != edits {
				t.Errorf("the keyboard was removed by %d calls, want only by the response", n-edits)
			}
			if err := h.api.WebhookReply(reply); err != nil {
				t.Fatal(err)
			}
			if e := h.api.Edits(); lastInt(e) != asked.MessageID {
				t.Errorf("edits %v, want the last on message %d", e, asked.MessageID)
			}
			if got, want := h.api.EditedText(asked.MessageID), asked.Text+"\n\n✓ "+asked.Buttons[0].Text; got != want {
				t.Errorf("the question after the press reads %q, want %q: the choice under it", got, want)
			}
			h.settle()
			if next := lastOf(h.api.Sent()); next.MessageID == asked.MessageID || next.Text == asked.Text {
				t.Errorf("the press did not move the survey on: last sent %+v", next)
			}

			press := telegramtest.ButtonUpdate(asked, "not-a-button")
			code, reply = call(secret, update(504, press))
			if err := h.api.WebhookReply(reply); code != 200 || err != nil {
				t.Fatalf("status %d, body %s: %v", code, reply, err)
			}
			if a := h.api.Answers(); lastAnswer(a) != telegram.OldButton {
				t.Errorf("a button that is none was answered %q, want %q", lastAnswer(a), telegram.OldButton)
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

func lastInt(s []int) int {
	if len(s) == 0 {
		return -1
	}
	return s[len(s)-1]
}
