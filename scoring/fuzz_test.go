package scoring

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"testing"
)

// tallyFrom builds a valid tally from arbitrary bytes: for each element a
// count n_i and a sum in [n_i, 4·n_i].
func tallyFrom(data []byte) Tally {
	var t Tally
	for i := range t.N {
		var n, s uint32
		if len(data) >= 8 {
			n, s = binary.LittleEndian.Uint32(data), binary.LittleEndian.Uint32(data[4:])
			data = data[8:]
		}
		t.N[i] = int64(n % 1_000_000)
		t.Sum[i] = t.N[i] + int64(s)%(3*t.N[i]+1)
		t.Respondents = max(t.Respondents, t.N[i])
	}
	return t
}

func FuzzCompute(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1, 0, 0, 0, 0, 0, 0, 0}, 9))
	f.Add(bytes.Repeat([]byte{0x88, 0x13, 0, 0, 0x75, 0x31, 0, 0}, 9)) // 5000 answers, sum 5000+12661 = 17661
	f.Add(bytes.Repeat([]byte{7, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 5))
	f.Fuzz(func(t *testing.T, data []byte) {
		tally := tallyFrom(data)
		if err := tally.Validate(); err != nil {
			t.Fatalf("generator made an invalid tally: %v", err)
		}
		r := Compute(tally, Bands2017)
		if !r.Answered {
			if r.K != 0 {
				t.Fatalf("not answered with k = %d", r.K)
			}
			return
		}
		if r.IKM < 2500 || r.IKM > 10000 {
			t.Fatalf("IKM %v outside 25–100 for %+v", r.IKM, tally)
		}
		if r.Grade != GradeOf(r.IKM, Bands2017) {
			t.Fatalf("grade %+v does not match IKM %v", r.Grade, r.IKM)
		}
		// The exact value and a float approximation agree to within one hundredth.
		var f float64
		for i := range tally.N {
			if tally.N[i] > 0 {
				f += float64(tally.Sum[i]) / float64(tally.N[i])
			}
		}
		if d := math.Abs(f/float64(r.K)*2500 - float64(r.IKM)); d > 0.5+1e-6 {
			t.Fatalf("IKM %v is %v hundredths from the float estimate", r.IKM, d)
		}
		// Pooling a tally with itself changes no NRR, so not the IKM either.
		double := tally
		double.Merge(tally)
		if got := Compute(double, Bands2017).IKM; got != r.IKM {
			t.Fatalf("pooled with itself: %v, alone: %v", got, r.IKM)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, file := range []string{"testdata/responden.csv", "testdata/responden_excel.csv"} {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"", "\uFEFF", codes + "\n", codes + "\n4,4,4,4,4,4,4,4,4\n",
		codes + "\n4,4,5,4,4,4,4,4,4\n", "U1;U2;U3;U4;U5;U6;U7;U8;U9\r\n1;2;3;4;;1;2;3;4\r\n",
		codes + "\n\"4,4\n", "U1,U1\n", codes + ",Saran\n4,4,4,4,4,4,4,4,4,\"a\nb\"\n\n1,1,1,1,1,1,1,1,x,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tally, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			var ce *CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("error %T %v is not a *CSVError", err, err)
			}
			if ce.Row < 0 || ce.Msg == "" {
				t.Fatalf("unhelpful error %+v", ce)
			}
			if tally != (Tally{}) {
				t.Fatalf("tally %+v returned with error", tally)
			}
			return
		}
		if err := tally.Validate(); err != nil {
			t.Fatalf("invalid tally: %v", err)
		}
		r := Compute(tally, Bands2017)
		if r.Answered != (tally.Respondents > 0) {
			t.Fatalf("answered = %v with %d respondents", r.Answered, tally.Respondents)
		}
		if r.Answered && (r.IKM < 2500 || r.IKM > 10000) {
			t.Fatalf("IKM %v outside 25–100", r.IKM)
		}
	})
}
