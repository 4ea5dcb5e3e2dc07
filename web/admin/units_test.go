package admin

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

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
