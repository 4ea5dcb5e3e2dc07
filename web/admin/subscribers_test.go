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
