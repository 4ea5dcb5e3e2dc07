package report_test

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/report"
	"sukma/scoring"
)

// age is an answered age.
func age(n int) *int { return &n }

var firstHalf = report.Meta{Unit: "A — Unit A", From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)}

// build makes a workbook of the respondents and opens it again.
func build(t *testing.T, m report.Meta, rs []report.Respondent) (*excelize.File, scoring.Result) {
	t.Helper()
	w, err := report.New(m)
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

func TestWorkbookShowsUnder15OnlyWhenCounted(t *testing.T) {
	f, _ := build(t, firstHalf, []report.Respondent{{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, JenisKelamin: "L", Usia: age(12)}})
	for cell, want := range map[string]string{"A11": "< 15 tahun", "B11": "1", "A12": "15–24 tahun", "B12": "0"} {
		if got, err := f.GetCellValue(report.SheetProfil, cell); err != nil || got != want {
			t.Errorf("%s!%s = %q (%v), want %q", report.SheetProfil, cell, got, err, want)
		}
	}
}

// An age of 0 (a custom flow may allow it) is under 15, as the API's profile has it; only a
// missing age is "Tidak diisi".
func TestWorkbookBandsAge0AsUnder15AndNoAgeAsNotGiven(t *testing.T) {
	all3 := [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}
	f, _ := build(t, firstHalf, []report.Respondent{{Scores: all3, Usia: age(0)}, {Scores: all3, Usia: age(0)}, {Scores: all3}})
	_, rows := beside(t, f, report.SheetProfil, "Usia")
	if len(rows) < 8 || !slices.Equal(rows[0][:2], []string{"< 15 tahun", "2"}) || !slices.Equal(rows[7][:2], []string{"Tidak diisi", "1"}) {
		t.Errorf("age rows %q, want 2 under 15 first and 1 not given last", rows[:min(8, len(rows))])
	}
}

func TestWorkbook(t *testing.T) {
	f, res := build(t, firstHalf, []report.Respondent{
		{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, JenisKelamin: "L", Usia: age(20), Pendidikan: "S1", Pekerjaan: "PNS", Layanan: "KTP-el"},
		{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 2, 0}, JenisKelamin: "P", Usia: age(61), Pendidikan: "SMA", Layanan: "KTP-el"},
		{JenisKelamin: "P", Usia: age(62), Layanan: "KK"}, // answered no element: not a respondent, no row
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
		{"a respondent row is numbered, skipping a response with no element", report.SheetPengolahan, "A8", "3"},
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
		{"the age bands are the API's", report.SheetProfil, "A11", "15–24 tahun"},
		{"age 20 is in the youngest band", report.SheetProfil, "B11", "1"},
		{"age 61 is in 55–64", report.SheetProfil, "B15", "1"},
		{"the oldest band", report.SheetProfil, "A16", "≥ 65 tahun"},
		{"a missing age is counted as not given", report.SheetProfil, "A17", "Tidak diisi"},
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
	f, res := build(t, firstHalf, nil)
	t.Run("a period without responses says there is no answer yet", func(t *testing.T) {
		got, _ := f.GetCellValue(report.SheetPengolahan, "B10")
		if res.Answered || got != "belum ada jawaban" {
			t.Errorf("B10 = %q, result %+v", got, res)
		}
	})
}

// beside returns the rows of a sheet after the first whose column A is label, and that row's
// column B.
func beside(t *testing.T, f *excelize.File, sheet, label string) (string, [][]string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == label {
			b := ""
			if len(r) > 1 {
				b = r[1]
			}
			return b, rows[i+1:]
		}
	}
	t.Fatalf("%s: no row %q in %q", sheet, label, rows)
	return "", nil
}

// A report of 1–30 November counts the fourth quarter up to 30 November: its trend row must
// say so, since the whole quarter elsewhere gives another IKM and count.
func TestTheTrendLabelsAQuarterTheReportCuts(t *testing.T) {
	var q scoring.Tally
	q.AddResponse([9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
	m := report.Meta{Unit: "A — Unit A", From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
		Trend: []report.Trend{{Label: "Triwulan III 2026", Tally: q}, {Label: "Triwulan IV 2026", Tally: q, Cut: true}}}
	f, _ := build(t, m, []report.Respondent{{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}}})
	_, trend := beside(t, f, report.SheetRingkasan, "Tren IKM")
	if len(trend) < 3 || trend[1][0] != "Triwulan III 2026" || trend[2][0] != "Triwulan IV 2026 (s.d. 30 Nov)" {
		t.Errorf("trend %q: want the last quarter labelled as counted up to 30 November", trend)
	}
}

func TestSummary(t *testing.T) {
	rs := []report.Respondent{
		{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}},
		{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 2, 0}},
		{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 1, 3}},
	}
	var q1 scoring.Tally
	q1.AddResponse([9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
	m := firstHalf
	m.Sample = &scoring.Sample{Population: 1000, Required: 139, Met: false}
	m.Trend = []report.Trend{{Label: "2025-Q4"}, {Label: "2026-Q1", Tally: q1}}
	f, _ := build(t, m, rs)
	for _, tt := range []struct{ label, want string }{
		{"Metode pengumpulan data", report.Method},
		{"Jumlah responden", "3"},
		{"Populasi penerima layanan (setahun)", "1000"},
		{"Sampel minimum untuk 181 hari (Krejcie–Morgan setahun, prorata)", "139"},
		{"Kecukupan sampel", "belum memenuhi"},
		{"IKM unit pelayanan", "81.02"},
		{"Mutu pelayanan", "B"},
	} {
		if got, _ := beside(t, f, report.SheetRingkasan, tt.label); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.label, got, tt.want)
		}
	}
	_, els := beside(t, f, report.SheetRingkasan, "No.")
	if got := els[0]; got[1] != "U8" || got[7] != "terlemah" {
		t.Errorf("the weakest element first, marked so: %q", got)
	}
	if got := els[8]; got[7] != "terkuat" {
		t.Errorf("the strongest element last, marked so: %q", got)
	}
	notes := func(rs ...[9]int) map[string]string {
		var resp []report.Respondent
		for _, r := range rs {
			resp = append(resp, report.Respondent{Scores: r})
		}
		f, _ := build(t, firstHalf, resp)
		_, els := beside(t, f, report.SheetRingkasan, "No.")
		got := map[string]string{}
		for _, e := range els[:9] {
			if len(e) > 7 && e[7] != "" {
				got[e[1]] = e[7]
			}
		}
		return got
	}
	if got := notes([9]int{3, 2, 3, 4, 3, 3, 4, 2, 3}); !maps.Equal(got, map[string]string{"U2": "terlemah", "U8": "terlemah", "U4": "terkuat", "U7": "terkuat"}) {
		t.Errorf("tied elements are marked alike: %v", got)
	}
	if got := notes([9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}); len(got) != 0 {
		t.Errorf("equal elements are neither weakest nor strongest: %v", got)
	}
	if got := notes([9]int{0, 0, 2, 0, 0, 0, 0, 0, 0}); got["U3"] != "" || len(got) != 8 || got["U1"] != "belum ada jawaban" {
		t.Errorf("one answered element is neither weakest nor strongest, the others unanswered: %v", got)
	}
	_, trend := beside(t, f, report.SheetRingkasan, "Tren IKM")
	if len(trend) < 3 || trend[0][0] != "Periode" {
		t.Fatalf("trend: %q", trend)
	}
	if trend = trend[1:]; trend[0][0] != "2025-Q4" || trend[0][1] != "0" || trend[0][2] != "—" ||
		trend[1][0] != "2026-Q1" || trend[1][1] != "1" || trend[1][2] != "75.00" || trend[1][3] != "C" {
		t.Errorf("trend: %q", trend)
	}

	m.Sample, m.Trend = &scoring.Sample{Population: 1000, Required: 3, Met: true}, nil
	f, _ = build(t, m, rs)
	if got, _ := beside(t, f, report.SheetRingkasan, "Kecukupan sampel"); got != "memenuhi" {
		t.Errorf("a met sample: %q", got)
	}
	// Pooled over units, a sample not met says how many units met their own minimum, and
	// the units left out for want of a population are named.
	m.Sample = &scoring.Sample{Population: 3000, Required: 9, Met: false, Units: 3, UnitsMet: 2, UnitsWithoutPopulation: 1}
	f, _ = build(t, m, rs)
	if got, _ := beside(t, f, report.SheetRingkasan, "Kecukupan sampel"); got != "belum memenuhi (2 dari 3 unit memenuhi sampel minimumnya sendiri)" {
		t.Errorf("a pooled sample not met: %q", got)
	}
	if got, _ := beside(t, f, report.SheetRingkasan, "Unit tanpa populasi"); got != "1 unit belum diisi populasinya: tidak ikut dinilai kecukupan sampelnya" {
		t.Errorf("a unit without a population: %q", got)
	}
	m.Sample = nil
	f, _ = build(t, m, rs)
	if got, _ := beside(t, f, report.SheetRingkasan, "Kecukupan sampel"); got != "populasi belum diisi" {
		t.Errorf("no population: %q", got)
	}
	// One service of a unit: named beside the unit, and no sample check (a service has no
	// population of its own), whatever the unit's is.
	m.Sample, m.Service = &scoring.Sample{Population: 1000, Required: 3, Met: true}, "KTP-el"
	f, _ = build(t, m, rs)
	if got, _ := beside(t, f, report.SheetRingkasan, "Unit pelayanan"); got != "A — Unit A — layanan KTP-el" {
		t.Errorf("the unit of one service: %q", got)
	}
	if got, _ := beside(t, f, report.SheetRingkasan, "Kecukupan sampel"); got != "dinilai per unit, bukan per layanan" {
		t.Errorf("the sample of one service: %q", got)
	}
	m.Sample, m.Service = nil, ""
	f, _ = build(t, m, rs)
	if rows, _ := f.GetRows(report.SheetRingkasan); slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == "Tren IKM" }) {
		t.Errorf("a trend table without a trend")
	}
}

