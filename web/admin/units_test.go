package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestAUnitsPopulationIsBounded(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{})
	for pop, want := range map[string]int{"2000000000": 422, "-1": 422, "1000000000": 303} {
		status, _, body := a.post("/admin/units", url.Values{"code": {"U" + strconv.Itoa(len(pop))}, "name": {"Unit"}, "population": {pop}})
		if status != want || (want == 422 && !strings.Contains(body, "Populasi harus bilangan bulat dari 0 sampai 1.000.000.000")) {
			t.Errorf("population %q: %d, want %d", pop, status, want)
		}
	}
}

// PostgreSQL refuses NUL characters and broken UTF-8 in text: a form holding them is
// answered 400 with what to fix, on both databases, before any handler stores it.
func TestAFormWithANULCharacterIsRefused(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		for _, name := range []string{"Samsat\x00", "Samsat \xff"} {
			status, _, body := a.post("/admin/units", url.Values{"code": {"SAMSAT"}, "name": {name}})
			if status != http.StatusBadRequest || !strings.Contains(body, "karakter NUL") {
				t.Errorf("unit name %q: %d, want 400 saying what is wrong", name, status)
			}
		}
		if status, _, _ := a.post("/admin/units", url.Values{"code": {"SAMSAT"}, "name": {"Samsat"}}); status != http.StatusSeeOther {
			t.Errorf("the same form without them: %d, want 303", status)
		}
	})
}

// Saving a unit names its agency by code only, unless a province admin gives the name: the
// agency keeps the name it has, and a unit admin cannot rename it.
func TestSavingAUnitKeepsItsAgencysName(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		prov := newTestAdmin(t, db, Deps{})
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT", Name: "Samsat", Agency: "BAPENDA", AgencyName: "Badan Pendapatan Daerah"}); err != nil {
			t.Fatal(err)
		}
		var agency int64
		if err := db.Get(&agency, db.Rebind("SELECT id FROM agencies WHERE code = ?"), "BAPENDA"); err != nil {
			t.Fatal(err)
		}
		unitAdmin := prov.as(storage.NewAdmin{Username: "bapenda", PasswordHash: "x", Role: storage.RoleUnit, AgencyID: &agency})
		agencyName := func() string {
			t.Helper()
			u, err := db.FindUnitByCode(ctx, "SAMSAT")
			if err != nil {
				t.Fatal(err)
			}
			return u.AgencyName
		}
		for _, tt := range []struct {
			name  string
			admin *testAdmin
			form  url.Values
			want  string
		}{
			{"a unit admin's edit keeps the name", unitAdmin,
				url.Values{"name": {"Samsat Kota"}, "population": {"5000"}}, "Badan Pendapatan Daerah"},
			{"a unit admin cannot rename the agency", unitAdmin,
				url.Values{"name": {"Samsat Kota"}, "agency_name": {"Dirusak"}}, "Badan Pendapatan Daerah"},
			{"a new unit of the agency keeps the name", unitAdmin,
				url.Values{"code": {"SAMSAT2"}, "name": {"Samsat Dua"}}, "Badan Pendapatan Daerah"},
			{"a province admin renames it", prov,
				url.Values{"name": {"Samsat Kota"}, "agency": {"BAPENDA"}, "agency_name": {"Bapenda Jatim"}}, "Bapenda Jatim"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				path := "/admin/units/SAMSAT"
				if tt.form.Has("code") {
					path = "/admin/units"
				}
				if status, _, body := tt.admin.post(path, tt.form); status != http.StatusSeeOther {
					t.Fatalf("status %d: %s", status, body)
				}
				if got := agencyName(); got != tt.want {
					t.Errorf("agency name %q, want %q", got, tt.want)
				}
			})
		}
		if status, _, body := prov.post("/admin/units", url.Values{"code": {"X"}, "name": {"X"}, "agency_name": {"Tanpa kode"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Nama instansi perlu kode instansinya") {
			t.Errorf("an agency name without a code: %d", status)
		}
	})
}

// A form naming an agency id that does not exist (a stale page, a crafted post) is answered
// 422 with what is wrong, not a 500 from the database's foreign key.
func TestAnUnknownAgencyIsRefused(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		for path, form := range map[string]url.Values{
			"/admin/admins":            {"username": {"ua1"}, "password": {"Passw0rd-long"}, "role": {"unit"}, "agency": {"99999"}},
			"/admin/subscribers":       {"scope": {"agency:99999"}, "channel": {"telegram"}, "address": {"123"}},
			"/admin/subscribers/codes": {"scope": {"agency:99999"}},
		} {
			if status, _, body := a.post(path, form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Instansi tidak ditemukan") {
				t.Errorf("POST %s: %d, want 422 saying the agency is not found", path, status)
			}
		}
	})
}

