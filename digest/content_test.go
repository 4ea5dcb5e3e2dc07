package digest

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"sukma/scoring"
	"sukma/storage"
)

var jakarta, _ = time.LoadLocation("Asia/Jakarta")

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, jakarta) }

// tally counts n responses with the same scores.
func tally(n int, scores [9]int) scoring.Tally {
	var t scoring.Tally
	for range n {
		t.AddResponse(scores)
	}
	return t
}

func merged(ts ...scoring.Tally) scoring.Tally {
	var t scoring.Tally
	for _, x := range ts {
		t.Merge(x)
	}
	return t
}

var (
	week     = Period{day(2026, 11, 16), day(2026, 11, 22)}
	goodWeek = merged(tally(30, [9]int{4, 3, 2, 4, 3, 4, 4, 3, 3}), tally(15, [9]int{3, 3, 3, 4, 4, 3, 4, 3, 2}))
)

// sampleUnit is a unit's week as a head would get it.
func sampleUnit() Data {
	d := Data{
		Scope: ScopeUnit, Name: "Dukcapil Kota Malang", Period: week,
		Tally: goodWeek, Previous: tally(40, [9]int{3, 3, 3, 4, 3, 3, 3, 3, 3}), Population: 1000,
		Suggestions: []storage.Suggestion{
			{Unit: "Dukcapil Kota Malang", Perbaikan: "Antrean terlalu lama, nomor antrean habis jam 9"},
			{Unit: "Dukcapil Kota Malang", Saran: "Tambah kursi di ruang tunggu"},
			{Unit: "Dukcapil Kota Malang", Saran: "Petugas ramah, terima kasih"},
			{Unit: "Dukcapil Kota Malang", Saran: "keempat, tidak ditampilkan"},
		},
		Dashboard: "https://survei.example.go.id/admin",
	}
	for i := 5; i >= 0; i-- {
		t := tally(20+i, [9]int{3, 3, 2 + i%2, 4, 3, 3, 4, 3, 3})
		if i == 0 {
			t = goodWeek
		}
		d.Trend = append(d.Trend, TrendPoint{week.Back(i), t})
	}
	return d
}

func TestTheChartIsAPNGOfPhoneSize(t *testing.T) {
	for _, lang := range []string{"id", "en"} {
		b, err := Chart(sampleUnit(), lang)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("chart is not a PNG: %v", err)
		}
		if s := img.Bounds().Size(); s.X != ChartWidth || s.Y != ChartHeight {
			t.Errorf("chart is %v, want %dx%d", s, ChartWidth, ChartHeight)
		}
		if dir := os.Getenv("SUKMA_CHART_DIR"); dir != "" {
			os.WriteFile(dir+"/digest-"+lang+".png", b, 0o644)
			os.WriteFile(dir+"/digest-"+lang+".txt", []byte(Text(sampleUnit(), lang)), 0o644)
		}
	}
}

