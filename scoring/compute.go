package scoring

import "math/big"

// An ElementResult is the outcome for one element (unsur).
type ElementResult struct {
	Code, Name string
	Sum, N     int64 // S_i and n_i from the tally
	// Answered is false when n_i = 0; the other fields below are then zero or
	// nil and the element takes no part in the IKM.
	Answered bool
	// NRRExact is S_i/n_i exactly; use it for sorting and for the 4-decimal
	// working-sheet display (NRRExact.FloatString(4) rounds half-up).
	NRRExact *big.Rat
	// NRR is S_i/n_i rounded half-up to two decimals, for display only: the
	// IKM is never computed from it.
	NRR Hundredths
	// Weighted is the NRR tertimbang, NRR_i/k exactly (the regulation prints the
	// weight 1/9 as 0,11; the exact weight is used here).
	Weighted *big.Rat
	// IKM is the element on the IKM scale, round_half_up(25·NRR_i) to two
	// decimals, and Grade is that value graded with the same bands as the
	// unit's IKM, so that a row's IKM and grade always agree. The regulation's
	// nilai interval column (NRR from 2.60, 3.0644, 3.5324) is those bands
	// divided by 25 and agrees except within 0.0002 under a bound: NRR 3.0643 is
	// 76.6075, rounded 76.61, B here, and under 3.0644 in that column.
	IKM   Hundredths
	Grade Grade
}

// A Result is the IKM of a tally with its per-element breakdown.
type Result struct {
	Respondents int64
	Elements    []ElementResult // always nine, in code order
	// K is the number of elements with at least one answer: the IKM weighs
	// each of them 1/K. It is 9 for any survey that asked all nine elements.
	K int
	// Answered is false when no element has any answer (K = 0); IKM, Indeks,
	// IKMExact and Grade are then zero or nil: there is no index to report.
	Answered bool
	// Indeks is the nilai indeks Σ NRR_i / K on the 1–4 scale, exactly.
	Indeks *big.Rat
	// IKMExact is 25·Indeks exactly; IKM is IKMExact rounded once, half-up, to
	// two decimals, and Grade is IKM graded with the requested bands.
	IKMExact *big.Rat
	IKM      Hundredths
	Grade    Grade
}

// Compute returns the IKM of t graded with bands b. t must be valid (see
// Tally.Validate).
//
// IKM×100 = round_half_up(2500 · Σ(S_i/n_i) / k), summed over the k elements
// with n_i > 0, computed with exact rationals and rounded once.
//
// An element nobody answered is left out of k rather than counted as zero: it
// has no NRR, and a zero (below the lowest score, 1) would drag the IKM
// below 25, outside the scale. The regulation weighs each surveyed element
// 1/k; an element that was never answered was in effect not surveyed.
// Callers that require all nine elements check Result.K == 9.
func Compute(t Tally, b Bands) Result {
	res := Result{Respondents: t.Respondents, Elements: make([]ElementResult, 9)}
	sum := new(big.Rat)
	for i, e := range Elements {
		er := ElementResult{Code: e.Code, Name: e.Name, Sum: t.Sum[i], N: t.N[i]}
		if t.N[i] > 0 {
			er.Answered = true
			er.NRRExact = big.NewRat(t.Sum[i], t.N[i])
			er.NRR = toHundredths(er.NRRExact)
			er.IKM = toHundredths(new(big.Rat).Mul(er.NRRExact, big.NewRat(25, 1)))
			er.Grade = GradeOf(er.IKM, b)
			sum.Add(sum, er.NRRExact)
			res.K++
		}
		res.Elements[i] = er
	}
	if res.K == 0 {
		return res
	}
	weight := big.NewRat(1, int64(res.K))
	for i := range res.Elements {
		if res.Elements[i].Answered {
			res.Elements[i].Weighted = new(big.Rat).Mul(res.Elements[i].NRRExact, weight)
		}
	}
	res.Answered = true
	res.Indeks = new(big.Rat).Mul(sum, weight)
	res.IKMExact = new(big.Rat).Mul(res.Indeks, big.NewRat(25, 1))
	res.IKM = toHundredths(res.IKMExact)
	res.Grade = GradeOf(res.IKM, b)
	return res
}

// Unanswered returns the codes of the elements nobody answered, in code order: the ones the
// IKM leaves out of K. Whoever shows an IKM with K < 9 names them, since such an IKM is not
// the regulation's nine-element index.
func (r Result) Unanswered() []string {
	var codes []string
	for _, e := range r.Elements {
		if !e.Answered {
			codes = append(codes, e.Code)
		}
	}
	return codes
}
