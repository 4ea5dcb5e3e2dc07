package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/digest"
	"sukma/storage"
)

// A form refused for one wrong field comes back with every other field as it was posted:
// nothing typed or chosen has to be typed or chosen again.
func TestARefusedFormKeepsWhatWasPosted(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		for _, u := range []storage.NewUnit{
			{Code: "SAMSAT", Name: "Samsat", Agency: "BAPENDA"},
			{Code: "RSUD", Name: "RSUD", Agency: "DINKES"},
		} {
			if _, err := db.CreateUnit(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		agencies, err := db.ListAgencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var dinkes int64
		for _, ag := range agencies {
			if ag.Code == "DINKES" {
				dinkes = ag.ID
			}
		}
		shows := func(t *testing.T, body string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("the form does not show %s", w)
				}
			}
		}

		t.Run("an account with too short a password keeps its agency and role", func(t *testing.T) {
			status, _, body := a.post("/admin/admins", url.Values{"username": {"dinkes1"}, "password": {"pendek"}, "role": {"unit"}, "agency": {fmt.Sprint(dinkes)}})
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", status)
			}
			shows(t, body, `value="dinkes1"`, `<option value="unit" selected>`, fmt.Sprintf(`<option value="%d" selected>DINKES`, dinkes))
		})
		t.Run("a subscriber with a wrong number keeps every field", func(t *testing.T) {
			status, _, body := a.post("/admin/subscribers", url.Values{"scope": {"unit:RSUD"}, "channel": {"whatsapp"}, "address": {"0812-34"},
				"schedule": {"0 7 1 * *"}, "language": {"en"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "WhatsApp: isi nomor") {
				t.Fatalf("status %d", status)
			}
			shows(t, body, `<option value="unit:RSUD" selected>`, `<option value="whatsapp" selected>`, `value="0812-34"`,
				`<option value="0 7 1 * *" selected>`, `<option value="en" selected>`)
			if strings.Contains(body, `name="alerts" value="1" checked`) {
				t.Error("the alerts box, left unticked, comes back ticked")
			}
		})
		t.Run("a fresh subscribers page has the defaults", func(t *testing.T) {
			_, _, body := a.get("/admin/subscribers")
			shows(t, body, `name="alerts" value="1" checked`)
			if all, weekly := strings.Count(body, " selected>"), strings.Count(body, `value="`+digest.DefaultSchedule+`" selected>`); all != weekly || all == 0 {
				t.Errorf("a fresh page has %d options chosen, %d of them the weekly schedule: want only that", all, weekly)
			}
		})
		t.Run("a service with a bad code keeps its name", func(t *testing.T) {
			status, _, body := a.post("/admin/units/RSUD/services", url.Values{"code": {"POLI ANAK"}, "name": {"Poli anak"}})
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", status)
			}
			shows(t, body, `value="POLI ANAK"`, `value="Poli anak"`)
		})
	})
}