func TestDigestText(t *testing.T) {
	unit := sampleUnit
	tests := []struct {
		name    string
		data    func() Data
		lang    string
		want    []string
		notWant []string
	}{
		{"a unit's week shows the IKM, its grade, the rise and the weakest element first", unit, "id",
			[]string{"Periode: 16–22 Nov 2026", "IKM 82,41 · mutu B (Baik)", "▲ naik 4,63 poin dari periode sebelumnya (77,78; 40 responden)",
				"Unsur, dari yang terlemah:\n• U3 Waktu penyelesaian — 2,33 (D)", "Dasbor (perlu akun admin): https://survei.example.go.id/admin\nBerhenti berlangganan: kirim /berhenti"}, nil},
		{"counts of a thousand and more have their thousands marked", func() Data {
			d := unit()
			d.Period, d.Population = Period{day(2026, 1, 1), day(2026, 12, 31)}, 50000
			d.Tally, d.Previous = tally(1549, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}), tally(12034, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
			return d
		}, "id", []string{"(75,00; 12.034 responden)", "Responden: 1.549 — sampel memenuhi (minimum 381 per tahun)"}, []string{"1549", "12034"}},
		{"and in English with commas", func() Data {
			d := unit()
			d.Tally, d.Previous = tally(1549, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}), tally(1000, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
			return d
		}, "en", []string{"(75.00; 1,000 respondents)", "Respondents: 1,549"}, []string{"1549"}},
		{"a fall is shown with a down arrow", func() Data {
			d := unit()
			d.Previous = tally(10, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4})
			return d
		}, "id", []string{"▼ turun 17,59 poin dari periode sebelumnya (100,00; 10 responden)"}, []string{"▲", "hanya"}},
		{"an equal IKM is tetap", func() Data {
			d := unit()
			d.Previous = d.Tally
			return d
		}, "id", []string{"tetap dibanding periode sebelumnya (82,41; 45 responden)"}, []string{"▲", "▼"}},
		{"a change from a previous quarter short of its sample says it had only so many respondents", quarterAfterOne, "id",
			[]string{"▼ turun 17,59 poin dari periode sebelumnya (100,00; hanya 1 responden, sampel belum memenuhi)\n"}, nil},
		{"and in English", quarterAfterOne, "en", []string{"▼ down 17.59 points from the previous period (100.00; only 1 respondent, sample not met)\n"}, nil},
		{"without a population there is no minimum to fall short of", func() Data {
			d := quarterAfterOne()
			d.Population = 0
			return d
		}, "id", []string{"(100,00; 1 responden)\n"}, []string{"hanya"}},
		{"a province's previous period is held to its units' minimums summed", func() Data {
			d := province()
			d.Previous = tally(9, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
			return d
		}, "id", []string{"▲ naik 11,11 poin dari periode sebelumnya (75,00; hanya 9 responden, sampel belum memenuhi)"}, nil},
		{"no previous data shows no change at all", func() Data {
			d := unit()
			d.Previous = scoring.Tally{}
			return d
		}, "id", []string{"IKM 82,41"}, []string{"▲", "▼", "tetap", "sebelumnya"}},
		{"an empty period says so plainly instead of zeros", func() Data {
			d := unit()
			d.Tally, d.Suggestions = scoring.Tally{}, nil
			return d
		}, "id", []string{"Tidak ada responden pada periode ini, jadi sampel belum memenuhi (minimum 6 untuk 7 hari, prorata dari 278 per tahun).\n" +
			"Pastikan kode QR survei di loket terpasang dan mudah dilihat warga."},
			[]string{"IKM", "0,00", "Responden:", "Unsur", "pada periode ini.\n"}},
		{"and once in English too", func() Data {
			d := unit()
			d.Tally, d.Suggestions = scoring.Tally{}, nil
			return d
		}, "en", []string{"No respondents in this period, so the sample is not met (minimum 6 for 7 days, prorated from 278 a year).\n" +
			"Check that the survey QR code at the counter is up and easy to see.", "\nTo unsubscribe: send /unsubscribe"}, nil},
		{"an empty period of a unit without a population says nothing of the sample", func() Data {
			d := unit()
			d.Tally, d.Suggestions, d.Population = scoring.Tally{}, nil, 0
			return d
		}, "id", []string{"Tidak ada responden pada periode ini.\nPastikan kode QR"}, []string{"ampel", "IKM"}},
		{"a period not over yet has no respondents yet", func() Data {
			d := unit()
			d.Tally, d.Suggestions, d.Ongoing = scoring.Tally{}, nil, true
			return d
		}, "id", []string{"Belum ada responden pada periode ini, jadi sampel belum memenuhi"}, []string{"Tidak ada"}},
		{"and in English", func() Data {
			d := unit()
			d.Tally, d.Suggestions, d.Population, d.Ongoing = scoring.Tally{}, nil, 0, true
			return d
		}, "en", []string{"No respondents in this period yet.\n"}, nil},
		{"a retired unit's empty period says it is retired, not to check the QR code", func() Data {
			d := unit()
			d.Tally, d.Suggestions, d.Retired = scoring.Tally{}, nil, time.Date(2026, 11, 18, 15, 0, 0, 0, jakarta)
			return d
		}, "id", []string{"Unit ini dinonaktifkan sejak 18 November 2026 dan tidak menerima survei lagi: ringkasan tanpa responden tidak dikirim lagi."},
			[]string{"QR", "ampel"}},
		{"and in English", func() Data {
			d := unit()
			d.Tally, d.Suggestions, d.Retired = scoring.Tally{}, nil, time.Date(2026, 11, 18, 15, 0, 0, 0, jakarta)
			return d
		}, "en", []string{"This unit was retired on 18 November 2026 and takes no more surveys"}, []string{"QR"}},
		{"enough respondents meet the prorated sample", unit, "id",
			[]string{"Responden: 45 — sampel memenuhi (minimum 6 untuk 7 hari, prorata dari 278 per tahun)"}, nil},
		{"a year is held to the yearly minimum, not prorated", func() Data {
			d := unit()
			d.Period = Period{day(2025, 1, 1), day(2025, 12, 31)}
			d.Tally = tally(10, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
			return d
		}, "id", []string{"Responden: 10 — sampel belum memenuhi, kurang 268 responden (minimum 278 per tahun)"}, []string{"prorata"}},
		{"too few respondents are counted short", func() Data {
			d := unit()
			d.Period = Period{day(2026, 10, 1), day(2026, 10, 31)}
			d.Tally = tally(10, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})
			return d
		}, "id", []string{"Periode: Oktober 2026", "Responden: 10 — sampel belum memenuhi, kurang 14 responden (minimum 24 untuk 31 hari, prorata dari 278 per tahun)"}, []string{"sampel memenuhi"}},
		{"a unit without a population cannot judge the sample", func() Data {
			d := unit()
			d.Population = 0
			return d
		}, "id", []string{"populasi unit belum diisi"}, []string{"memenuhi", "kurang"}},
		{"only the three newest suggestions are quoted", unit, "id",
			[]string{"Saran terbaru:\n• “Antrean terlalu lama, nomor antrean habis jam 9”", "• “Petugas ramah, terima kasih”"}, []string{"keempat"}},
		{"English uses a decimal point and English words", unit, "en",
			[]string{"SKM digest — Dukcapil Kota Malang", "Period: 16–22 Nov 2026", "IKM 82.41 · grade B (good)", "▲ up 4.63 points", "Respondents: 45 — sample met",
				"• U3 Time to complete — 2.33 (D)", "Dashboard (admin account needed): ", "\nTo unsubscribe: send /unsubscribe"}, []string{"Ringkasan", "82,41", "/berhenti"}},
		{"the province ranks units best first, top and bottom of a long table", province, "id",
			[]string{"Ringkasan SKM — seluruh unit", "Peringkat unit (IKM):\n1. Unit 8 — 97,22 (A) · 1 responden, sampel kurang\n2. Unit 7 — 94,44 (A) · 1 responden, sampel kurang\n3. Unit 6 — 91,67 (A) · 1 responden, sampel kurang\n… dan 3 unit lain\n" +
				"7. Unit 2 — 80,56 (B) · 1 responden, sampel kurang\n8. Unit 1 — 77,78 (B) · 1 responden, sampel kurang\n9. Unit 0 — 75,00 (C) · 1 responden, sampel kurang",
				"Unit tanpa responden: Unit sepi", "Jumlah responden cukup di 0 dari 10 unit yang populasinya diketahui", "• Unit 0: “antre”"}, []string{"Unsur"}},
		{"a long unit name is shortened, not the suggestion after it", func() Data {
			d := province()
			d.Suggestions = []storage.Suggestion{{Unit: "Unit Pelaksana Teknis Daerah Pelayanan Pendapatan Daerah dan Pengelolaan Kendaraan Bermotor Wilayah Kabupaten Bojonegoro Bagian Utara Provinsi Jawa Timur",
				Perbaikan: "Antrean terlalu lama, nomor antrean habis jam 9"}}
			return d
		}, "id", []string{"• Unit Pelaksana Teknis Daerah Pelayanan…: “Antrean terlalu lama, nomor antrean habis jam 9”"}, []string{"Bojonegoro"}},
		{"elements all alike are one line, not nine", func() Data {
			d := unit()
			d.Tally = tally(1, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4})
			return d
		}, "id", []string{"\nSemua 9 unsur bernilai 4,00 (A).\n"}, []string{"Unsur, dari", "• U1"}},
		{"and in English, of the elements answered", func() Data {
			d := unit()
			d.Tally = tally(2, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 0})
			return d
		}, "en", []string{"\nAll 8 elements score 3.00 (C).\n"}, []string{"weakest"}},
		{"an IKM of nine elements says nothing of k", unit, "id", []string{"IKM 82,41"}, []string{"dihitung dari", "unsur (tanpa"}},
		{"an IKM of fewer than nine elements says from how many, and which are left out", withoutU9, "id",
			[]string{"IKM 75,00 · mutu C (Kurang Baik)\nIKM ini dihitung dari 8 unsur (tanpa U9), bukan sembilan unsur PermenPANRB 14/2017.\n"}, nil},
		{"in English too", withoutU9, "en",
			[]string{"IKM 75.00 · grade C (poor)\nThis IKM is computed from 8 elements (without U9), not the nine of PermenPANRB 14/2017.\n"}, nil},
		{"a league table marks a unit's IKM of fewer than nine elements", func() Data {
			d := province()
			d.Units[8].Tally = tally(1, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 0})
			return d
		}, "id", []string{"1. Unit 8 — 100,00 (A, dari 8 unsur) · 1 responden, sampel kurang\n2. Unit 7 — 94,44 (A) · 1 responden"}, nil},
		{"and says so in English", func() Data {
			d := province()
			d.Units[8].Tally = tally(1, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 0})
			return d
		}, "en", []string{"1. Unit 8 — 100.00 (A, from 8 elements) · 1 respondent, sample short\n"}, nil},
		{"an agency's league marks a unit short of its sample, with its respondents", twoSamsat, "id",
			[]string{"Jumlah responden cukup di 1 dari 2 unit", "Peringkat unit (IKM):\n1. Samsat Kota A — 100,00 (A) · 1 responden, sampel kurang\n2. Samsat Kota B — 61,11 (D)"}, nil},
		{"and in English", twoSamsat, "en",
			[]string{"1. Samsat Kota A — 100.00 (A) · 1 respondent, sample short\n2. Samsat Kota B — 61.11 (D)"}, nil},
		{"a unit of unknown population is not marked: its sample cannot be judged", func() Data {
			d := twoSamsat()
			d.Units[0].Population = 0
			return d
		}, "id", []string{"1. Samsat Kota A — 100,00 (A)\n"}, []string{"kurang"}},
		{"silent units past three are counted as more units", func() Data {
			d := province()
			for _, n := range []string{"Unit sunyi", "Unit hening", "Unit diam"} {
				d.Units = append(d.Units, UnitData{Code: n, Name: n})
			}
			return d
		}, "id", []string{"Unit tanpa responden: Unit sepi, Unit sunyi, Unit hening, +1 unit lain\n"}, nil},
		{"and in English", func() Data {
			d := province()
			for _, n := range []string{"Unit sunyi", "Unit hening", "Unit diam"} {
				d.Units = append(d.Units, UnitData{Code: n, Name: n})
			}
			return d
		}, "en", []string{"Units without respondents: Unit sepi, Unit sunyi, Unit hening, +1 more\n"}, nil},
		{"an empty province period still lists the silent units", func() Data {
			d := province()
			d.Tally = scoring.Tally{}
			d.Units = d.Units[9:]
			return d
		}, "en", []string{"No respondents in this period.\nCheck that the survey QR code", "Units without respondents: Unit sepi"}, []string{"IKM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.data(), tt.lang)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("text lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(got, w) {
					t.Errorf("text has %q:\n%s", w, got)
				}
			}
		})
	}
}

