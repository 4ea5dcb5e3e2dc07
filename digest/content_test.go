package digest

import (
	"bytes"
	"image/png"
	"os"
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

func TestTextSample(t *testing.T) {
	txt := Text(sampleUnit(), "id")
	t.Log("\n" + txt)
	if !strings.Contains(txt, "IKM") {
		t.Fatal(txt)
	}
}
