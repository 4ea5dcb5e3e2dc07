package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"sukma/storage"
)

// The dashboard's unit, agency and service filters take a code in any case, as the API and
// every other page do, and name it as stored; so do its downloads.
func TestTheDashboardsFiltersIgnoreCase(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		duk, _, _ := headUnits(t, db)
		sv, err := db.CreateService(context.Background(), storage.NewService{UnitID: duk.ID, Code: "KTP-EL", Name: "KTP elektronik"})
		if err != nil {
			t.Fatal(err)
		}
		addResponse(t, db, duk.ID, &sv.ID, 20261119, 4)
		a := newTestAdmin(t, db, Deps{})
		for _, tt := range []struct{ query, respondents, selected string }{
			{"period=2026-11&unit=duk", "3", `<option value="DUK" selected>`},
			{"period=2026-11&agency=dinkes", "4", `<option value="DINKES" selected>`},
			{"period=2026-11&unit=Duk&service=ktp-el", "1", `<option value="KTP-EL" selected>`},
		} {
			status, _, body := a.get("/admin/?" + tt.query)
			_, respondents, _, notes := shown(t, body)
			if status != http.StatusOK || notes != nil || respondents != tt.respondents || !strings.Contains(body, tt.selected) {
				t.Errorf("%s: %d, notes %q, %s respondents, chosen %v; want no note, %s, and %s", tt.query, status, notes, respondents,
					strings.Contains(body, tt.selected), tt.respondents, tt.selected)
			}
		}
		for _, tt := range []struct {
			query string
			rows  int
		}{{"period=2026-11&unit=duk", 3}, {"period=2026-11&agency=dinkes", 4}, {"period=2026-11&unit=duk&service=ktp-el", 1}} {
			status, _, body := a.get("/admin/export/responses.csv?" + tt.query)
			if status != http.StatusOK || strings.Count(body, "\n") != tt.rows+1 {
				t.Errorf("the download of %s: %d, %d lines, want the header and %d rows", tt.query, status, strings.Count(body, "\n"), tt.rows)
			}
		}
	})
}
