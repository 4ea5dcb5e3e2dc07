package report_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/report"
	"sukma/scoring"
)

// build makes a workbook of the respondents and opens it again.
func build(t *testing.T, rs []report.Respondent) (*excelize.File, scoring.Result) {
	t.Helper()
	w, err := report.New(report.Meta{Unit: "A — Unit A", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, r := range rs {
		if err := w.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	res, err := w.Finish(&buf)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, res
}

func TestWorkbook(t *testing.T) {
	f, res := build(t, []report.Respondent{
		{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, JenisKelamin: "L", Usia: 20, Pendidikan: "S1", Pekerjaan: "PNS", Layanan: "KTP-el"},
		{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 2, 0}, JenisKelamin: "P", Usia: 61, Pendidikan: "SMA", Layanan: "KTP-el"},
		{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 1, 3}, JenisKelamin: "P", Layanan: "KK"},
	})
	if res.IKM.String() != "81.02" {
		t.Fatalf("IKM %s; the fixture is meant to give 81.02", res.IKM)
	}
	tests := []struct {
		name, sheet, cell, want string
	}{
		{"the working sheet carries the regulation's title", report.SheetPengolahan, "A1", report.TitlePengolahan},
		{"the period is written the Indonesian way", report.SheetPengolahan, "B3", "1 Januari 2026 – 30 Juni 2026"},
		{"the column headers are the element codes", report.SheetPengolahan, "J5", "U9"},
		{"a respondent row is numbered", report.SheetPengolahan, "A8", "3"},
		{"an unanswered element is an empty cell", report.SheetPengolahan, "J7", ""},
		{"the footer starts with the sums", report.SheetPengolahan, "A9", report.LabelSum},
		{"the sum of U8 is 7", report.SheetPengolahan, "I9", "7"},
		{"n of U9 counts the answers only", report.SheetPengolahan, "J10", "2"},
		{"NRR shows 4 decimals", report.SheetPengolahan, "I11", "2.3333"},
		{"NRR tertimbang is NRR/9", report.SheetPengolahan, "I12", "0.2593"},
		{"the IKM equals scoring.Compute's", report.SheetPengolahan, "B14", res.IKM.String()},
		{"the IKM row is labelled", report.SheetPengolahan, "A14", report.LabelIKM},
		{"the mutu follows", report.SheetPengolahan, "B15", "B"},
		{"the kinerja follows", report.SheetPengolahan, "B16", "Baik"},
		{"the profile counts women", report.SheetProfil, "B8", "2"},
		{"the profile gives percentages", report.SheetProfil, "C8", "66.67%"},
		{"age 20 is in the youngest band", report.SheetProfil, "B11", "1"},
		{"a missing age is counted as not given", report.SheetProfil, "A17", "Tidak diisi"},
		{"the summary shows the IKM", report.SheetRingkasan, "B5", "81.02"},
		{"the weakest element comes first", report.SheetRingkasan, "B11", "U8"},
		{"and is marked so", report.SheetRingkasan, "H11", "terlemah"},
		{"the strongest element comes last", report.SheetRingkasan, "H19", "terkuat"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.GetCellValue(tt.sheet, tt.cell)
			if err != nil || got != tt.want {
				t.Errorf("%s!%s = %q (%v), want %q", tt.sheet, tt.cell, got, err, tt.want)
			}
		})
	}
}

func TestEmptyWorkbook(t *testing.T) {
	f, res := build(t, nil)
	t.Run("a period without responses says there is no answer yet", func(t *testing.T) {
		got, _ := f.GetCellValue(report.SheetPengolahan, "B10")
		if res.Answered || got != "belum ada jawaban" {
			t.Errorf("B10 = %q, result %+v", got, res)
		}
	})
}
