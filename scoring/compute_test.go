package scoring

import (
	"math"
	"math/big"
	"slices"
	"testing"
)

// uniform returns a tally of respondents who all answered every element, the
// element sums given.
func uniform(n int64, sums [9]int64) Tally {
	t := Tally{Respondents: n, Sum: sums}
	for i := range t.N {
		t.N[i] = n
	}
	return t
}

// everyone returns a tally of n respondents who all gave score s everywhere.
func everyone(n int64, s int64) Tally {
	var sums [9]int64
	for i := range sums {
		sums[i] = n * s
	}
	return uniform(n, sums)
}

func same(s int64) [9]int64 { return [9]int64{s, s, s, s, s, s, s, s, s} }

// floatIKM is the usual spreadsheet computation: each NRR as a float, times
// the weight 1/9, summed, times 25, rounded to two decimals.
func floatIKM(t Tally) float64 {
	var w float64
	for i := range t.Sum {
		w += float64(t.Sum[i]) / float64(t.N[i]) * (1.0 / 9)
	}
	return math.Round(w*25*100) / 100
}

func TestCompute(t *testing.T) {
	tests := []struct {
		name  string
		tally Tally
		ikm   Hundredths
		grade Grade
		k     int
	}{
		{"one respondent answering 4 everywhere scores 100.00 A", everyone(1, 4), 10000, Grade{"A", "Sangat Baik"}, 9},
		{"everyone answering 3 scores 75.00 C", everyone(37, 3), 7500, Grade{"C", "Kurang Baik"}, 9},
		{"everyone answering 1 scores 25.00 D", everyone(5, 1), 2500, Grade{"D", "Tidak Baik"}, 9},
		// 5000 respondents, every element summing to 17661: NRR 3.5322, IKM
		// exactly 88.305, which rounds half-up to 88.31, an A. The spreadsheet
		// computation in floats gets 88.30499999999998 and an 88.30, a B.
		{"an exact 88.305 rounds up to 88.31 and is an A", uniform(5000, same(17661)), 8831, Grade{"A", "Sangat Baik"}, 9},
		// 250000 respondents, every element summing to 883049: IKM exactly 88.3049.
		{"an exact 88.3049 rounds down to 88.30 and is a B", uniform(250000, same(883049)), 8830, Grade{"B", "Baik"}, 9},
		// 100 respondents, sums 306+306+306+306+306+306+306+306+306 → NRR 3.06, IKM 76.50.
		{"a 76.50 is a C", uniform(100, same(306)), 7650, Grade{"C", "Kurang Baik"}, 9},
		// Missing answers: per-element denominators; the exact value lands on
		// 60.625 and rounds up to 60.63, where the float computation gets 60.62.
		{"missing answers use per-element denominators and 60.625 rounds up", Tally{
			Respondents: 10,
			Sum:         [9]int64{14, 17, 16, 11, 3, 8, 21, 5, 26},
			N:           [9]int64{8, 8, 10, 3, 1, 3, 10, 3, 8},
		}, 6063, Grade{"D", "Tidak Baik"}, 9},
		{"an element nobody answered is left out of k, not counted as zero", Tally{
			Respondents: 2,
			Sum:         [9]int64{8, 8, 8, 8, 8, 8, 8, 0, 2},
			N:           [9]int64{2, 2, 2, 2, 2, 2, 2, 0, 2},
		}, 9063, Grade{"A", "Sangat Baik"}, 8}, // (7·4 + 1)/8 · 25 = 90.625
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.tally.Validate(); err != nil {
				t.Fatalf("fixture is not a valid tally: %v", err)
			}
			r := Compute(tt.tally, Bands2017)
			if !r.Answered || r.IKM != tt.ikm || r.Grade != tt.grade || r.K != tt.k {
				t.Errorf("got IKM %v %v k=%d answered=%v, want %v %v k=%d", r.IKM, r.Grade, r.K, r.Answered, tt.ikm, tt.grade, tt.k)
			}
		})
	}
}

