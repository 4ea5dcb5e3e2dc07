package admin

import (
	"context"
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
			"Sampel minimum (Krejcie–Morgan)":     "648", // 278 + 370, not the 371 of 11,000 taken as one
			"Kecukupan sampel":                    "belum memenuhi",
		} {
			if got := cell(label); got != want {
				t.Errorf("%s: %q, want %q", label, got, want)
			}
		}
	})
}