// quarterAfterOne is a unit's third quarter after a second quarter of one respondent, far
// short of its minimum of 70.
func quarterAfterOne() Data {
	d := sampleUnit()
	d.Period, d.Trend = Period{day(2026, 7, 1), day(2026, 9, 30)}, nil
	d.Previous = tally(1, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4})
	return d
}

// withoutU9 is a unit's week of a flow without U9: an IKM of eight elements.
func withoutU9() Data {
	d := sampleUnit()
	d.Tally, d.Previous = tally(10, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 0}), scoring.Tally{}
	return d
}

// twoSamsat is an agency's week: Samsat Kota A with one respondent, far short of its
// minimum, and Samsat Kota B with enough.
func twoSamsat() Data {
	a, b := tally(1, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}), tally(10, [9]int{3, 3, 3, 2, 2, 2, 3, 2, 2})
	return Data{Scope: ScopeAgency, Name: "Bapenda", Period: week, Tally: merged(a, b), Units: []UnitData{
		{Code: "A", Name: "Samsat Kota A", Population: 20000, Tally: a},
		{Code: "B", Name: "Samsat Kota B", Population: 500, Tally: b},
	}}
}

// province has nine units with IKMs 75.00 to 97.22 and one without responses.
func province() Data {
	d := Data{Scope: ScopeProvince, Period: week, Dashboard: "https://x/admin"}
	for i := range 9 {
		// i elements answered 4, the rest 3: IKM 75 + i·25/9.
		s := [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}
		for j := range i {
			s[j] = 4
		}
		t := tally(1, s)
		d.Units = append(d.Units, UnitData{Code: fmt.Sprintf("U%d", i), Name: fmt.Sprintf("Unit %d", i), Population: 500, Tally: t})
		d.Tally.Merge(t)
	}
	d.Units = append(d.Units, UnitData{Code: "Z", Name: "Unit sepi", Population: 100})
	d.Suggestions = []storage.Suggestion{{Unit: "Unit 0", Saran: "antre"}}
	return d
}