// The half-up fixtures above only prove something if float64 gets them wrong.
func TestFloatArithmeticMissesTheHalfUpFixtures(t *testing.T) {
	tests := []struct {
		name  string
		tally Tally
		exact string
	}{
		{"88.305 with 5000 respondents", uniform(5000, same(17661)), "88.305"},
		{"60.625 with missing answers", Tally{
			Respondents: 10,
			Sum:         [9]int64{14, 17, 16, 11, 3, 8, 21, 5, 26},
			N:           [9]int64{8, 8, 10, 3, 1, 3, 10, 3, 8},
		}, "60.625"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is exactly on the half and float64 rounds it down", func(t *testing.T) {
			r := Compute(tt.tally, Bands2017)
			if got := r.IKMExact.FloatString(3); got != tt.exact {
				t.Fatalf("exact IKM %s, want %s", got, tt.exact)
			}
			if f, want := floatIKM(tt.tally), float64(r.IKM)/100; f == want {
				t.Errorf("float64 gives %v like the exact computation; fixture proves nothing", f)
			}
		})
	}
}

func TestComputeElements(t *testing.T) {
	tally := Tally{
		Respondents: 4,
		Sum:         [9]int64{15, 13, 12, 10, 11, 14, 16, 0, 9},
		N:           [9]int64{4, 4, 4, 4, 4, 4, 4, 0, 3},
	}
	r := Compute(tally, Bands2017)

	t.Run("every element is listed in code order", func(t *testing.T) {
		if len(r.Elements) != 9 {
			t.Fatalf("%d elements", len(r.Elements))
		}
		for i, e := range r.Elements {
			if e.Code != Elements[i].Code || e.Name != Elements[i].Name || e.Sum != tally.Sum[i] || e.N != tally.N[i] {
				t.Errorf("element %d = %+v", i, e)
			}
		}
	})
	t.Run("NRR is rounded half-up to two decimals for display", func(t *testing.T) {
		// U1 15/4 = 3.75; U2 13/4 = 3.25; U9 9/3 = 3.00.
		for i, want := range map[int]Hundredths{0: 375, 1: 325, 8: 300} {
			if got := r.Elements[i].NRR; got != want {
				t.Errorf("%s NRR = %v, want %v", Elements[i].Code, got, want)
			}
		}
	})
	t.Run("an element nobody answered has no NRR and no grade", func(t *testing.T) {
		e := r.Elements[7]
		if e.Answered || e.NRRExact != nil || e.Weighted != nil || e.NRR != 0 || e.Grade != (Grade{}) {
			t.Errorf("U8 = %+v", e)
		}
	})
	t.Run("each element is graded on its NRR times 25", func(t *testing.T) {
		// U7 16/4 = 4 → 100.00 A; U3 12/4 = 3 → 75.00 C; U4 10/4 = 2.5 → 62.50 D.
		for i, want := range map[int]string{6: "A", 2: "C", 3: "D", 1: "B"} {
			if got := r.Elements[i].Grade.Mutu; got != want {
				t.Errorf("%s mutu = %s (IKM %v), want %s", Elements[i].Code, got, r.Elements[i].IKM, want)
			}
		}
	})
	t.Run("weighted NRRs add up to the nilai indeks", func(t *testing.T) {
		sum := new(big.Rat)
		for _, e := range r.Elements {
			if e.Weighted != nil {
				sum.Add(sum, e.Weighted)
			}
		}
		if sum.Cmp(r.Indeks) != 0 {
			t.Errorf("Σ weighted = %s, indeks = %s", sum.FloatString(6), r.Indeks.FloatString(6))
		}
	})
	t.Run("the IKM is 25 times the nilai indeks", func(t *testing.T) {
		// (3.75+3.25+3+2.5+2.75+3.5+4+3)/8 = 25.75/8 = 3.21875 → 80.46875 → 80.47.
		if r.Indeks.FloatString(5) != "3.21875" || r.IKM != 8047 || r.K != 8 {
			t.Errorf("indeks %s IKM %v k %d", r.Indeks.FloatString(5), r.IKM, r.K)
		}
	})
	t.Run("the elements left out of k are named", func(t *testing.T) {
		if got := r.Unanswered(); !slices.Equal(got, []string{"U8"}) {
			t.Errorf("Unanswered() = %q, want [U8]", got)
		}
		if got := Compute(Tally{}, Bands2017).Unanswered(); len(got) != 9 {
			t.Errorf("an empty tally leaves out %q, want all nine", got)
		}
	})
}

