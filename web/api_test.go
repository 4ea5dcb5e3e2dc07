package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
	"sukma/web"
)

const bearer = "Bearer t0ken"

// newAPI returns a server on db with a unit SAMSAT-SBY, its service STNK and its retired
// service OLD. change, if given, adjusts the Deps first.
func newAPI(t testing.TB, db *storage.DB, change ...func(*web.Deps)) http.Handler {
	t.Helper()
	d := web.Deps{
		DB:         db,
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		PublicURL:  "http://sukma.test",
		AdminToken: "t0ken",
		Location:   time.UTC,
	}
	for _, c := range change {
		c(&d)
	}
	ctx := context.Background()
	if _, err := db.FindUnitByCode(ctx, "SAMSAT-SBY"); err != nil {
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT-SBY", Name: "Samsat Surabaya", Population: 5000})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "STNK", Name: "Perpanjangan STNK"}); err != nil {
			t.Fatal(err)
		}
		old, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "OLD", Name: "Layanan lama"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RetireService(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
	}
	return web.New(d)
}

// call sends a request with the Authorization header auth ("" for none).
func call(t *testing.T, h http.Handler, method, path, auth, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	if auth != "" {
		r.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// errorOf returns the "error" of a JSON error body, failing if the body is not one.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q, want JSON", ct)
	}
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Errorf("body %q is not {\"error\":…}", rec.Body)
	}
	return e.Error
}

func TestTheAPIChecksTheBearerToken(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		const how = `send the header "Authorization: Bearer <SUKMA_ADMIN_TOKEN>"`
		tests := []struct {
			name, method, path, auth string
			status                   int
			err                      string
		}{
			{"a request without a token is refused", "GET", "/api/v1/units", "", 401, "missing bearer token: " + how},
			{"a request with another scheme is refused", "GET", "/api/v1/units", "Basic dDBrZW4=", 401, "missing bearer token: " + how},
			{"an empty bearer token is refused", "GET", "/api/v1/units", "Bearer ", 401, "missing bearer token: " + how},
			{"a wrong token is refused", "GET", "/api/v1/units", "Bearer t0ke", 401, "wrong bearer token: " + how + " with the admin token of this server"},
			{"a longer wrong token is refused", "GET", "/api/v1/units", "Bearer t0ken2", 401, "wrong bearer token: " + how + " with the admin token of this server"},
			{"a POST without a token is refused before its body is read", "POST", "/api/v1/units", "", 401, "missing bearer token: " + how},
			{"an unknown path without a token is refused, not described", "GET", "/api/v1/secret", "", 401, "missing bearer token: " + how},
			{"the right token is accepted", "GET", "/api/v1/units", bearer, 200, ""},
			{"the scheme is case-insensitive", "GET", "/api/v1/units", "bearer t0ken", 200, ""},
			{"the visit QR code needs no token", "GET", "/api/v1/visits/unknown/qr.png", "", 404, "no visit has this token: check the link, or create a visit with POST /api/v1/visits"},
			{"the standing QR code by its token needs no token", "GET", "/api/v1/standing/unknown/qr.png", "", 404, "no standing link has this token: check the link, or create one with POST /api/v1/units/{code}/standing"},
			// A unit code is short and guessable: its standing link would let anyone answer.
			{"the standing QR code by unit code needs the token", "GET", "/api/v1/units/SAMSAT-SBY/standing/qr.png", "", 401, "missing bearer token: " + how},
			{"creating a standing link needs the token", "POST", "/api/v1/units/SAMSAT-SBY/standing", "", 401, "missing bearer token: " + how},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := call(t, h, tt.method, tt.path, tt.auth, "")
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
				}
				if tt.err != "" {
					if got := errorOf(t, rec); !inIndonesianThen(got, tt.err) {
						t.Errorf("error %q\nwant Indonesian, then (%s)", got, tt.err)
					}
				}
				if tt.status == 401 && rec.Header().Get("WWW-Authenticate") == "" {
					t.Error("401 without WWW-Authenticate")
				}
			})
		}
		t.Run("a server without an admin token refuses every request", func(t *testing.T) {
			h := newAPI(t, db, func(d *web.Deps) { d.AdminToken = "" })
			for _, auth := range []string{"", "Bearer ", bearer} {
				rec := call(t, h, "GET", "/api/v1/units", auth, "")
				want := "the JSON API is disabled because no admin token is set: set SUKMA_ADMIN_TOKEN and restart"
				if got := errorOf(t, rec); rec.Code != 401 || !inIndonesianThen(got, want) {
					t.Errorf("auth %q: %d %q, want 401 %q", auth, rec.Code, got, want)
				}
			}
		})
	})
}

