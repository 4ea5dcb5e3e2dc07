package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// The hidden preview unit and retired units take no surveys: the subscribers page refuses to
// follow them, for a subscriber and for a code alike.
func TestSubscribersCannotFollowHiddenOrRetiredUnits(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		if _, err := db.PreviewUnit(ctx); err != nil {
			t.Fatal(err)
		}
		old, err := db.CreateUnit(ctx, storage.NewUnit{Code: "LAMA", Name: "Unit lama"})
		if err == nil {
			err = db.RetireUnit(ctx, old.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		for code, want := range map[string]string{storage.PreviewUnitCode: "Unit tidak ditemukan.", "LAMA": "Unit lama nonaktif"} {
			for _, path := range []string{"/admin/subscribers", "/admin/subscribers/codes"} {
				status, _, body := a.post(path, url.Values{"scope": {"unit:" + code}, "channel": {"telegram"}, "address": {"123456"}})
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
					t.Errorf("POST %s for %s: %d, want 422 saying %q", path, code, status, want)
				}
			}
		}
		if subs, err := db.FindSubscribers(ctx); err != nil || len(subs) != 0 {
			t.Errorf("subscribers %+v, %v: want none", subs, err)
		}
	})
}

// A head added on the subscribers page is told at once what the messages are and how to
// stop them, in the subscription's language.
func TestASubscriberAddedOnThePageIsWelcomed(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD", Name: "RSUD Kota"}); err != nil {
			t.Fatal(err)
		}
		if status, _, page := a.post("/admin/subscribers", url.Values{"scope": {"unit:RSUD"}, "channel": {"whatsapp"}, "address": {"6281234567890"},
			"schedule": {"0 7 * * 1"}, "language": {"id"}}); status != http.StatusSeeOther {
			t.Fatalf("subscribe: %d %.300s", status, page)
		}
		var body string
		if err := db.QueryRowx(db.Rebind("SELECT body FROM outbox WHERE chat_id = ?"), "6281234567890").Scan(&body); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"Admin SKM mendaftarkan percakapan ini", "untuk RSUD Kota setiap Senin pukul 07.00", "Untuk berhenti, kirim /berhenti."} {
			if !strings.Contains(body, w) {
				t.Errorf("welcome lacks %q: %s", w, body)
			}
		}
	})
}