// followUpPlan returns the follow-up plan of a workbook of these scores: the line that says
// which elements it lists, its header, the elements' rows and the line after them.
func followUpPlan(t *testing.T, scores ...[9]int) (intro string, header []string, els [][]string, after string) {
	t.Helper()
	var rs []report.Respondent
	for _, s := range scores {
		rs = append(rs, report.Respondent{Scores: s})
	}
	f, _ := build(t, firstHalf, rs)
	_, rows := beside(t, f, report.SheetRingkasan, report.LabelFollowUp)
	if len(rows) < 2 {
		t.Fatalf("follow-up plan: %q", rows)
	}
	intro, rows = rows[0][0], rows[1:]
	if len(rows) > 1 {
		header, rows = rows[0], rows[1:]
	}
	return intro, header, rows[:len(rows)-1], rows[len(rows)-1][0]
}

func TestSummaryHasAFollowUpPlanForThePublicConsultationForum(t *testing.T) {
	codes := func(els [][]string) (got []string) {
		for _, e := range els {
			got = append(got, e[1])
			if len(e) > 5 {
				t.Errorf("the action, person in charge and deadline are left for the unit to fill in: %q", e)
			}
		}
		return got
	}
	t.Run("every element below B is listed, weakest first, with columns to fill in", func(t *testing.T) {
		// U8: NRR 2.33 (D), U1 2.67 (C); the others B or A.
		intro, header, els, after := followUpPlan(t,
			[9]int{3, 4, 4, 4, 4, 4, 4, 4, 4},
			[9]int{3, 3, 3, 3, 3, 3, 3, 2, 3},
			[9]int{2, 3, 3, 3, 3, 3, 3, 1, 3})
		if intro != "Unsur dengan mutu di bawah B (Baik), dari yang terlemah:" {
			t.Errorf("intro %q", intro)
		}
		if want := []string{"No.", "Kode", "Unsur", "NRR", "Mutu", "Rencana perbaikan", "Penanggung jawab", "Waktu"}; !slices.Equal(header, want) {
			t.Errorf("header %q, want %q", header, want)
		}
		if got := codes(els); !slices.Equal(got, []string{"U8", "U1"}) {
			t.Errorf("elements %q, want U8, U1", got)
		}
		if want := []string{"1", "U8", "Penanganan Pengaduan, Saran dan Masukan", "2.33", "D"}; !slices.Equal(els[0], want) {
			t.Errorf("first row %q, want %q", els[0], want)
		}
		if after != report.ForumNote {
			t.Errorf("the plan ends with %q, want the public consultation forum", after)
		}
	})
	t.Run("with none below B the three weakest are listed", func(t *testing.T) {
		intro, _, els, _ := followUpPlan(t,
			[9]int{4, 4, 4, 4, 4, 4, 4, 4, 4},
			[9]int{4, 4, 4, 4, 4, 4, 4, 4, 4},
			[9]int{4, 4, 4, 3, 4, 3, 4, 2, 4})
		if intro != "Tidak ada unsur dengan mutu di bawah B (Baik); unsur dengan NRR terendah:" {
			t.Errorf("intro %q", intro)
		}
		if got := codes(els); !slices.Equal(got, []string{"U8", "U4", "U6"}) {
			t.Errorf("elements %q, want U8, U4, U6", got)
		}
	})
	t.Run("an element tied with the third weakest is listed too", func(t *testing.T) {
		_, _, els, _ := followUpPlan(t,
			[9]int{4, 4, 4, 4, 4, 4, 4, 4, 4},
			[9]int{4, 4, 4, 4, 4, 4, 4, 4, 4},
			[9]int{4, 4, 4, 4, 3, 3, 3, 2, 4})
		if got := codes(els); !slices.Equal(got, []string{"U8", "U5", "U6", "U7"}) {
			t.Errorf("elements %q, want U8, U5, U6, U7", got)
		}
	})
	t.Run("without answers there is nothing to list, and the forum is still named", func(t *testing.T) {
		intro, header, els, after := followUpPlan(t)
		if intro != "Belum ada jawaban: belum ada unsur yang dapat ditindaklanjuti." || header != nil || len(els) != 0 || after != report.ForumNote {
			t.Errorf("plan %q %q %q %q", intro, header, els, after)
		}
	})
}

