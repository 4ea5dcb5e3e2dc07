package admin

import (
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
	for pop, want := range map[string]int{"2000000000": 422, "-1": 422, "satu": 422, "1000000000": 303} {
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