func TestALongDigestSendsTheChartWithAShortCaptionThenTheText(t *testing.T) {
	d := sampleUnit()
	for i := range d.Suggestions {
		d.Suggestions[i].Saran = strings.Repeat("panjang sekali ", 20)
	}
	short, err := Replies(sampleUnit(), "id")
	if err != nil || len(short) != 1 || len(short[0].Photo) == 0 || !strings.Contains(short[0].Text, "Saran terbaru") {
		t.Fatalf("a short digest: %d replies, %v", len(short), err)
	}
	d.Suggestions = append(d.Suggestions, d.Suggestions...)
	d.Name = strings.Repeat("Nama unit yang sangat panjang ", 10)
	long, err := Replies(d, "id")
	if err != nil || len(long) != 2 {
		t.Fatalf("a long digest: %d replies, %v", len(long), err)
	}
	if len(long[0].Photo) == 0 || len(long[0].Text) > CaptionLimit || !strings.Contains(long[0].Text, "pesan berikut") || long[1].Photo != nil || !strings.Contains(long[1].Text, "Saran terbaru") {
		t.Errorf("long digest replies: %q / %q", long[0].Text, long[1].Text)
	}
	empty := sampleUnit()
	empty.Tally = scoring.Tally{}
	if rs, _ := Replies(empty, "id"); len(rs) != 1 || rs[0].Photo != nil {
		t.Errorf("an empty period sends %+v, want the text alone", rs)
	}
}