// Names are at most 200 characters, counted as characters: 150 × "é" (300 bytes) is a
// name, 201 characters are not. A service's name has the same limit.
func TestNamesAreCountedInCharacters(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		for _, tt := range []struct {
			name, path string
			form       url.Values
			want       int
		}{
			{"a unit of 150 × é", "/admin/units", url.Values{"code": {"RSUD"}, "name": {strings.Repeat("é", 150)}}, http.StatusSeeOther},
			{"a unit of 200 × é", "/admin/units", url.Values{"code": {"RSUD2"}, "name": {strings.Repeat("é", 200)}}, http.StatusSeeOther},
			{"a unit of 201 × é", "/admin/units", url.Values{"code": {"RSUD3"}, "name": {strings.Repeat("é", 201)}}, http.StatusUnprocessableEntity},
			{"an agency of 200 × é", "/admin/units", url.Values{"code": {"RSUD4"}, "name": {"RSUD"}, "agency": {"DINKES"}, "agency_name": {strings.Repeat("é", 200)}}, http.StatusSeeOther},
			{"an agency of 201 × é", "/admin/units", url.Values{"code": {"RSUD5"}, "name": {"RSUD"}, "agency": {"DINKES"}, "agency_name": {strings.Repeat("é", 201)}}, http.StatusUnprocessableEntity},
			{"a unit renamed to 150 × é", "/admin/units/RSUD2", url.Values{"name": {strings.Repeat("é", 150)}}, http.StatusSeeOther},
			{"a service of 200 × é", "/admin/units/RSUD/services", url.Values{"code": {"IGD"}, "name": {strings.Repeat("é", 200)}}, http.StatusSeeOther},
			{"a service of 201 × é", "/admin/units/RSUD/services", url.Values{"code": {"RANAP"}, "name": {strings.Repeat("é", 201)}}, http.StatusUnprocessableEntity},
			{"a service of 100,000 characters", "/admin/units/RSUD/services", url.Values{"code": {"POLI"}, "name": {strings.Repeat("x", 100000)}}, http.StatusUnprocessableEntity},
		} {
			status, _, body := a.post(tt.path, tt.form)
			if status != tt.want || (tt.want == http.StatusUnprocessableEntity && !strings.Contains(body, "paling panjang 200 karakter")) {
				t.Errorf("%s: %d, want %d", tt.name, status, tt.want)
			}
		}
		svcs, err := db.FindServices(context.Background(), mustUnit(t, db, "RSUD").ID)
		if err != nil || len(svcs) != 1 || svcs[0].Code != "IGD" {
			t.Errorf("services %+v, %v: want only IGD", svcs, err)
		}
	})
}

func mustUnit(t *testing.T, db *storage.DB, code string) storage.Unit {
	t.Helper()
	u, err := db.FindUnitByCode(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// A name shows as it is written (storage.CheckName): invisible characters at its ends are
// dropped, a name of nothing else is refused as empty, and bidi overrides and isolates, which
// would show it backwards, are refused anywhere.
func TestANameMustShowAsItIsWritten(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		const direction, empty = "pengatur arah teks", "wajib diisi"
		for _, tt := range []struct {
			name, path string
			form       url.Values
			want       int
			says       string
		}{
			{"a unit named with only an override and zero-width spaces", "/admin/units", url.Values{"code": {"X1"}, "name": {"\u202e\u200b\u200b"}}, http.StatusUnprocessableEntity, direction},
			{"a unit named with only zero-width spaces", "/admin/units", url.Values{"code": {"X2"}, "name": {"\u200b\u200b"}}, http.StatusUnprocessableEntity, empty},
			{"a unit with an override inside its name", "/admin/units", url.Values{"code": {"X3"}, "name": {"Samsat \u202eayabaruS"}}, http.StatusUnprocessableEntity, direction},
			{"an agency named with an isolate", "/admin/units", url.Values{"code": {"X4"}, "name": {"X"}, "agency": {"A"}, "agency_name": {"Dinas\u2066"}}, http.StatusUnprocessableEntity, direction},
			{"a unit with invisible ends", "/admin/units", url.Values{"code": {"X5"}, "name": {"\u200bSamsat\ufeff"}}, http.StatusSeeOther, ""},
			{"a unit renamed with an override", "/admin/units/X5", url.Values{"name": {"\u202eSamsat"}}, http.StatusUnprocessableEntity, direction},
			{"a service named with only an override and zero-width spaces", "/admin/units/X5/services", url.Values{"code": {"S1"}, "name": {"\u202e\u200b\u200b"}}, http.StatusUnprocessableEntity, direction},
			{"a service named with only zero-width spaces", "/admin/units/X5/services", url.Values{"code": {"S2"}, "name": {"\u200b"}}, http.StatusUnprocessableEntity, "Nama layanan wajib diisi"},
			{"a service with invisible ends", "/admin/units/X5/services", url.Values{"code": {"S3"}, "name": {"\u2060KTP\u200b"}}, http.StatusSeeOther, ""},
		} {
			status, _, body := a.post(tt.path, tt.form)
			if status != tt.want || !strings.Contains(body, tt.says) {
				t.Errorf("%s: %d, want %d saying %q", tt.name, status, tt.want, tt.says)
			}
		}
		u := mustUnit(t, db, "X5")
		svcs, err := db.FindServices(context.Background(), u.ID)
		if u.Name != "Samsat" || err != nil || len(svcs) != 1 || svcs[0].Name != "KTP" {
			t.Errorf("unit %+q with services %+v, %v: want Samsat with only KTP", u.Name, svcs, err)
		}
	})
}
