package admin

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/report"
	"sukma/storage"
)

// An agency's workbook names the agency, and checks the sample of its units only: each unit
// against its own minimum, summed.
func TestAnAgencysWorkbookNamesItAndChecksItsUnitsSample(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		db.Now = func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
		a := newTestAdmin(t, db, Deps{})
		for _, u := range []storage.NewUnit{
			{Code: "SAMSAT-1", Name: "Samsat 1", Agency: "BAPENDA", AgencyName: "Badan Pendapatan Daerah", Population: 1000},
			{Code: "SAMSAT-2", Name: "Samsat 2", Agency: "BAPENDA", AgencyName: "Badan Pendapatan Daerah", Population: 10000},
			{Code: "RSUD", Name: "RSUD", Agency: "DINKES", Population: 500},
		} {
			if _, err := db.CreateUnit(context.Background(), u); err != nil {
				t.Fatal(err)
			}
		}
		status, _, body := a.get("/admin/export/report.xlsx?period=2026&agency=BAPENDA")
		if status != 200 {
			t.Fatalf("GET report.xlsx: %d %.300s", status, body)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := f.GetRows(report.SheetRingkasan)
		if err != nil {
			t.Fatal(err)
		}
		cell := func(label string) string {
			for _, r := range rows {
				if len(r) > 1 && r[0] == label {
					return r[1]
				}
			}
			return "(no row " + label + ")"
		}
		for label, want := range map[string]string{
			"Unit pelayanan":                      "Semua unit BAPENDA — Badan Pendapatan Daerah (gabungan)",
			"Populasi penerima layanan (setahun)": "11000",
			// 278 + 370 a year, not the 371 of 11,000 taken as one; the year is under way, so
			// each prorated to its 330 days up to today: 252 + 335.
			"Sampel minimum untuk 330 hari (Krejcie–Morgan setahun, prorata)": "587",
			"Kecukupan sampel": "belum memenuhi (0 dari 2 unit memenuhi sampel minimumnya sendiri)",
		} {
			if got := cell(label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}
	})
}

// A download of one agency is named after it, the CSV and the workbook alike, also a unit
// admin's (of their agency, whatever they ask); an agency or a unit the admin has not is a
// 404 that names it, not an empty file labelled as every unit.
func TestAnExportIsNamedAfterItsAgencyAndRefusesAnUnknownOne(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
		prov := newTestAdmin(t, db, Deps{})
		for _, u := range []storage.NewUnit{
			{Code: "RSUD-1", Name: "RSUD 1", Agency: "DEMO-RSUD", AgencyName: "RSUD Demo"},
			{Code: "SAMSAT-1", Name: "Samsat 1", Agency: "BAPENDA"},
		} {
			if _, err := db.CreateUnit(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		var bapenda int64
		if err := db.Get(&bapenda, db.Rebind("SELECT id FROM agencies WHERE code = ?"), "BAPENDA"); err != nil {
			t.Fatal(err)
		}
		unitAdmin := prov.as(storage.NewAdmin{Username: "bapenda", PasswordHash: "x", Role: storage.RoleUnit, AgencyID: &bapenda})
		download := func(a *testAdmin, path string) (int, string, string) {
			t.Helper()
			res, err := a.client.Get(a.srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header.Get("Content-Disposition"), string(b)
		}
		for _, ext := range []string{"csv", "xlsx"} {
			file := map[string]string{"csv": "/admin/export/responses.csv", "xlsx": "/admin/export/report.xlsx"}[ext]
			for _, tt := range []struct {
				name  string
				admin *testAdmin
				query string
				want  string // the file's name
			}{
				{"an agency", prov, "?period=2026-11&agency=DEMO-RSUD", "skm_DEMO-RSUD_2026-11-01_2026-11-30." + ext},
				{"a unit", prov, "?period=2026-11&unit=RSUD-1", "skm_RSUD-1_2026-11-01_2026-11-30." + ext},
				{"every unit", prov, "?period=2026-11", "skm_semua_2026-11-01_2026-11-30." + ext},
				{"a unit admin's", unitAdmin, "?period=2026-11", "skm_BAPENDA_2026-11-01_2026-11-30." + ext},
			} {
				status, disposition, body := download(tt.admin, file+tt.query)
				if status != http.StatusOK || disposition != `attachment; filename="`+tt.want+`"` {
					t.Errorf("%s %s: %d %q, want 200 and %s (%.200s)", ext, tt.name, status, disposition, tt.want, body)
				}
			}
			for _, tt := range []struct {
				name  string
				admin *testAdmin
				query string
				says  string
			}{
				{"an unknown agency", prov, "?period=2026-11&agency=NOPE", "Instansi “NOPE” tidak ditemukan"},
				{"another agency, to a unit admin", unitAdmin, "?period=2026-11&agency=DEMO-RSUD", "Instansi “DEMO-RSUD” tidak ditemukan, atau bukan instansi Anda"},
				{"an unknown unit", prov, "?period=2026-11&unit=NOPE", "Unit &#34;NOPE&#34; tidak ditemukan"},
				{"a unit of another agency than asked", prov, "?period=2026-11&agency=BAPENDA&unit=RSUD-1", "Unit &#34;RSUD-1&#34; tidak ditemukan"},
			} {
				status, disposition, body := download(tt.admin, file+tt.query)
				if status != http.StatusNotFound || disposition != "" || !strings.Contains(body, tt.says) {
					t.Errorf("%s %s: %d %q, want 404 saying %q (%.300s)", ext, tt.name, status, disposition, tt.says, body)
				}
			}
		}
	})
}