func TestPeriodEnded(t *testing.T) {
	tests := []struct {
		name, schedule string
		now            time.Time
		from, to       int
	}{
		{"weekly on Monday gives last Monday to Sunday", "0 7 * * 1", time.Date(2026, 11, 23, 7, 0, 30, 0, jakarta), 20261116, 20261122},
		{"weekly later in the week still gives the week before the last Monday", "0 7 * * 1", time.Date(2026, 11, 26, 12, 0, 0, 0, jakarta), 20261116, 20261122},
		{"monthly on the first gives the last calendar month", "0 7 1 * *", time.Date(2026, 12, 1, 8, 0, 0, 0, jakarta), 20261101, 20261130},
		{"monthly in March gives all of February", "0 7 1 * *", time.Date(2026, 3, 2, 8, 0, 0, 0, jakarta), 20260201, 20260228},
		{"daily gives yesterday", "30 6 * * *", time.Date(2026, 11, 26, 6, 31, 0, 0, jakarta), 20261125, 20261125},
		{"hourly gives yesterday", "0 * * * *", time.Date(2026, 11, 26, 9, 5, 0, 0, jakarta), 20261125, 20261125},
		{"the time is read in the local zone", "0 7 * * 1", time.Date(2026, 11, 23, 0, 30, 0, 0, time.UTC), 20261116, 20261122},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSchedule(tt.schedule)
			if err != nil {
				t.Fatal(err)
			}
			p, fired := PeriodEnded(s, tt.now, jakarta)
			if p.FromDay() != tt.from || p.ToDay() != tt.to || fired.After(tt.now) {
				t.Errorf("period %d..%d (fired %v), want %d..%d", p.FromDay(), p.ToDay(), fired, tt.from, tt.to)
			}
		})
	}
}

