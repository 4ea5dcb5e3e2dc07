package admin

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// fuzzPages are the admin pages that read what the admin sends: a form, or a query.
var fuzzPages = []struct{ method, path string }{
	{"POST", "/admin/units"},
	{"POST", "/admin/units/DEMO"},
	{"POST", "/admin/units/DEMO/services"},
	{"POST", "/admin/units/DEMO/visit"},
	{"POST", "/admin/flows/f1"},
	{"POST", "/admin/flows/f1/form"},
	{"POST", "/admin/flows/f1/validate"},
	{"POST", "/admin/admins"},
	{"POST", "/admin/subscribers"},
	{"POST", "/admin/subscribers/codes"},
	{"POST", "/admin/password"},
	{"GET", "/admin/"},
	{"GET", "/admin/export/responses.csv"},
	{"GET", "/admin/export/report.xlsx"},
}

// Whatever a signed-in admin submits, the page answers: a page, a redirect or a 4xx that
// says what is wrong, never a 5xx.
func FuzzAdminForm(f *testing.F) {
	for i, form := range []string{
		"code=X1&name=Unit+X&agency=A&population=100",
		"name=Unit+Demo&agency=&population=1000000001",
		"code=S1&name=Layanan",
		"service=",
		"action=save&source=id%3A+f1%0A",
		"title=Survei&q.0.id=u1&q.0.kind=scale",
		"source=%00%ff",
		"username=budi&password=rahasia-sekali&role=unit&unit=DEMO",
		"unit=&channel=telegram&address=123&schedule=weekly&language=id",
		"unit=DEMO&alerts=on",
		"current=x&new=y&again=z",
		"unit=DEMO&period=2026-Q4&agency=",
		"unit=DEMO&from=2026-02-30&to=2026-01-01",
		"unit=%00",
	} {
		f.Add(uint8(i), form)
	}
	db := storagetest.SQLite(f)
	if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100}); err != nil {
		f.Fatal(err)
	}
	a := newTestAdmin(f, db, Deps{})
	f.Fuzz(func(t *testing.T, page uint8, form string) {
		a.t = t
		p := fuzzPages[int(page)%len(fuzzPages)]
		var req *http.Request
		var err error
		if p.method == "GET" {
			req, err = http.NewRequest("GET", a.srv.URL+p.path+"?"+form, nil)
		} else {
			req, err = http.NewRequest("POST", a.srv.URL+p.path, strings.NewReader(form+"&csrf="+a.csrf))
			if err == nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
		}
		if err != nil {
			t.Skip("not a request a browser can send")
		}
		res, err := a.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode >= 500 {
			t.Errorf("%s %s %q: %d", p.method, p.path, form, res.StatusCode)
		}
	})
}
