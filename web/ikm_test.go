package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A ikmResp is one response as the IKM tests store it; a zero score is not answered.
type ikmResp struct {
	unit, service int64 // service 0: none
	status        string
	day           int
	scores        [9]int
}

// insertResps stores responses by plain SQL, with the flow, respondent and session rows
// their foreign keys need.
func insertIKMResps(t *testing.T, db *storage.DB, rs ...ikmResp) {
	t.Helper()
	ctx := context.Background()
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("INSERT INTO flows (id, version, source, published_by, published_at) VALUES ('skm', 1, '', 'test', 0) ON CONFLICT DO NOTHING")
	exec("INSERT INTO respondents (id, pseudonym, created_at) VALUES (1, 'test', 0) ON CONFLICT DO NOTHING")
	var next int64
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM sessions").Scan(&next); err != nil {
		t.Fatal(err)
	}
	for i, r := range rs {
		id := next + int64(i)
		var scores [9]any
		for j, s := range r.scores {
			if s != 0 {
				scores[j] = s
			}
		}
		var service any
		if r.service != 0 {
			service = r.service
		}
		exec("INSERT INTO sessions (id, channel, respondent_id, unit_id, service_id, flow_id, flow_version, state, started_at, updated_at, expires_at) VALUES (?, 'web', 1, ?, ?, 'skm', 1, 'done', 0, 0, 0)",
			id, r.unit, service)
		exec("INSERT INTO responses (session_id, respondent_id, unit_id, service_id, flow_id, flow_version, status, finished_at, local_day, u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin) VALUES (?, 1, ?, ?, 'skm', 1, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'P')",
			append([]any{id, r.unit, service, r.status, r.day}, scores[:]...)...)
	}
}

func ikmServer(t *testing.T, db *storage.DB) *Server {
	return New(Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		PublicURL: "http://sukma.test", AdminToken: "t0ken", Location: time.UTC})
}

// ikmMux serves only the IKM routes, without the bearer-token check of the API.
func ikmMux(t *testing.T, db *storage.DB) *http.ServeMux {
	mux := http.NewServeMux()
	ikmServer(t, db).ikmRoutes(func(p string, h http.HandlerFunc, params ...string) { mux.HandleFunc(p, withParams(h, params)) })
	return mux
}