func TestPeriodsStepBackByTheirLength(t *testing.T) {
	tests := []struct {
		name     string
		p        Period
		n        int
		from, to int
	}{
		{"a week steps back a week", week, 1, 20261109, 20261115},
		{"a month steps back a calendar month", Period{day(2026, 3, 1), day(2026, 3, 31)}, 1, 20260201, 20260228},
		{"five months back crosses the year", Period{day(2026, 2, 1), day(2026, 2, 28)}, 5, 20250901, 20250930},
		{"a ten-day period steps back ten days", Period{day(2026, 11, 1), day(2026, 11, 10)}, 1, 20261022, 20261031},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if b := tt.p.Back(tt.n); b.FromDay() != tt.from || b.ToDay() != tt.to {
				t.Errorf("Back(%d) = %d..%d, want %d..%d", tt.n, b.FromDay(), b.ToDay(), tt.from, tt.to)
			}
		})
	}
}

func TestAnInvalidScheduleIsRefused(t *testing.T) {
	for _, expr := range []string{"", "every monday", "61 * * * *", "0 7 * * 8 9", "0 8 31 2 *", "0 8 30 2 *"} {
		if _, err := ParseSchedule(expr); err == nil {
			t.Errorf("ParseSchedule(%q) accepted it", expr)
		}
	}
	// A fixed delay counts from whenever it is asked: no period ends at its fires, and the
	// library takes one below a second as every second.
	for _, expr := range []string{"@every -5m", "@every 0s", "@every 1h", " @every 168h "} {
		if _, err := ParseSchedule(expr); err == nil || !strings.Contains(err.Error(), "@daily, @weekly, @monthly or @yearly") {
			t.Errorf("ParseSchedule(%q) = %v, want a refusal that lists what is accepted", expr, err)
		}
	}
	for _, expr := range []string{DefaultSchedule, "0 7 1 * *", "0 7 * * *", "30 6 * * 1-5", "@daily", "@weekly", "@monthly", "@yearly", "@midnight"} {
		if _, err := ParseSchedule(expr); err != nil {
			t.Errorf("ParseSchedule(%q) refused it: %v", expr, err)
		}
	}
	if _, err := ParseSchedule("0 8 29 2 *"); err != nil { // every leap year
		t.Errorf("the 29th of February refused: %v", err)
	}
	if _, err := ParsePeriod("2026-11-30..2026-11-01", jakarta); err == nil {
		t.Error("a period ending before it starts was accepted")
	}
	if p, err := ParsePeriod("2026-11-01..2026-11-30", jakarta); err != nil || p.Days() != 30 {
		t.Errorf("ParsePeriod: %+v, %v", p, err)
	}
}

