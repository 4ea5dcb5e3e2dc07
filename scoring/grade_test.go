package scoring

import (
	"encoding/json"
	"math/big"
	"testing"
)

func TestGradeOf(t *testing.T) {
	tests := []struct {
		name  string
		ikm   Hundredths
		bands Bands
		mutu  string
	}{
		{"100.00 is an A", 10000, Bands2017, "A"},
		{"88.31 is an A", 8831, Bands2017, "A"},
		{"88.30 is a B", 8830, Bands2017, "B"},
		{"76.61 is a B", 7661, Bands2017, "B"},
		{"76.60 is a C", 7660, Bands2017, "C"},
		{"65.00 is a C", 6500, Bands2017, "C"},
		{"64.99 is a D", 6499, Bands2017, "D"},
		{"25.00 is a D", 2500, Bands2017, "D"},
		{"76.47 is a C under the 2017 bands", 7647, Bands2017, "C"},
		{"76.47 was a B under the 2004 bands", 7647, Bands2004, "B"},
		{"81.26 was an A under the 2004 bands", 8126, Bands2004, "A"},
		{"81.25 was a B under the 2004 bands", 8125, Bands2004, "B"},
		{"62.51 was a B under the 2004 bands", 6251, Bands2004, "B"},
		{"62.50 was a C under the 2004 bands", 6250, Bands2004, "C"},
		{"43.76 was a C under the 2004 bands", 4376, Bands2004, "C"},
		{"43.75 was a D under the 2004 bands", 4375, Bands2004, "D"},
		{"an unknown band set grades like 2017", 8831, Bands(99), "A"},
	}
	kinerja := map[string]string{"A": "Sangat Baik", "B": "Baik", "C": "Kurang Baik", "D": "Tidak Baik"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GradeOf(tt.ikm, tt.bands)
			if want := (Grade{tt.mutu, kinerja[tt.mutu]}); got != want {
				t.Errorf("GradeOf(%v) = %+v, want %+v", tt.ikm, got, want)
			}
		})
	}
}

func TestRounding(t *testing.T) {
	tests := []struct {
		name string
		r    *big.Rat
		want Hundredths
	}{
		{"88.305 rounds up to 88.31", big.NewRat(88305, 1000), 8831},
		{"88.3049 rounds down to 88.30", big.NewRat(883049, 10000), 8830},
		{"76.605 rounds up to 76.61", big.NewRat(76605, 1000), 7661},
		{"64.995 rounds up to 65.00", big.NewRat(64995, 1000), 6500},
		{"2/3 rounds to 0.67", big.NewRat(2, 3), 67},
		{"an integer stays put", big.NewRat(25, 1), 2500},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := toHundredths(tt.r); got != tt.want {
				t.Errorf("got %v", got)
			}
		})
	}
}

func TestHundredthsFormats(t *testing.T) {
	tests := []struct {
		h            Hundredths
		point, comma string
	}{
		{9148, "91.48", "91,48"},
		{10000, "100.00", "100,00"},
		{2500, "25.00", "25,00"},
		{305, "3.05", "3,05"},
		{7, "0.07", "0,07"},
		{0, "0.00", "0,00"},
		{-150, "-1.50", "-1,50"},
	}
	for _, tt := range tests {
		t.Run(tt.point+" prints with a point, a comma and as a bare JSON number", func(t *testing.T) {
			if got := tt.h.String(); got != tt.point {
				t.Errorf("String() = %q", got)
			}
			if got := tt.h.Comma(); got != tt.comma {
				t.Errorf("Comma() = %q", got)
			}
			b, err := json.Marshal(struct{ X Hundredths }{tt.h})
			if err != nil || string(b) != `{"X":`+tt.point+`}` {
				t.Errorf("json = %s, %v", b, err)
			}
		})
	}
}

