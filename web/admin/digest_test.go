package admin

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/digest"
	"sukma/storage"
)

func TestATestDigestIsQueuedForOneSubscriber(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 2, Months: 2, Responses: 10, Seed: 3, Now: time.Now(), Location: jakarta}); err != nil {
			t.Fatal(err)
		}
		a := newTestAdmin(t, db, Deps{})
		one, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: "111222333", Schedule: digest.DefaultSchedule, Language: "id"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "whatsapp", Address: "6281234567890", Schedule: "0 7 * * *", Language: "en"}); err != nil {
			t.Fatal(err)
		}

		_, _, page := a.get("/admin/subscribers")
		if !strings.Contains(page, "/admin/subscribers/"+strconv.FormatInt(one.ID, 10)+"/digest") || !strings.Contains(page, "Kirim ringkasan uji sekarang") {
			t.Fatalf("no send button on the subscribers page")
		}
		status, loc, _ := a.post("/admin/subscribers/"+strconv.FormatInt(one.ID, 10)+"/digest", nil)
		if status != http.StatusSeeOther || loc != "/admin/subscribers?ok=digest" {
			t.Fatalf("send: %d %s", status, loc)
		}
		_, _, page = a.get(loc)
		if !strings.Contains(page, "Ringkasan uji masuk antrean kirim") {
			t.Error("no flash message after sending")
		}
		count := func(address string) (n int) {
			t.Helper()
			if err := db.QueryRowx(db.Rebind(`SELECT COUNT(*) FROM outbox WHERE chat_id = ?`), address).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count("111222333"); n == 0 {
			t.Error("no digest in the outbox for the subscriber")
		}
		if n := count("6281234567890"); n != 0 {
			t.Errorf("%d outbox rows for the other subscriber", n)
		}
		var body string
		if err := db.QueryRowx(db.Rebind(`SELECT body FROM outbox WHERE chat_id = ? ORDER BY id DESC LIMIT 1`), "111222333").Scan(&body); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(body, "IKM") {
			t.Errorf("the digest's text: %.300s", body)
		}
		// Sent again on request: a test digest is a manual resend.
		before := count("111222333")
		a.post("/admin/subscribers/"+strconv.FormatInt(one.ID, 10)+"/digest", nil)
		if count("111222333") != 2*before {
			t.Errorf("a second press queued %d rows, want %d", count("111222333")-before, before)
		}
		if status, _, _ := a.post("/admin/subscribers/999999/digest", nil); status != http.StatusNotFound {
			t.Errorf("an unknown subscriber: %d", status)
		}
	})
}
