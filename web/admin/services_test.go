package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// A retired service can be restored from its unit's page, with a form that carries the
// session's CSRF token, as a unit can; adding a service of a retired one's code says so.
func TestARetiredServiceIsRestored(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "PKM", Name: "Puskesmas", Agency: "DINKES"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "KIA", Name: "Kesehatan ibu dan anak"}); err != nil {
			t.Fatal(err)
		}
		status, loc, _ := a.post("/admin/units/PKM/services/KIA/retire", nil)
		if status != http.StatusSeeOther {
			t.Fatalf("retire: %d", status)
		}
		if _, _, body := a.get(loc); !strings.Contains(body, "Layanan dinonaktifkan") {
			t.Error("retiring a service does not say so")
		}
		status, _, body := a.post("/admin/units/PKM/services", url.Values{"code": {"KIA"}, "name": {"KIA"}})
		if status != http.StatusConflict || !strings.Contains(body, "Unit ini sudah punya layanan berkode KIA. Layanan itu (Kesehatan ibu dan anak) nonaktif: tekan Aktifkan kembali") {
			t.Errorf("adding KIA again: %d, want 409 pointing to Aktifkan kembali", status)
		}
		// In another case it is the same code, and the same retired service.
		status, _, body = a.post("/admin/units/PKM/services", url.Values{"code": {"kia"}, "name": {"KIA baru"}})
		if status != http.StatusConflict || !strings.Contains(body, "Unit ini sudah punya layanan berkode KIA (huruf besar dan kecil tidak dibedakan). Layanan itu (Kesehatan ibu dan anak) nonaktif") {
			t.Errorf("adding kia: %d, want 409 naming KIA and pointing to Aktifkan kembali", status)
		}
		if ss, err := db.FindServices(ctx, u.ID); err != nil || len(ss) != 1 {
			t.Errorf("services %+v (%v), want KIA alone", ss, err)
		}
		restore := `<form method="post" action="/admin/units/PKM/services/KIA/restore" class="inline"><input type="hidden" name="csrf" value="` + a.csrf + `">`
		if !strings.Contains(body, restore) {
			t.Error("the unit's page has no restore form with the CSRF token for KIA")
		}
		// A unit admin of another agency cannot reach it.
		other, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT", Name: "Samsat", Agency: "BAPENDA"})
		if err != nil {
			t.Fatal(err)
		}
		bapenda := mustUnit(t, db, other.Code)
		var agency int64
		if err := db.Get(&agency, db.Rebind("SELECT id FROM agencies WHERE code = ?"), bapenda.AgencyCode); err != nil {
			t.Fatal(err)
		}
		stranger := a.as(storage.NewAdmin{Username: "bapenda", PasswordHash: "x", Role: storage.RoleUnit, AgencyID: &agency})
		if status, _, _ := stranger.post("/admin/units/PKM/services/KIA/restore", nil); status != http.StatusNotFound {
			t.Errorf("another agency's admin: %d, want 404", status)
		}
		if status, _, _ := a.post("/admin/units/PKM/services/NOPE/restore", nil); status != http.StatusNotFound {
			t.Errorf("an unknown service: %d, want 404", status)
		}
		status, loc, _ = a.post("/admin/units/PKM/services/KIA/restore", nil)
		if status != http.StatusSeeOther || loc != "/admin/units/PKM?ok=service-restored" {
			t.Fatalf("restore: %d → %q", status, loc)
		}
		if sv, err := db.FindServiceByCode(ctx, u.ID, "KIA"); err != nil || sv.Retired() {
			t.Errorf("KIA after the restore: %+v, %v", sv, err)
		}
		if _, _, body := a.get(loc); !strings.Contains(body, "Layanan diaktifkan kembali") || !strings.Contains(body, `<option value="KIA">`) {
			t.Error("after the restore the page neither says so nor offers KIA for a visit QR")
		}
	})
}

// A service is renamed from its unit's page; a name another service of the unit has, in any
// case, is refused when adding or renaming, saying which service has it.
func TestAServiceIsRenamedAndNamesAreTheUnitsOwn(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUK", Name: "Dukcapil"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "AKTA", Name: "Akta Kelahiran"}); err != nil {
			t.Fatal(err)
		}
		status, _, body := a.post("/admin/units/DUK/services", url.Values{"code": {"AKTA2"}, "name": {"akta kelahiran"}})
		if status != http.StatusConflict || !strings.Contains(body, "Layanan AKTA sudah bernama “Akta Kelahiran”") || !strings.Contains(body, `value="AKTA2"`) {
			t.Errorf("a second service of the name: %d, want 409 naming AKTA and the form kept", status)
		}
		if _, _, page := a.get("/admin/units/DUK"); !strings.Contains(page, `action="/admin/units/DUK/services/AKTA/name"`) {
			t.Fatal("the unit's page has no rename form for AKTA")
		}
		status, loc, _ := a.post("/admin/units/DUK/services/AKTA/name", url.Values{"name": {"Akta Kelahiran dan Kematian"}})
		if status != http.StatusSeeOther || loc != "/admin/units/DUK?ok=saved" {
			t.Fatalf("rename: %d → %q", status, loc)
		}
		if sv, _ := db.FindServiceByCode(ctx, u.ID, "AKTA"); sv.Name != "Akta Kelahiran dan Kematian" {
			t.Errorf("renamed to %q", sv.Name)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "KK", Name: "Kartu Keluarga"}); err != nil {
			t.Fatal(err)
		}
		if status, _, body := a.post("/admin/units/DUK/services/KK/name", url.Values{"name": {"AKTA KELAHIRAN DAN KEMATIAN"}}); status != http.StatusConflict || !strings.Contains(body, "Layanan AKTA sudah bernama") {
			t.Errorf("renamed to another's name: %d", status)
		}
		if status, _, _ := a.post("/admin/units/DUK/services/KK/name", url.Values{"name": {"  "}}); status != http.StatusUnprocessableEntity {
			t.Errorf("renamed to nothing: %d, want 422", status)
		}
		if status, _, _ := a.post("/admin/units/DUK/services/NOPE/name", url.Values{"name": {"X"}}); status != http.StatusNotFound {
			t.Errorf("an unknown service: %d, want 404", status)
		}
	})
}