func TestSampleSize(t *testing.T) {
	tests := []struct {
		population, want int64
	}{
		{100, 80}, {500, 217}, {1000, 278}, {10000, 370}, {1000000, 384},
		{1, 1}, {10, 10}, {0, 0}, {-5, 0},
		{1 << 62, 384},
	}
	for _, tt := range tests {
		t.Run("a population of "+itoa(tt.population)+" needs "+itoa(tt.want), func(t *testing.T) {
			if got := SampleSize(tt.population); got != tt.want {
				t.Errorf("SampleSize(%d) = %d", tt.population, got)
			}
		})
	}
	t.Run("the sample is met from the required number of respondents on", func(t *testing.T) {
		if s := NewSample(1000, 278); !s.Met || s.Required != 278 || s.Population != 1000 {
			t.Errorf("%+v", s)
		}
		if s := NewSample(1000, 277); s.Met {
			t.Errorf("%+v", s)
		}
	})
}

func itoa(n int64) string { return big.NewInt(n).String() }

func TestElementIndex(t *testing.T) {
	for i, e := range Elements {
		if got, ok := ElementIndex(e.Code); !ok || got != i {
			t.Errorf("ElementIndex(%q) = %d, %v", e.Code, got, ok)
		}
	}
	for _, code := range []string{"u3", "U10", "", "U0"} {
		if _, ok := ElementIndex(code); ok {
			t.Errorf("ElementIndex(%q) found", code)
		}
	}
}

func TestPeriodSampleSize(t *testing.T) {
	tests := []struct {
		population int64
		days       int
		want       int64
	}{
		{1000, 365, 278}, {1000, 366, 278}, {1000, 730, 278}, // a year or more: the yearly minimum
		{1000, 90, 69},  // 278·90/365 = 68.5…, rounded up
		{1000, 31, 24},  // 23.6… → 24
		{1000, 7, 6},    // 5.3… → 6
		{1000, 1, 1},    // 0.76… → 1
		{730, 180, 125}, // SampleSize(730) = 253; 253·180/365 = 124.8 → 125
		{0, 90, 0}, {1000, 0, 0}, {1000, -3, 0},
	}
	for _, tt := range tests {
		if got := PeriodSampleSize(tt.population, tt.days); got != tt.want {
			t.Errorf("PeriodSampleSize(%d, %d) = %d, want %d", tt.population, tt.days, got, tt.want)
		}
	}
	if s := NewPeriodSample(1000, 69, 90); !s.Met || s.Required != 69 || s.Population != 1000 {
		t.Errorf("69 respondents in 90 days of a population of 1000: %+v", s)
	}
	if s := NewPeriodSample(1000, 68, 90); s.Met {
		t.Errorf("68 respondents in 90 days of a population of 1000: %+v", s)
	}
}

func TestPooledSample(t *testing.T) {
	if s := PooledSample(nil, 365); s != nil {
		t.Errorf("no units: %+v, want nil", s)
	}
	if s := PooledSample([]UnitSample{{Population: 0, Respondents: 50}}, 365); s != nil {
		t.Errorf("no unit with a population: %+v, want nil", s)
	}
	units := []UnitSample{
		{Population: 1000, Respondents: 330},
		{Population: 1000, Respondents: 0},
		{Population: 5000, Retired: true}, // left out: retired, no respondents
		{Population: 0, Respondents: 12},  // left out: no population
	}
	if s := PooledSample(units, 365); *s != (Sample{Population: 2000, Required: 556, Met: false, Units: 2, UnitsMet: 1, UnitsWithoutPopulation: 1}) {
		t.Errorf("one unit short: %+v", *s)
	}
	units[1].Respondents = 278
	if s := PooledSample(units, 365); *s != (Sample{Population: 2000, Required: 556, Met: true, Units: 2, UnitsMet: 2, UnitsWithoutPopulation: 1}) {
		t.Errorf("both units met: %+v", *s)
	}
	units[2].Respondents = 1 // a retired unit that still had respondents counts
	if s := PooledSample(units, 90); *s != (Sample{Population: 7000, Required: 69 + 69 + 89, Met: false, Units: 3, UnitsMet: 2, UnitsWithoutPopulation: 1}) {
		t.Errorf("a quarter, with the retired unit: %+v", *s)
	}
}