func TestTheAPIAnswersBadInputWithA4xxThatSaysWhatToFix(t *testing.T) {
	huge := `{"code":"A","name":"` + strings.Repeat("a", 1<<20) + `"}`
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		tests := []struct {
			name, method, path, body string
			status                   int
			err                      string
		}{
			{"an empty body", "POST", "/api/v1/units", "", 400, "request body is empty: send a JSON object"},
			{"a body cut short", "POST", "/api/v1/units", `{"code":`, 400, "body is not valid JSON: it ends before the object is complete"},
			{"a body that is not JSON", "POST", "/api/v1/units", `{code: "A"}`, 400, "body is not valid JSON: invalid character 'c' looking for beginning of object key string (at byte 2)"},
			{"a body with a second value after the object", "POST", "/api/v1/units", `{"code":"A","name":"N"} {}`, 400, "body is not valid JSON: send one object and nothing after it"},
			{"a body that is a list", "POST", "/api/v1/units", `[]`, 400, "request body must be a JSON object, not array"},
			{"an unknown field", "POST", "/api/v1/units", `{"code":"A","nme":"N"}`, 400, `unknown field "nme" in the request body`},
			{"a string where a number belongs", "POST", "/api/v1/units", `{"code":"A","name":"N","population":"many"}`, 400, `field "population" must be a whole number, not string`},
			{"a fraction where a whole number belongs", "POST", "/api/v1/units", `{"code":"A","name":"N","population":1.5}`, 400, `field "population" must be a whole number, not number 1.5`},
			{"a number where a string belongs", "POST", "/api/v1/units", `{"code":7,"name":"N"}`, 400, `field "code" must be a string, not number`},
			{"a body over 1 MiB", "POST", "/api/v1/units", huge, 413, "request body is larger than 1 MiB"},
			{"a unit without a code", "POST", "/api/v1/units", `{"name":"N"}`, 400, `"code" is required`},
			{"a unit code with a space", "POST", "/api/v1/units", `{"code":"A B","name":"N"}`, 400, `"code" must be 1 to 32 letters, digits, "_" or "-", not "A B"`},
			{"a unit code of 33 characters", "POST", "/api/v1/units", `{"code":"` + strings.Repeat("A", 33) + `","name":"N"}`, 400, `"code" must be 1 to 32 letters, digits, "_" or "-", not "` + strings.Repeat("A", 33) + `"`},
			{"a unit without a name", "POST", "/api/v1/units", `{"code":"A"}`, 400, `"name" is required`},
			{"a unit whose name is blank", "POST", "/api/v1/units", `{"code":"A","name":"  "}`, 400, `"name" is required`},
			{"a unit with a very long name", "POST", "/api/v1/units", `{"code":"A","name":"` + strings.Repeat("é", 201) + `"}`, 400, `"name" must be at most 200 characters`},
			{"a unit with a bad agency code", "POST", "/api/v1/units", `{"code":"A","name":"N","agency":"Dinas X"}`, 400, `"agency" must be 1 to 32 letters, digits, "_" or "-", not "Dinas X"`},
			{"a unit with a negative population", "POST", "/api/v1/units", `{"code":"A","name":"N","population":-1}`, 400, `"population" must be from 0 to 1000000000 (service users a year), not -1`},
			{"a unit with a population that would overflow a sum", "POST", "/api/v1/units", `{"code":"A","name":"N","population":9223372036854775807}`, 400, `"population" must be from 0 to 1000000000 (service users a year), not 9223372036854775807`},
			{"a unit name with a NUL character (PostgreSQL refuses it)", "POST", "/api/v1/units", `{"code":"A","name":"N\u0000"}`, 400, `field "name" must be text without NUL characters`},
			{"an agency name with a NUL character", "POST", "/api/v1/units", `{"code":"A","name":"N","agency_name":"\u0000"}`, 400, `field "agency_name" must be text without NUL characters`},
			{"a query parameter with a NUL character", "GET", "/api/v1/ikm?unit=%00", "", 400, `parameter "unit" must be text without NUL characters, in UTF-8`},
			{"a path with broken UTF-8", "GET", "/api/v1/units/%FF/services", "", 400, `the path must be text without NUL characters, in UTF-8`},
			{"a unit whose code is taken", "POST", "/api/v1/units", `{"code":"SAMSAT-SBY","name":"N"}`, 409, `unit "SAMSAT-SBY" already exists: choose another code`},
			{"services of an unknown unit", "GET", "/api/v1/units/NOPE/services", "", 404, `unit "NOPE" not found: create it with POST /api/v1/units`},
			{"a service for an unknown unit", "POST", "/api/v1/units/NOPE/services", `{"code":"S","name":"N"}`, 404, `unit "NOPE" not found: create it with POST /api/v1/units`},
			{"a service with an unknown field", "POST", "/api/v1/units/SAMSAT-SBY/services", `{"code":"S","title":"N"}`, 400, `unknown field "title" in the request body`},
			{"a service without a name", "POST", "/api/v1/units/SAMSAT-SBY/services", `{"code":"S"}`, 400, `"name" is required`},
			{"a service with a very long name", "POST", "/api/v1/units/SAMSAT-SBY/services", `{"code":"S","name":"` + strings.Repeat("é", 201) + `"}`, 400, `"name" must be at most 200 characters`},
			{"a service with a bad code", "POST", "/api/v1/units/SAMSAT-SBY/services", `{"code":"S/1","name":"N"}`, 400, `"code" must be 1 to 32 letters, digits, "_" or "-", not "S/1"`},
			{"a service whose code the unit has", "POST", "/api/v1/units/SAMSAT-SBY/services", `{"code":"STNK","name":"N"}`, 409, `unit "SAMSAT-SBY" already has a service "STNK": choose another code`},
			{"a visit without a unit", "POST", "/api/v1/visits", `{}`, 400, `"unit" is required: the code of the unit that gave the service`},
			{"a visit at an unknown unit", "POST", "/api/v1/visits", `{"unit":"NOPE"}`, 422, `unit "NOPE" not found: check the code with GET /api/v1/units`},
			{"a visit for an unknown service", "POST", "/api/v1/visits", `{"unit":"SAMSAT-SBY","service":"KTP"}`, 422, `service "KTP" not found in unit "SAMSAT-SBY": check the code with GET /api/v1/units/SAMSAT-SBY/services`},
			{"a visit for a retired service", "POST", "/api/v1/visits", `{"unit":"SAMSAT-SBY","service":"OLD"}`, 422, `service "OLD" of unit "SAMSAT-SBY" is retired and takes no new visits`},
			{"a visit with a misspelt field", "POST", "/api/v1/visits", `{"unit":"SAMSAT-SBY","servis":"STNK"}`, 400, `unknown field "servis" in the request body`},
			{"a visit whose unit is a number", "POST", "/api/v1/visits", `{"unit":5}`, 400, `field "unit" must be a string, not number`},
			{"a standing link of an unknown unit", "POST", "/api/v1/units/NOPE/standing", "", 404, `unit "NOPE" not found: create it with POST /api/v1/units`},
			{"a standing link with a field (it takes none)", "POST", "/api/v1/units/SAMSAT-SBY/standing", `{"x":1}`, 400, `unknown field "x" in the request body`},
			{"a standing link with a body that is not JSON", "POST", "/api/v1/units/SAMSAT-SBY/standing", `unit=SAMSAT-SBY`, 400, "body is not valid JSON: invalid character 'u' looking for beginning of value (at byte 1)"},
			{"the standing QR code of an unknown unit", "GET", "/api/v1/units/NOPE/standing/qr.png", "", 404, `unit "NOPE" not found: create it with POST /api/v1/units`},
			{"the QR code of an unknown visit", "GET", "/api/v1/visits/AAAA/qr.png", "", 404, "no visit has this token: check the link, or create a visit with POST /api/v1/visits"},
			{"a QR code asked with a cache-buster (an image may carry one)", "GET", "/api/v1/visits/AAAA/qr.png?v=2", "", 404, "no visit has this token: check the link, or create a visit with POST /api/v1/visits"},
			{"the QR code of a token that cannot be one", "GET", "/api/v1/visits/a.b/qr.png", "", 404, "no visit has this token: check the link, or create a visit with POST /api/v1/visits"},
			{"units with a filter they do not take", "GET", "/api/v1/units?agency=DUKCAPIL", "", 400, "unknown parameter: agency; this endpoint takes none"},
			{"services with a malformed query", "GET", "/api/v1/units/SAMSAT-SBY/services?x=%zz", "", 400, "malformed query: separate parameters with & and escape special characters as %XX"},
			{"subscribers with a filter they do not take", "GET", "/api/v1/subscribers?unit=NOPE", "", 400, "unknown parameter: unit; this endpoint takes none"},
			{"a visit with a query parameter", "POST", "/api/v1/visits?unit=SAMSAT-SBY", `{"unit":"SAMSAT-SBY"}`, 400, "unknown parameter: unit; this endpoint takes none"},
			{"a flow's draft asked with true", "GET", "/api/v1/flows/skm?draft=true", "", 400, `draft: "true" is neither 1 (the draft) nor 0 (a published version)`},
			{"a flow's draft and a version at once", "GET", "/api/v1/flows/skm?draft=1&version=1", "", 400, "draft=1 and version cannot go together: a draft has no version number yet"},
			{"a flow with a parameter in another case", "GET", "/api/v1/flows/skm?Draft=1", "", 400, "unknown parameter: Draft; known: version, draft"},
			{"a flow's version given twice", "GET", "/api/v1/flows/skm?version=1&version=2", "", 400, "parameter version given 2 times: give it once"},
			{"an unknown path", "GET", "/api/v1/nope", "", 404, "no API endpoint at /api/v1/nope: check the path against the JSON API in the documentation"},
			{"a path with a trailing slash", "GET", "/api/v1/units/", "", 404, "no API endpoint at /api/v1/units/: check the path against the JSON API in the documentation"},
			{"a wrong method on units", "DELETE", "/api/v1/units", "", 405, "method DELETE is not allowed on /api/v1/units: use GET, HEAD, POST"},
			{"a wrong method on visits", "GET", "/api/v1/visits", "", 405, "method GET is not allowed on /api/v1/visits: use POST"},
		}
		for _, tt := range tests {
			t.Run(tt.name+" is answered "+http.StatusText(tt.status), func(t *testing.T) {
				rec := call(t, h, tt.method, tt.path, bearer, tt.body)
				if rec.Code != tt.status {
					t.Errorf("status %d, want %d; body %.300s", rec.Code, tt.status, rec.Body)
				}
				if got := errorOf(t, rec); !inIndonesianThen(got, tt.err) {
					t.Errorf("error %q\nwant Indonesian, then (%s)", got, tt.err)
				}
				if tt.status == 405 && rec.Header().Get("Allow") == "" {
					t.Error("405 without Allow")
				}
			})
		}
	})
}

