package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// The units page refuses a new unit whose agency exists under another name, says the name and
// where to change it, and gives back what was typed; the agency's own name, or none, is taken.
func TestANewUnitDoesNotRenameItsAgency(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD-SBY", Name: "RSUD Surabaya", Agency: "DEMO-RSUD", AgencyName: "RSUD Dr. Soetomo"}); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"code": {"PKM-1"}, "name": {"Puskesmas Satu"}, "agency": {"DEMO-RSUD"}, "agency_name": {"Dinas Kesehatan"}, "population": {"1200"}}
		status, _, body := a.post("/admin/units", form)
		if status != http.StatusConflict {
			t.Fatalf("status %d, want 409", status)
		}
		for _, want := range []string{"Instansi DEMO-RSUD sudah ada dengan nama “RSUD Dr. Soetomo”", "Kosongkan nama instansi",
			"Ubah unit → Nama instansi", "/admin/units/RSUD-SBY",
			`value="PKM-1"`, `value="Puskesmas Satu"`, `value="Dinas Kesehatan"`, `value="1200"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if u := mustUnit(t, db, "RSUD-SBY"); u.AgencyName != "RSUD Dr. Soetomo" {
			t.Errorf("the agency was renamed to %q", u.AgencyName)
		}
		if _, err := db.FindUnitByCode(ctx, "PKM-1"); err == nil {
			t.Error("the refused unit was stored")
		}
		for _, name := range []string{"", "RSUD Dr. Soetomo"} {
			form.Set("agency_name", name)
			form.Set("code", "PKM-"+map[string]string{"": "2", "RSUD Dr. Soetomo": "3"}[name])
			if status, _, body := a.post("/admin/units", form); status != http.StatusSeeOther {
				t.Errorf("with agency name %q: %d %.200s", name, status, body)
			}
		}
		if u := mustUnit(t, db, "PKM-3"); u.AgencyName != "RSUD Dr. Soetomo" {
			t.Errorf("agency name %q after the units of its own name", u.AgencyName)
		}
		// In English too.
		form.Set("agency_name", "Dinas Kesehatan")
		form.Set("code", "PKM-4")
		if _, _, body := a.post("/admin/units?lang=en", form); !strings.Contains(body, "Agency DEMO-RSUD already exists, named “RSUD Dr. Soetomo”") {
			t.Error("the English page does not say the agency's name")
		}
	})
}

// A unit's code is one code whatever its case: a code that differs only in case from a
// unit's, retired or not, is refused as taken, naming that unit (and, retired, how to
// restore it); an agency code in another case is refused, naming the agency's.
func TestAUnitCodeInAnotherCaseIsTaken(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "PKM-KEPANJEN", Name: "Puskesmas Kepanjen", Agency: "DINKES"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, path string
			form       url.Values
			says       []string
		}{
			{"an active unit's code in lower case", "/admin/units", url.Values{"code": {"pkm-kepanjen"}, "name": {"Puskesmas"}},
				[]string{"Kode unit pkm-kepanjen sudah dipakai oleh unit PKM-KEPANJEN", `value="pkm-kepanjen"`}},
			{"an agency code in another case", "/admin/units", url.Values{"code": {"PKM-2"}, "name": {"Puskesmas"}, "agency": {"Dinkes"}},
				[]string{"Kode instansi itu sudah dipakai instansi DINKES", `value="PKM-2"`, `value="Dinkes"`}},
			{"an edit to an agency code in another case", "/admin/units/PKM-KEPANJEN", url.Values{"name": {"Puskesmas"}, "agency": {"dinkes"}},
				[]string{"tulis DINKES untuk memakai instansi itu"}},
			{"a retired unit's code", "/admin/units", url.Values{"code": {"Pkm-Kepanjen"}, "name": {"Puskesmas"}},
				[]string{"sudah dipakai oleh unit PKM-KEPANJEN", "Unit PKM-KEPANJEN nonaktif", "Aktifkan kembali"}},
		} {
			if tt.name == "a retired unit's code" {
				if err := db.RetireUnit(ctx, u.ID); err != nil {
					t.Fatal(err)
				}
			}
			status, _, body := a.post(tt.path, tt.form)
			if status != http.StatusConflict {
				t.Errorf("%s: %d, want 409", tt.name, status)
			}
			for _, s := range tt.says {
				if !strings.Contains(body, s) {
					t.Errorf("%s: the page lacks %q", tt.name, s)
				}
			}
		}
		units, err := db.FindUnits(ctx)
		if err != nil || len(units) != 1 || units[0].AgencyCode != "DINKES" {
			t.Errorf("units %+v, %v: want PKM-KEPANJEN alone, of DINKES", units, err)
		}
	})
}