func TestComputeEmpty(t *testing.T) {
	tests := []struct {
		name  string
		tally Tally
	}{
		{"the zero tally has no IKM", Tally{}},
		{"respondents who answered nothing give no IKM", Tally{Respondents: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Compute(tt.tally, Bands2017)
			if r.Answered || r.K != 0 || r.IKM != 0 || r.IKMExact != nil || r.Indeks != nil || r.Grade != (Grade{}) {
				t.Errorf("got %+v", r)
			}
			if r.Respondents != tt.tally.Respondents || len(r.Elements) != 9 {
				t.Errorf("respondents %d, %d elements", r.Respondents, len(r.Elements))
			}
		})
	}
}

func TestPooling(t *testing.T) {
	a := everyone(1, 4) // 100.00
	b := everyone(3, 1) // 25.00
	pooled := a
	pooled.Merge(b)

	t.Run("merging adds respondents, sums and counts", func(t *testing.T) {
		if pooled.Respondents != 4 || pooled.Sum[0] != 7 || pooled.N[0] != 4 {
			t.Errorf("pooled = %+v", pooled)
		}
	})
	t.Run("the pooled IKM is not the mean of the two IKMs", func(t *testing.T) {
		ia, ib := Compute(a, Bands2017).IKM, Compute(b, Bands2017).IKM
		mean := (ia + ib) / 2 // 62.50
		got := Compute(pooled, Bands2017).IKM
		// Pooled NRR 7/4 everywhere: 1.75 × 25 = 43.75.
		if got != 4375 {
			t.Errorf("pooled IKM %v, want 43.75", got)
		}
		if got == mean {
			t.Errorf("pooled IKM equals the mean of IKMs %v", mean)
		}
	})
}

func TestAddResponse(t *testing.T) {
	t.Run("an answer of 0 is not answered and does not count in n", func(t *testing.T) {
		var tl Tally
		if err := tl.AddResponse([9]int{4, 0, 3, 3, 3, 3, 3, 3, 3}); err != nil {
			t.Fatal(err)
		}
		if tl.Respondents != 1 || tl.N[1] != 0 || tl.Sum[1] != 0 || tl.N[0] != 1 || tl.Sum[0] != 4 {
			t.Errorf("tally = %+v", tl)
		}
	})
	t.Run("a response that answered no element is not a respondent", func(t *testing.T) {
		var tl Tally
		if err := tl.AddResponse([9]int{}); err != nil {
			t.Fatal(err)
		}
		if tl != (Tally{}) {
			t.Errorf("tally = %+v, want it unchanged", tl)
		}
		if Scored([9]int{}) || !Scored([9]int{8: 1}) {
			t.Error("Scored is wrong about a response with no answer or only U9")
		}
	})
	t.Run("a score of 5 is refused and leaves the tally unchanged", func(t *testing.T) {
		var tl Tally
		if err := tl.AddResponse([9]int{4, 4, 5, 4, 4, 4, 4, 4, 4}); err == nil {
			t.Error("no error")
		}
		if tl != (Tally{}) {
			t.Errorf("tally changed: %+v", tl)
		}
	})
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name  string
		tally Tally
		ok    bool
	}{
		{"the zero tally is valid", Tally{}, true},
		{"a sum below n is invalid", Tally{Respondents: 2, Sum: [9]int64{1}, N: [9]int64{2}}, false},
		{"a sum above 4n is invalid", Tally{Respondents: 2, Sum: [9]int64{9}, N: [9]int64{2}}, false},
		{"more answers than respondents is invalid", Tally{Respondents: 1, Sum: [9]int64{8}, N: [9]int64{2}}, false},
		{"a negative respondent count is invalid", Tally{Respondents: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.tally.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v", err)
			}
		})
	}
}
