package web_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"sukma/storage/storagetest"
)

// fuzzRoutes are the API's routes that read what the caller sends: a body, or a query.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/api/v1/units"},
	{"POST", "/api/v1/units/SAMSAT-SBY/services"},
	{"POST", "/api/v1/units/SAMSAT-SBY/standing"},
	{"POST", "/api/v1/visits"},
	{"PUT", "/api/v1/flows/f1"},
	{"POST", "/api/v1/flows/f1/publish"},
	{"POST", "/api/v1/subscribers"},
	{"POST", "/api/v1/subscribers/codes"},
	{"GET", "/api/v1/ikm"},
	{"GET", "/api/v1/responses.csv"},
	{"GET", "/api/v1/report.xlsx"},
}

// Whatever an API client sends, the answer is a success or a 4xx with {"error":"…"}: never
// a 5xx, which would mean the server failed.
func FuzzAPIRequest(f *testing.F) {
	for i, seed := range []struct{ query, body string }{
		{"", `{"code":"X1","name":"Unit X","agency":"A","population":100}`},
		{"", `{"code":"S1","name":"Layanan"}`},
		{"", `{"service":"STNK"}`},
		{"", `{"unit":"SAMSAT-SBY","service":"STNK"}`},
		{"", "id: f1\nversion: 1\n"},
		{"", ""},
		{"", `{"unit":"","channel":"telegram","address":"123","schedule":"weekly","language":"id","alerts":true}`},
		{"", `{"unit":"SAMSAT-SBY"}`},
		{"unit=SAMSAT-SBY&from=2026-01-01&to=2026-12-31", ""},
		{"unit=SAMSAT-SBY&from=2026-02-30", ""},
		{"from=2026-12-31&to=2026-01-01&service=STNK", ""},
	} {
		f.Add(uint8(i), seed.query, []byte(seed.body))
		f.Add(uint8(i), "", []byte(`{"code":1,"name":null,"population":-1,"unit":"\u0000"}`))
	}
	f.Add(uint8(8), "unit=%00&from=9999-99-99", []byte(nil))
	h := newAPI(f, storagetest.SQLite(f))
	f.Fuzz(func(t *testing.T, route uint8, query string, body []byte) {
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		r, err := http.NewRequest(rt.method, rt.path+"?"+query, bytes.NewReader(body))
		if err != nil {
			t.Skip("not a URL a client can send")
		}
		r.Header.Set("Authorization", bearer)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var e struct {
			Error string `json:"error"`
		}
		switch {
		case rec.Code >= 500:
			t.Errorf("%s %s?%s %q: %d %s", rt.method, rt.path, query, body, rec.Code, rec.Body)
		case rec.Code >= 400 && (json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error == ""):
			t.Errorf("%s %s?%s %q: %d without {\"error\":…}: %s", rt.method, rt.path, query, body, rec.Code, rec.Body)
		}
	})
}
