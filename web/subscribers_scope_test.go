package web

import (
	"context"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// The flow editor's hidden preview unit and a retired unit take no surveys: a subscription
// to either would bring empty digests forever, so it is refused, for a subscriber and for a
// code alike.
func TestSubscribersAPIRefusesHiddenAndRetiredUnits(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		h := subscriberServer(t, db)
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
		for _, tt := range []struct{ unit, want string }{
			{storage.PreviewUnitCode, `not found`},
			{"LAMA", `unit \"LAMA\" is retired`},
		} {
			for _, path := range []string{"/api/v1/subscribers", "/api/v1/subscribers/codes"} {
				body := `{"unit":"` + tt.unit + `"}`
				if path == "/api/v1/subscribers" {
					body = `{"unit":"` + tt.unit + `","channel":"telegram","address":"123456"}`
				}
				if rec := send(h, "POST", path, body); rec.Code != 422 || !strings.Contains(rec.Body.String(), tt.want) {
					t.Errorf("POST %s for %s: %d %s, want 422 saying %s", path, tt.unit, rec.Code, rec.Body, tt.want)
				}
			}
		}
		if subs, err := db.FindSubscribers(ctx); err != nil || len(subs) != 0 {
			t.Errorf("subscribers %+v, %v: want none", subs, err)
		}
		if rec := send(h, "POST", "/api/v1/subscribers", `{"unit":"DUK-MLG","channel":"telegram","address":"123456"}`); rec.Code != 201 {
			t.Errorf("an active unit: %d %s", rec.Code, rec.Body)
		}
	})
}
