package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// Every refusal of the subscriber and code forms comes back with every field as the admin
// chose it: the channel, the address as typed, what it follows, the schedule, the language
// and the alerts box. A number already subscribed came back as a fresh form (Telegram, no
// address, the whole province, weekly, Indonesian).
func TestEveryRefusedSubscriberFormKeepsItsFields(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD", Name: "RSUD", Agency: "DINKES"}); err != nil {
			t.Fatal(err)
		}
		old, err := db.CreateUnit(ctx, storage.NewUnit{Code: "LAMA", Name: "Unit lama", Agency: "DINKES"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RetireUnit(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		agencies, err := db.ListAgencies(ctx)
		if err != nil || len(agencies) != 1 {
			t.Fatalf("agencies %+v, %v", agencies, err)
		}
		dinkes := fmt.Sprintf("agency:%d", agencies[0].ID)
		a := newTestAdmin(t, db, Deps{})
		if status, _, page := a.post("/admin/subscribers", url.Values{"scope": {dinkes}, "channel": {"whatsapp"}, "address": {"6281234567890"},
			"schedule": {"0 7 1 * *"}, "language": {"id"}, "alerts": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("the first subscription: %d %.300s", status, page)
		}

		for _, tt := range []struct {
			name, path string
			form       url.Values
			status     int
			says       string
			// shown is what the page shows of the form; a scope or schedule the form cannot
			// offer (a retired unit, a schedule of no option) is not among them.
			shown []string
		}{
			{"a number already subscribed, written as a local number", "/admin/subscribers",
				url.Values{"scope": {dinkes}, "channel": {"whatsapp"}, "address": {"0812 3456 7890"}, "schedule": {"0 7 * * *"}, "language": {"en"}},
				http.StatusConflict, "sudah berlangganan ringkasan yang sama",
				[]string{`<option value="whatsapp" selected>`, `value="0812 3456 7890"`, `<option value="` + dinkes + `" selected>`,
					`<option value="0 7 * * *" selected>`, `<option value="en" selected>`}},
			{"a Telegram chat id that is not a number", "/admin/subscribers",
				url.Values{"scope": {"unit:RSUD"}, "channel": {"telegram"}, "address": {"@kepala"}, "schedule": {"0 7 * * *"}, "language": {"en"}, "alerts": {"1"}},
				http.StatusUnprocessableEntity, "Telegram: isi chat id",
				[]string{`value="@kepala"`, `<option value="unit:RSUD" selected>`, `<option value="0 7 * * *" selected>`,
					`<option value="en" selected>`, `name="alerts" value="1" checked`}},
			{"a WhatsApp number too short", "/admin/subscribers",
				url.Values{"scope": {dinkes}, "channel": {"whatsapp"}, "address": {"0812"}, "schedule": {"0 7 1 * *"}, "language": {"en"}},
				http.StatusUnprocessableEntity, "WhatsApp: isi nomor",
				[]string{`<option value="whatsapp" selected>`, `value="0812"`, `<option value="` + dinkes + `" selected>`,
					`<option value="0 7 1 * *" selected>`, `<option value="en" selected>`}},
			{"a retired unit", "/admin/subscribers",
				url.Values{"scope": {"unit:LAMA"}, "channel": {"whatsapp"}, "address": {"0812 1111 2222"}, "schedule": {"0 7 * * *"}, "language": {"en"}},
				http.StatusUnprocessableEntity, "nonaktif",
				[]string{`<option value="whatsapp" selected>`, `value="0812 1111 2222"`, `<option value="0 7 * * *" selected>`, `<option value="en" selected>`}},
			{"an unknown agency", "/admin/subscribers",
				url.Values{"scope": {"agency:999999"}, "channel": {"whatsapp"}, "address": {"0812 1111 2222"}, "schedule": {"0 7 * * *"}, "language": {"en"}},
				http.StatusUnprocessableEntity, "Instansi tidak ditemukan",
				[]string{`<option value="whatsapp" selected>`, `value="0812 1111 2222"`, `<option value="0 7 * * *" selected>`, `<option value="en" selected>`}},
			{"a schedule that is no cron expression", "/admin/subscribers",
				url.Values{"scope": {"unit:RSUD"}, "channel": {"whatsapp"}, "address": {"0812 1111 2222"}, "schedule": {"setiap hari"}, "language": {"en"}},
				http.StatusUnprocessableEntity, "Jadwal tidak dikenal",
				[]string{`<option value="whatsapp" selected>`, `value="0812 1111 2222"`, `<option value="unit:RSUD" selected>`, `<option value="en" selected>`}},
			{"a code for a retired unit", "/admin/subscribers/codes",
				url.Values{"scope": {"unit:LAMA"}, "schedule": {"0 7 * * *"}, "language": {"en"}},
				http.StatusUnprocessableEntity, "nonaktif",
				[]string{`<option value="0 7 * * *" selected>`, `<option value="en" selected>`}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, _, page := a.post(tt.path, tt.form)
				if status != tt.status || !strings.Contains(page, tt.says) {
					t.Fatalf("%d, want %d saying %q; page %.300s", status, tt.status, tt.says, page)
				}
				for _, want := range tt.shown {
					if !strings.Contains(page, want) {
						t.Errorf("the form does not show %s", want)
					}
				}
				if ticked := strings.Contains(page, `name="alerts" value="1" checked`); ticked != (tt.form.Get("alerts") != "") {
					t.Errorf("the alerts box is ticked: %v, posted %q", ticked, tt.form.Get("alerts"))
				}
			})
		}
		if subs, err := db.FindSubscribers(ctx); err != nil || len(subs) != 1 {
			t.Errorf("%d subscribers, %v; want the first alone", len(subs), err)
		}
	})
}