// A database out of reach, or taking no writes, is 503 with Retry-After: the client may send
// the request again. A fault of the server's own stays 500, saying only that it failed; both
// log the route and the cause.
func TestAFailingDatabaseIsAnInternalErrorWhoseCauseIsLogged(t *testing.T) {
	const unavailable = "Basis data sedang tidak dapat dipakai: kirim lagi permintaan ini beberapa detik lagi (POST /visits dengan Idempotency-Key yang sama aman dikirim lagi: tidak membuat kunjungan kedua) " +
		"(the database is unavailable: send this request again in a few seconds (a POST /visits with the same Idempotency-Key is safe to send again: it makes no second visit))"
	closed := func(t *testing.T) *storage.DB { db := storagetest.SQLite(t); db.Close(); return db }
	tests := []struct {
		name     string
		db       func(t *testing.T) *storage.DB
		method   string
		path     string
		body     string
		status   int
		want     string
		logCause string
	}{
		{"a closed database", closed, "GET", "/api/v1/units", "", 503, unavailable, "closed"},
		{"a closed database, for a visit", closed, "POST", "/api/v1/visits", `{"unit":"SAMSAT-SBY"}`, 503, unavailable, "closed"},
		{"a closed database, for a report", closed, "GET", "/api/v1/report.xlsx?unit=SAMSAT-SBY", "", 503, unavailable, "closed"},
		{"a PostgreSQL server that went down", func(t *testing.T) *storage.DB {
			proxy, u := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t))
			db := storagetest.Open(t, u)
			proxy.Stop()
			return db
		}, "GET", "/api/v1/units", "", 503, unavailable, "connect"},
		{"a PostgreSQL server that accepts connections and never answers", func(t *testing.T) *storage.DB {
			proxy, u := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t)+"&connect_timeout=1")
			db := storagetest.Open(t, u)
			db.SetMaxIdleConns(0) // a new connection, whose handshake times out
			proxy.Freeze(true)
			return db
		}, "GET", "/api/v1/units", "", 503, unavailable, "timeout"},
		{"a full SQLite disk", func(t *testing.T) *storage.DB {
			db := storagetest.SQLite(t)
			db.SetMaxOpenConns(1) // the page limit is the connection's
			var pages int
			if err := db.Get(&pages, "PRAGMA page_count"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec("PRAGMA max_page_count = " + strconv.Itoa(pages)); err != nil {
				t.Fatal(err)
			}
			for i, size := 0, 1000; size > 0; i++ { // the free room of the units' pages filled too
				_, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "ISI-" + strconv.Itoa(i), Name: strings.Repeat("x", size)})
				if storage.IsDiskFull(err) {
					size /= 10
				} else if err != nil {
					t.Fatal(err)
				}
			}
			return db
		}, "POST", "/api/v1/units", `{"code":"BARU","name":"Unit Baru"}`, 503, unavailable, "full"},
		{"a fault of the server's own", func(t *testing.T) *storage.DB {
			db := storagetest.SQLite(t)
			newAPI(t, db) // the unit SAMSAT-SBY
			if _, err := db.Exec("DROP TABLE services"); err != nil {
				t.Fatal(err)
			}
			return db
		}, "GET", "/api/v1/units/SAMSAT-SBY/services", "", 500, "Terjadi kesalahan di server: coba lagi sebentar lagi (internal error)", "services"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log bytes.Buffer
			db := tt.db(t)
			h := web.New(web.Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&log, nil)), AdminToken: "t0ken", Location: time.UTC})
			rec := call(t, h, tt.method, tt.path, bearer, tt.body)
			if got := errorOf(t, rec); rec.Code != tt.status || got != tt.want {
				t.Errorf("%d %q\nwant %d %q", rec.Code, got, tt.status, tt.want)
			}
			if ra := rec.Header().Get("Retry-After"); (tt.status == 503) != (ra == "5") {
				t.Errorf("Retry-After %q with %d", ra, rec.Code)
			}
			if l := log.String(); !strings.Contains(l, "route=\""+tt.method+" ") || !strings.Contains(l, tt.logCause) {
				t.Errorf("log %q does not name the route and the cause (%s)", l, tt.logCause)
			}
		})
	}
}

