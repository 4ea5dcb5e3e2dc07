package scoring

import (
	"math/big"
	"strconv"
	"strings"
)

// Hundredths is a fixed-point number with two decimals: 9148 is 91.48.
// IKMs and NRRs are carried as Hundredths once rounded, so that what is
// graded, stored, printed and serialised is the same number.
type Hundredths int64

// String formats h with a decimal point and exactly two decimals: "91.48".
func (h Hundredths) String() string { return h.format('.') }

// Comma formats h the Indonesian way, with a decimal comma: "91,48".
func (h Hundredths) Comma() string { return h.format(',') }

// MarshalJSON encodes h as a bare JSON number with two decimals: 91.48.
func (h Hundredths) MarshalJSON() ([]byte, error) { return []byte(h.String()), nil }

func (h Hundredths) format(sep byte) string {
	var b strings.Builder
	u := uint64(h)
	if h < 0 {
		b.WriteByte('-')
		u = -u
	}
	b.WriteString(strconv.FormatUint(u/100, 10))
	b.WriteByte(sep)
	frac := u % 100
	b.WriteByte(byte('0' + frac/10))
	b.WriteByte(byte('0' + frac%10))
	return b.String()
}

// roundHalfUp returns r rounded to the nearest integer, halves rounded up
// (towards +∞): floor(r + 1/2).
func roundHalfUp(r *big.Rat) *big.Int {
	// floor((2·num + den) / (2·den)); big.Int.Div is Euclidean, so this is a
	// floor for a positive denominator, which big.Rat guarantees.
	num := new(big.Int).Lsh(r.Num(), 1)
	num.Add(num, r.Denom())
	den := new(big.Int).Lsh(r.Denom(), 1)
	return num.Div(num, den)
}

// toHundredths rounds r half-up to two decimals.
func toHundredths(r *big.Rat) Hundredths {
	x := new(big.Rat).Mul(r, big.NewRat(100, 1))
	return Hundredths(roundHalfUp(x).Int64())
}