func ikmGet(h http.Handler, target string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

// expected is the JSON the API must give: scoring's own report of the rows that match.
// sample, if not nil, gives the expected "sample" from the tally of those rows.
func ikmExpected(t *testing.T, unit, from, to string, sample func(respondents int64) *scoring.Sample, rs []ikmResp, match func(ikmResp) bool) string {
	t.Helper()
	var tl scoring.Tally
	for _, r := range rs {
		if r.status == "complete" && match(r) {
			if err := tl.AddResponse(r.scores); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := ikmResponse{Unit: unit, From: from, To: to, Report: scoring.NewReport(scoring.Compute(tl, scoring.Bands2017))}
	if sample != nil {
		want.Sample = sample(tl.Respondents)
	}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

func TestIKMEqualsScoring(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT", Name: "Samsat Kota", Agency: "BAPENDA", Population: 5000})
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD", Name: "RSUD", Population: 1000})
		if err != nil {
			t.Fatal(err)
		}
		s1, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "PKB", Name: "Pajak Kendaraan"})
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(7, 9))
		var rs []ikmResp
		for range 300 {
			r := ikmResp{unit: a.ID, status: "complete", day: 20260101 + rng.IntN(12)*100 + rng.IntN(28)}
			if rng.IntN(3) == 0 {
				r.unit = b.ID
			} else if rng.IntN(2) == 0 {
				r.service = s1.ID
			}
			if rng.IntN(10) == 0 {
				r.status = "partial"
			}
			for j := range r.scores {
				r.scores[j] = rng.IntN(5)
			}
			rs = append(rs, r)
		}
		insertIKMResps(t, db, rs...)
		mux := ikmMux(t, db)
		inQ1 := func(r ikmResp) bool { return r.day <= 20260331 }
		complete := func(match func(ikmResp) bool) (n int64) {
			for _, r := range rs {
				if r.status == "complete" && match(r) {
					n++
				}
			}
			return n
		}
		// A year's minimum for 5,000 is 357; for a quarter (90 days) it is 357·90/365 → 89,
		// and for 1,000 it is 278·90/365 → 69.
		unitSample := func(population int64, days int) func(int64) *scoring.Sample {
			return func(n int64) *scoring.Sample {
				s := scoring.NewPeriodSample(population, n, days)
				return &s
			}
		}
		pooled := func(int64) *scoring.Sample {
			met := complete(func(r ikmResp) bool { return r.unit == a.ID && inQ1(r) }) >= 89 &&
				complete(func(r ikmResp) bool { return r.unit == b.ID && inQ1(r) }) >= 69
			return &scoring.Sample{Population: 6000, Required: 89 + 69, Met: met}
		}

		tests := []struct {
			name, target string
			want         string
		}{
			{"a unit's year matches scoring.Compute to the last decimal",
				"/api/v1/ikm?unit=SAMSAT&from=2026-01-01&to=2026-12-31",
				ikmExpected(t, "SAMSAT", "2026-01-01", "2026-12-31", unitSample(5000, 365), rs, func(r ikmResp) bool { return r.unit == a.ID })},
			{"a unit's quarter counts only its days, against the year's minimum prorated",
				"/api/v1/ikm?unit=SAMSAT&from=2026-01-01&to=2026-03-31",
				ikmExpected(t, "SAMSAT", "2026-01-01", "2026-03-31", unitSample(5000, 90), rs, func(r ikmResp) bool { return r.unit == a.ID && inQ1(r) })},
			{"a service counts only its responses, with no sample: it has no population of its own",
				"/api/v1/ikm?unit=SAMSAT&service=PKB&from=2026-01-01&to=2026-12-31",
				ikmExpected(t, "SAMSAT", "2026-01-01", "2026-12-31", nil, rs, func(r ikmResp) bool { return r.service == s1.ID })},
			{"without a unit every unit is pooled, against the sum of the units' minimums",
				"/api/v1/ikm?from=2026-01-01&to=2026-03-31",
				ikmExpected(t, "", "2026-01-01", "2026-03-31", pooled, rs, inQ1)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if strings.Contains(tt.want, `"ikm":null`) {
					t.Fatalf("the fixture counts nothing: %s", tt.want)
				}
				rec := ikmGet(mux, tt.target)
				if rec.Code != http.StatusOK || rec.Body.String() != tt.want {
					t.Errorf("got %d %s\nwant 200 %s", rec.Code, rec.Body, tt.want)
				}
			})
		}

		t.Run("a breakdown by quarter gives each quarter's own exact report", func(t *testing.T) {
			rec := ikmGet(mux, "/api/v1/ikm?unit=SAMSAT&from=2026-01-01&to=2026-12-31&by=quarter")
			var got struct {
				Breakdown []json.RawMessage `json:"breakdown"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Breakdown) != 4 {
				t.Fatalf("got %d %s (%v), want 4 quarters", rec.Code, rec.Body, err)
			}
			for q, raw := range got.Breakdown {
				from, to := 20260101+q*300, 20260031+(q+1)*300
				var tl scoring.Tally
				for _, r := range rs {
					if r.unit == a.ID && r.status == "complete" && r.day >= from && r.day <= to {
						tl.AddResponse(r.scores)
					}
				}
				ends := [...]string{"03-31", "06-30", "09-30", "12-31"}
				want, _ := json.Marshal(ikmPart{Key: fmt.Sprintf("2026-Q%d", q+1), Label: fmt.Sprintf("Triwulan %s 2026", romawi[q]),
					From: fmt.Sprintf("2026-%02d-01", q*3+1), To: "2026-" + ends[q],
					Report: scoring.NewReport(scoring.Compute(tl, scoring.Bands2017))})
				if string(raw) != string(want) {
					t.Errorf("quarter %d: got %s\nwant %s", q+1, raw, want)
				}
			}
		})

		t.Run("a quarter the request starts or ends inside says it is counted in part", func(t *testing.T) {
			rec := ikmGet(mux, "/api/v1/ikm?unit=SAMSAT&from=2026-02-15&to=2026-11-20&by=quarter")
			var got struct {
				Breakdown []struct{ Label, From, To string } `json:"breakdown"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || len(got.Breakdown) != 4 {
				t.Fatalf("got %d %.300s (%v), want 4 quarters", rec.Code, rec.Body, err)
			}
			for i, want := range []struct{ label, from, to string }{
				{"Triwulan I 2026 (15 Feb – 31 Mar)", "2026-02-15", "2026-03-31"},
				{"Triwulan II 2026", "2026-04-01", "2026-06-30"},
				{"Triwulan III 2026", "2026-07-01", "2026-09-30"},
				{"Triwulan IV 2026 (1 Okt – 20 Nov)", "2026-10-01", "2026-11-20"},
			} {
				if p := got.Breakdown[i]; p.Label != want.label || p.From != want.from || p.To != want.to {
					t.Errorf("part %d: %q %s..%s, want %q %s..%s", i, p.Label, p.From, p.To, want.label, want.from, want.to)
				}
			}
		})

		t.Run("a breakdown by service names each service", func(t *testing.T) {
			rec := ikmGet(mux, "/api/v1/ikm?unit=SAMSAT&from=2026-01-01&to=2026-12-31&by=service")
			body := rec.Body.String()
			if rec.Code != 200 || !strings.Contains(body, `"key":"","label":"Tanpa jenis layanan"`) || !strings.Contains(body, `"key":"PKB","label":"Pajak Kendaraan"`) {
				t.Errorf("got %d %s", rec.Code, body)
			}
		})

		t.Run("profile=1 adds the respondents' profile", func(t *testing.T) {
			rec := ikmGet(mux, "/api/v1/ikm?unit=RSUD&from=2026-01-01&to=2026-12-31&profile=1")
			var got struct {
				Respondents int64
				Profile     *storage.Profile
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || got.Profile == nil {
				t.Fatalf("got %d %s (%v), want a profile", rec.Code, rec.Body, err)
			}
			if p := got.Profile.JenisKelamin; len(p) != 2 || p[1].Key != "P" || p[1].Count != got.Respondents {
				t.Errorf("jenis kelamin %+v, want every one of %d respondents P", p, got.Respondents)
			}
		})
	})
}

