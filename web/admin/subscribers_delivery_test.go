package admin

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/storage"
)

// The list of subscribers says what became of each one's newest digest or alert: an admin
// sees a head who blocked the bot, or a wrong chat id, without reading the server's log.
func TestSubscribersShowTheirLastDelivery(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 7, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := newTestAdmin(t, db, Deps{})
		ids := map[string]int64{}
		for _, addr := range []string{"1001", "1002", "1003", "1004", "1005"} {
			sub, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: addr, Schedule: "0 7 * * 1", Language: "id"})
			if err != nil {
				t.Fatal(err)
			}
			ids[addr] = sub.ID
		}
		at := now.UnixMilli()
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			// 1001: an older digest failed, the newest was sent; 1002: given up; 1003: being
			// retried; 1004: just queued; 1005: nothing yet. A survey reply in 1002's chat is
			// not the subscriber's.
			for _, m := range []struct {
				addr, set string
			}{
				{"1001", "failed_at = 1, last_error = 'lama'"}, {"1001", "sent_at = " + fmt.Sprint(at)},
				{"1002", "failed_at = " + fmt.Sprint(at) + ", last_error = 'telegram: 403 Forbidden: bot was blocked by the user'"},
				{"1003", "attempts = 3, last_error = 'platform unreachable'"}, {"1004", ""},
			} {
				if err := tx.EnqueueForSubscriber(ids[m.addr], "telegram", m.addr, `{"text":"Ringkasan"}`, at); err != nil {
					return err
				}
				if m.set != "" {
					if _, err := tx.ExecContext(ctx, "UPDATE outbox SET "+m.set+" WHERE id = (SELECT MAX(id) FROM outbox)"); err != nil {
						return err
					}
				}
			}
			return tx.Enqueue("telegram", "1002", `{"text":"Pertanyaan survei"}`, at, false)
		})
		if err != nil {
			t.Fatal(err)
		}
		_, _, body := a.get("/admin/subscribers")
		cell := func(addr string) string {
			m := regexp.MustCompile(fmt.Sprintf(`(?s)id="delivery-%d">(.*?)</td>`, ids[addr])).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no delivery cell for %s in\n%s", addr, body)
			}
			return m[1]
		}
		for addr, want := range map[string][]string{
			"1001": {"✓ terkirim 07-12-2026 14:00"},
			"1002": {"⚠ tidak terkirim 07-12-2026 14:00", "bot was blocked by the user"},
			"1003": {"⏳ menunggu, sudah dicoba 3 kali", "platform unreachable"},
			"1004": {"⏳ dalam antrean sejak 07-12-2026 14:00"},
			"1005": {"belum ada"},
		} {
			got := cell(addr)
			for _, w := range want {
				if !strings.Contains(got, w) {
					t.Errorf("%s: %q lacks %q", addr, got, w)
				}
			}
		}
		if strings.Contains(cell("1001"), "lama") {
			t.Error("1001 shows its older failure, not its newest digest")
		}
	})
}