func TestTrendPointsAreLabelledByTheirPeriod(t *testing.T) {
	l := langOf("id")
	for _, tt := range []struct {
		p    Period
		want string
	}{
		{Period{day(2026, 11, 1), day(2026, 11, 30)}, "Nov"},
		{Period{day(2026, 7, 1), day(2026, 9, 30)}, "Jul–Sep"},
		{Period{day(2026, 1, 1), day(2026, 6, 30)}, "Jan–Jun"},
		{Period{day(2026, 1, 1), day(2026, 12, 31)}, "2026"},
		{Period{day(2026, 11, 16), day(2026, 11, 22)}, "16/11"},
	} {
		if got := shortPeriod(l, tt.p); got != tt.want {
			t.Errorf("%v–%v: %q, want %q", tt.p.From, tt.p.To, got, tt.want)
		}
	}
}

func TestTheTrendStepsBackByTheSchedule(t *testing.T) {
	days := func(ps []Period) (out []string) {
		for _, p := range ps {
			out = append(out, fmt.Sprintf("%d..%d", p.FromDay(), p.ToDay()))
		}
		return out
	}
	for _, tt := range []struct {
		name, schedule string
		p              Period
		want           []string
	}{
		{"twice a month: the halves of the months", "0 7 1,16 * *", Period{day(2026, 11, 1), day(2026, 11, 15)},
			[]string{"20260816..20260831", "20260901..20260915", "20260916..20260930", "20261001..20261015", "20261016..20261031", "20261101..20261115"}},
		{"weekly: the weeks before", "0 7 * * 1", Period{day(2026, 11, 16), day(2026, 11, 22)},
			[]string{"20261012..20261018", "20261019..20261025", "20261026..20261101", "20261102..20261108", "20261109..20261115", "20261116..20261122"}},
		{"quarterly: the quarters before", "0 7 1 1,4,7,10 *", Period{day(2026, 7, 1), day(2026, 9, 30)},
			[]string{"20250401..20250630", "20250701..20250930", "20251001..20251231", "20260101..20260331", "20260401..20260630", "20260701..20260930"}},
		{"a period sent by hand steps back by its length", "0 7 * * 1", Period{day(2026, 11, 1), day(2026, 11, 10)},
			[]string{"20260912..20260921", "20260922..20261001", "20261002..20261011", "20261012..20261021", "20261022..20261031", "20261101..20261110"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := days(trendPeriods(tt.schedule, tt.p, jakarta)); !slices.Equal(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestAPeriodHasItsCalendarDays(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		period string
		loc    *time.Location
		want   int
	}{
		{"2026-11-01..2026-11-30", jakarta, 30},
		{"0001-01-01..9999-12-31", jakarta, 3652059}, // past what a time.Duration holds
		{"2026-03-01..2026-03-31", ny, 31},           // with a 23-hour day
		{"2026-11-07..2026-11-07", jakarta, 1},
	} {
		p, err := ParsePeriod(tt.period, tt.loc)
		if err != nil || p.Days() != tt.want {
			t.Errorf("%s in %s: %d days, %v; want %d", tt.period, tt.loc, p.Days(), err, tt.want)
		}
	}
}