func TestIKMRequests(t *testing.T) {
	db := storagetest.SQLite(t)
	ctx := context.Background()
	u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DUKCAPIL", Name: "Dukcapil"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "KTP", Name: "KTP-el"}); err != nil {
		t.Fatal(err)
	}
	mux := ikmMux(t, db)
	today := time.Now().UTC()
	tests := []struct {
		name, target string
		status       int
		body         string
	}{
		{"a month 13 is refused naming the parameter", "/api/v1/ikm?from=2026-13-01", 400, `{"error":"from: \"2026-13-01\" bukan tanggal YYYY-MM-DD (from: \"2026-13-01\" is not a date YYYY-MM-DD)"}`},
		{"a date in another format is refused", "/api/v1/ikm?to=31/12/2026", 400, `{"error":"to: \"31/12/2026\" bukan tanggal YYYY-MM-DD (to: \"31/12/2026\" is not a date YYYY-MM-DD)"}`},
		{"from after to is refused", "/api/v1/ikm?from=2026-02-01&to=2026-01-31", 400, `{"error":"from: 2026-02-01 sesudah to: 2026-01-31 (from: 2026-02-01 is after to: 2026-01-31)"}`},
		{"to before this year alone is refused naming from as the default, and saying to send it", "/api/v1/ikm?to=2025-06-30", 400,
			`{"error":"from: ` + today.Format("2006") + `-01-01, bawaan: 1 Januari tahun ini, sesudah to: 2025-06-30; kirim juga from=YYYY-MM-DD (from: ` + today.Format("2006") + `-01-01, the default: 1 January of this year, is after to: 2025-06-30; send from=YYYY-MM-DD too)"}`},
		{"from after today alone is refused naming to as the default, and saying to send it", "/api/v1/ikm?from=2999-01-01", 400,
			`{"error":"from: 2999-01-01 sesudah to: ` + today.Format("2006-01-02") + `, bawaan: hari ini; kirim juga to=YYYY-MM-DD (from: 2999-01-01 is after to: ` + today.Format("2006-01-02") + `, the default: today; send to=YYYY-MM-DD too)"}`},
		{"an unknown unit is not found", "/api/v1/ikm?unit=X", 404, `{"error":"Unit \"X\" tidak ditemukan (unit \"X\" not found)"}`},
		{"an unknown service is not found", "/api/v1/ikm?unit=DUKCAPIL&service=KK", 404, `{"error":"Layanan \"KK\" tidak ditemukan di unit \"DUKCAPIL\" (service \"KK\" not found in unit \"DUKCAPIL\")"}`},
		{"a service without a unit is refused", "/api/v1/ikm?service=KTP", 400, `{"error":"service: perlu unit, karena kode layanan milik sebuah unit (service: needs a unit, because service codes belong to a unit)"}`},
		{"a breakdown by service without a unit is refused, as its lines of one code in two units could not be told apart", "/api/v1/ikm?by=service", 400,
			`{"error":"by=service: perlu unit, karena kode layanan milik sebuah unit: tambahkan unit=KODE (by=service: needs a unit, because service codes belong to a unit: add unit=CODE)"}`},
		{"a filter the API does not have is refused, not ignored", "/api/v1/ikm?agency=RSUD&period=2026-Q3", 400,
			`{"error":"parameter tidak dikenal: agency, period; yang dikenal: unit, service, from, to, by, profile (unknown parameter: agency, period; known: unit, service, from, to, by, profile)"}`},
		{"a query that does not parse is refused, not read as no filter", "/api/v1/ikm?unit=%ZZ", 400,
			`{"error":"query tidak dapat dibaca: pisahkan parameter dengan \u0026 dan tulis karakter khusus dengan %XX (malformed query: separate parameters with \u0026 and escape special characters as %XX)"}`},
		{"parameters parted by ; are refused", "/api/v1/ikm?unit=DUKCAPIL;agency=X", 400,
			`{"error":"query tidak dapat dibaca: pisahkan parameter dengan \u0026 dan tulis karakter khusus dengan %XX (malformed query: separate parameters with \u0026 and escape special characters as %XX)"}`},
		{"a parameter given twice is refused, not read as its first value", "/api/v1/ikm?unit=DUKCAPIL&unit=X", 400,
			`{"error":"parameter unit diberikan 2 kali: berikan sekali (parameter unit given 2 times: give it once)"}`},
		{"a unit code in another case finds the unit, named as stored", "/api/v1/ikm?unit=dukcapil&service=ktp&from=2026-01-01&to=2026-01-31", 200,
			`{"unit":"DUKCAPIL","from":"2026-01-01","to":"2026-01-31","respondents":0,"unsur":[` + ikmEmptyUnsur() + `],"ikm":null}`},
		{"an unknown breakdown is refused", "/api/v1/ikm?by=week", 400, `{"error":"by: \"week\" bukan salah satu dari service, month, quarter, semester, year (by: \"week\" is not one of service, month, quarter, semester, year)"}`},
		{"no responses give a null IKM and no sample without a population", "/api/v1/ikm?unit=DUKCAPIL&service=KTP&from=2026-01-01&to=2026-01-31", 200,
			`{"unit":"DUKCAPIL","from":"2026-01-01","to":"2026-01-31","respondents":0,"unsur":[` + ikmEmptyUnsur() + `],"ikm":null}`},
		{"the period defaults to this year to date", "/api/v1/ikm?unit=DUKCAPIL", 200,
			`{"unit":"DUKCAPIL","from":"` + today.Format("2006") + `-01-01","to":"` + today.Format("2006-01-02") + `","respondents":0,"unsur":[` + ikmEmptyUnsur() + `],"ikm":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ikmGet(mux, tt.target)
			if rec.Code != tt.status || rec.Body.String() != tt.body+"\n" {
				t.Errorf("got %d %s\nwant %d %s", rec.Code, rec.Body, tt.status, tt.body)
			}
		})
	}
}

func ikmEmptyUnsur() string {
	var parts []string
	for _, e := range scoring.Elements {
		b, _ := json.Marshal(e.Name)
		parts = append(parts, fmt.Sprintf(`{"code":%q,"name":%s,"sum":0,"n":0,"nrr":null}`, e.Code, b))
	}
	return strings.Join(parts, ",")
}

func TestPooledSampleIsMetOnlyWhenEveryUnitMeetsItsOwn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		var units []storage.Unit
		for _, code := range []string{"A", "B", "OLD"} {
			u, err := db.CreateUnit(ctx, storage.NewUnit{Code: code, Name: code, Population: 1000})
			if err != nil {
				t.Fatal(err)
			}
			units = append(units, u)
		}
		if err := db.RetireUnit(ctx, units[2].ID); err != nil {
			t.Fatal(err)
		}
		// 330 respondents in A, none in B: a population of 2,000 taken as one would need only
		// 322, but each unit needs 278 of its own.
		var rs []ikmResp
		for i := range 330 {
			rs = append(rs, ikmResp{unit: units[0].ID, status: "complete", day: 20260101 + i%12*100, scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}})
		}
		insertIKMResps(t, db, rs...)
		mux := ikmMux(t, db)
		get := func(target string) string {
			rec := ikmGet(mux, target)
			var got struct {
				Sample json.RawMessage `json:"sample"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != 200 || err != nil {
				t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
			}
			return string(got.Sample)
		}
		// The retired unit, with no respondents, is left out.
		if got, want := get("/api/v1/ikm?from=2026-01-01&to=2026-12-31"), `{"population":2000,"required":556,"met":false}`; got != want {
			t.Errorf("pooled: sample %s, want %s", got, want)
		}
		if got, want := get("/api/v1/ikm?unit=A&from=2026-01-01&to=2026-12-31"), `{"population":1000,"required":278,"met":true}`; got != want {
			t.Errorf("unit A: sample %s, want %s", got, want)
		}
		rs = rs[:0]
		for i := range 278 {
			rs = append(rs, ikmResp{unit: units[1].ID, status: "complete", day: 20260601 + i%28, scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}})
		}
		insertIKMResps(t, db, rs...)
		if got, want := get("/api/v1/ikm?from=2026-01-01&to=2026-12-31"), `{"population":2000,"required":556,"met":true}`; got != want {
			t.Errorf("pooled, both units met: sample %s, want %s", got, want)
		}
	})
}

// A client that sends half a megabyte as a unit code needs no megabyte back to know what to
// fix: the error quotes what was sent only so far.
func TestAnErrorQuotesAHugeValueOnlySoFar(t *testing.T) {
	mux := ikmMux(t, storagetest.SQLite(t))
	rec := ikmGet(mux, "/api/v1/ikm?unit="+strings.Repeat("é", 250_000))
	var body struct{ Error string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != 404 {
		t.Fatalf("%d %.200s: %v", rec.Code, rec.Body, err)
	}
	if rec.Body.Len() > 3*maxMessage || !utf8.ValidString(body.Error) || !strings.Contains(body.Error, "é…") {
		t.Errorf("an error of %d bytes for a 500 KB code: %.120s…", rec.Body.Len(), body.Error)
	}
}
