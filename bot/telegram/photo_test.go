package telegram_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A digest's chart is uploaded (sendPhoto, multipart): Telegram's refusals of it are handled
// as those of a text, not retried as an outage.
func TestADigestChartRefusedByTelegramIsHandledAtOnce(t *testing.T) {
	photo := bot.Reply{Text: "📊 Ringkasan SKM", Photo: []byte("\x89PNG\r\n\x1a\nfake chart")}
	cases := []struct {
		name      string
		code      int
		sent      bool   // delivered in the end
		lastError string // of a dropped message
	}{
		{"a chat that blocked the bot is dropped at once", 403, false, "Forbidden: bot was blocked"},
		{"a chat that does not exist is dropped at once", 400, false, "Bad Request: chat not found"},
		{"a flood wait is sent again after retry_after, without counting as a failed try", 429, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				h := newHarness(t, db)
				h.api.Fail("sendPhoto", c.code, 1, 1)
				body, _ := json.Marshal(photo)
				err := db.InTx(context.Background(), func(tx *storage.Tx) error {
					return tx.Enqueue(bot.ChannelTelegram, "42", string(body), time.Now().UnixMilli(), false)
				})
				if err != nil {
					t.Fatal(err)
				}
				h.settle()
				var m struct {
					Sent      bool   `db:"sent"`
					Attempts  int    `db:"attempts"`
					LastError string `db:"last_error"`
				}
				if err := db.Get(&m, "SELECT sent_at IS NOT NULL AS sent, attempts, COALESCE(last_error, '') AS last_error FROM outbox"); err != nil {
					t.Fatal(err)
				}
				calls := 1
				if c.sent {
					calls = 2
				}
				if m.Sent != c.sent || m.Attempts != 1 || !strings.Contains(m.LastError, c.lastError) || h.api.Calls("sendPhoto") != calls {
					t.Errorf("outbox row %+v after %d sendPhoto calls; want sent %v after 1 attempt and %d calls, last error with %q",
						m, h.api.Calls("sendPhoto"), c.sent, calls, c.lastError)
				}
			})
		})
	}
}