// An IKM computed from fewer than nine elements (a flow without U9, say) is not the
// regulation's nine-element index: the summary says from how many, and which are left out.
func TestSummarySaysWhenTheIKMIsFromFewerThanNineElements(t *testing.T) {
	hasRow := func(f *excelize.File) bool {
		rows, _ := f.GetRows(report.SheetRingkasan)
		return slices.ContainsFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == report.LabelElementsCounted })
	}
	eight := []report.Respondent{{Scores: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 0}}, {Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 0, 0}}}
	f, res := build(t, firstHalf, eight)
	if res.K != 8 {
		t.Fatalf("k = %d; the fixture is meant to leave U9 out", res.K)
	}
	want := "IKM dihitung dari 8 unsur (tanpa U9), bukan sembilan unsur PermenPANRB 14/2017"
	if got, _ := beside(t, f, report.SheetRingkasan, report.LabelElementsCounted); got != want {
		t.Errorf("%s: %q, want %q", report.LabelElementsCounted, got, want)
	}
	if f, _ := build(t, firstHalf, []report.Respondent{{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}}}); hasRow(f) {
		t.Errorf("an IKM of nine elements has a %q row", report.LabelElementsCounted)
	}
	if f, _ := build(t, firstHalf, nil); hasRow(f) {
		t.Errorf("a period without an IKM has a %q row", report.LabelElementsCounted)
	}

	var seven scoring.Tally
	seven.AddResponse([9]int{3, 3, 3, 3, 3, 3, 3, 0, 0})
	m := firstHalf
	m.Trend = []report.Trend{{Label: "2026-Q1", Tally: seven}}
	f, _ = build(t, m, []report.Respondent{{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}}})
	_, trend := beside(t, f, report.SheetRingkasan, "Tren IKM")
	if len(trend) < 2 || trend[0][5] != "Keterangan" || len(trend[1]) < 6 || trend[1][5] != "dari 7 unsur (tanpa U8, U9)" {
		t.Errorf("trend %q: want the 2026-Q1 IKM noted as from 7 elements", trend[:min(2, len(trend))])
	}
}