// inIndonesianThen reports whether an API error is "<Indonesian> (<en>)": what to fix in
// Indonesian first, then the English en.
func inIndonesianThen(got, en string) bool {
	id, ok := strings.CutSuffix(got, " ("+en+")")
	return ok && strings.TrimSpace(id) != "" && id != en
}

func TestAPIErrorsAreIndonesianFirst(t *testing.T) {
	h := newAPI(t, storagetest.SQLite(t))
	for _, tt := range []struct{ method, path, auth, body, want string }{
		{"GET", "/api/v1/units", "", "", `Token bearer tidak ada: kirim header "Authorization: Bearer <SUKMA_ADMIN_TOKEN>" (missing bearer token: `},
		{"POST", "/api/v1/units", bearer, `{"name":"N"}`, `"code" wajib diisi ("code" is required)`},
		{"POST", "/api/v1/units", bearer, ``, `Isi permintaan kosong: kirim sebuah objek JSON (request body is empty: send a JSON object)`},
		{"GET", "/api/v1/flows/nope?version=2", bearer, "", `Alur "nope" tidak ditemukan (flow "nope" not found)`},
		{"POST", "/api/v1/visits", bearer, `{"unit":"NOPE"}`, `Unit "NOPE" tidak ditemukan: periksa kodenya dengan GET /api/v1/units (unit "NOPE" not found: `},
		{"DELETE", "/api/v1/units", bearer, "", `Metode DELETE tidak dapat dipakai di /api/v1/units: gunakan GET, HEAD, POST (method DELETE is not allowed`},
	} {
		if got := errorOf(t, call(t, h, tt.method, tt.path, tt.auth, tt.body)); !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s %s: error %q\nwant it to start %q", tt.method, tt.path, got, tt.want)
		}
	}
}

// A body that stops arriving (fewer bytes than its Content-Length, a stalled client) runs
// into the server's read timeout: 408, said plainly, not the socket's error.
func TestABodyThatDoesNotArriveInTimeIs408(t *testing.T) {
	db := storagetest.SQLite(t)
	r := httptest.NewRequest("POST", "/api/v1/visits", iotest.ErrReader(&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}))
	r.Header.Set("Authorization", bearer)
	rec := httptest.NewRecorder()
	newAPI(t, db).ServeHTTP(rec, r)
	if got := errorOf(t, rec); rec.Code != http.StatusRequestTimeout || !inIndonesianThen(got, "the request body did not arrive in time: send it again, whole") {
		t.Errorf("%d %q, want 408 saying the body did not arrive in time", rec.Code, got)
	}
}
