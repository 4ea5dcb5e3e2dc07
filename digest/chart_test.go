package digest

import (
	"slices"
	"strings"
	"testing"
)

func TestTheChartTitleIsCutAtAWordWithAnEllipsis(t *testing.T) {
	f, err := loadFaces()
	if err != nil {
		t.Fatal(err)
	}
	const w = ChartWidth - 60
	for _, name := range []string{
		"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kabupaten Banyuwangi",
		"Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Jawa Timur",
	} {
		got := cutWords(f.big, name, w)
		if !strings.HasSuffix(got, "…") || !strings.HasPrefix(name, strings.TrimSuffix(got, "…")+" ") || width(f.big, got) > w {
			t.Errorf("%q → %q: want whole words that fit %d pixels, then …", name, got, w)
		}
	}
	if got := cutWords(f.big, "Dukcapil Kota Malang", w); got != "Dukcapil Kota Malang" {
		t.Errorf("a short name was changed: %q", got)
	}
	if got := cutWords(f.big, strings.Repeat("X", 200), w); !strings.HasSuffix(got, "…") || width(f.big, got) > w {
		t.Errorf("one long word: %q", got)
	}
}

func TestTheTrendAxisReachesDownTo25ForAPointBelow50(t *testing.T) {
	pts := []TrendPoint{{week.Back(1), tally(3, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3})}, {week, tally(1, [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1})}}
	if lo, ticks := trendAxis(pts); lo != 25 || ticks[0] != 25 {
		t.Errorf("a 25,00 point: axis from %v, ticks %v; want from 25", lo, ticks)
	}
	if lo, ticks := trendAxis(pts[:1]); lo != 50 || !slices.Equal(ticks, []float64{50, 65, 76.61, 88.31, 100}) {
		t.Errorf("points of 75,00 only: axis from %v, ticks %v; want 50–100", lo, ticks)
	}
	if lo, _ := trendAxis(append(pts[:1], TrendPoint{Period: week})); lo != 50 {
		t.Errorf("a period without respondents is no point below 50: axis from %v", lo)
	}
}