// The cells of NRR and NRR tertimbang hold their exact values, shown to 4 decimals: a reader
// who sums the row of NRR tertimbang in the spreadsheet gets the nilai indeks, and 25 times it
// the IKM. Rounded to 4 decimals, a row summed to 3.5323 where the index is 3.53216: an A by
// hand against the IKM's B.
func TestWorkbookRowsSumToTheIndex(t *testing.T) {
	f, res := build(t, firstHalf, []report.Respondent{
		{Scores: [9]int{4, 4, 3, 4, 4, 4, 4, 3, 4}}, {Scores: [9]int{4, 3, 4, 4, 3, 4, 4, 4, 3}}, {Scores: [9]int{3, 4, 4, 3, 4, 3, 4, 4, 4}},
	})
	raw := excelize.Options{RawCellValue: true}
	var sum float64
	for col := 'B'; col <= 'J'; col++ {
		v, err := f.GetCellValue(report.SheetPengolahan, string(col)+"12", raw)
		w, perr := strconv.ParseFloat(v, 64)
		if err != nil || perr != nil {
			t.Fatalf("NRR tertimbang %c12 = %q: %v %v", col, v, err, perr)
		}
		sum += w
	}
	indeks, _ := res.Indeks.Float64()
	if math.Abs(sum-indeks) > 1e-12 {
		t.Errorf("the row of NRR tertimbang sums to %.10f, the nilai indeks is %.10f", sum, indeks)
	}
	if got, want := fmt.Sprintf("%.2f", sum*25), res.IKM.String(); got != want {
		t.Errorf("25 × the row's sum is %s, the IKM %s", got, want)
	}
	if shown, _ := f.GetCellValue(report.SheetPengolahan, "B12"); shown != "0.4074" {
		t.Errorf("NRR tertimbang of U1 shows %q, want 4 decimals, 0.4074", shown)
	}
}
