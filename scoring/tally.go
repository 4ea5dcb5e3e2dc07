package scoring

import "fmt"

// A Tally holds the raw per-element sums and counts of a set of responses.
// It is the only thing that may be pooled: adding the tallies of services,
// units or periods gives the tally of the whole. The zero Tally is empty.
type Tally struct {
	Respondents int64    // responses counted
	Sum         [9]int64 // S_i: sum of the scores given to element i
	N           [9]int64 // n_i: responses that answered element i (a missing answer is not a zero)
}

// AddResponse counts one response. scores[i] is the answer to Elements[i]:
// 1–4, or 0 when that element was not answered. It returns an error, and
// leaves the tally unchanged, if a score is outside 0–4. A response that
// answered no element is not a respondent (see Scored): it leaves the tally
// unchanged too.
func (t *Tally) AddResponse(scores [9]int) error {
	for i, s := range scores {
		if s < 0 || s > 4 {
			return fmt.Errorf("scoring: %s: score %d outside 0–4", Elements[i].Code, s)
		}
	}
	if !Scored(scores) {
		return nil
	}
	t.Respondents++
	for i, s := range scores {
		if s > 0 {
			t.Sum[i] += int64(s)
			t.N[i]++
		}
	}
	return nil
}

// Scored reports whether a response answered at least one element, which is
// what makes it a respondent: one that skipped every element adds nothing to
// any NRR, so counting it would only inflate the sample. The database's
// aggregates, the CSV calculator and the report all count by this rule.
func Scored(scores [9]int) bool {
	for _, s := range scores {
		if s != 0 {
			return true
		}
	}
	return false
}

// Merge adds o into t: the result is the tally of both sets of responses.
func (t *Tally) Merge(o Tally) {
	t.Respondents += o.Respondents
	for i := range t.Sum {
		t.Sum[i] += o.Sum[i]
		t.N[i] += o.N[i]
	}
}

// Validate reports whether t could have come from real responses: for every
// element 0 ≤ n_i ≤ Respondents and n_i ≤ S_i ≤ 4·n_i. Compute assumes a valid
// tally; check tallies built by hand or read from storage with Validate.
func (t Tally) Validate() error {
	if t.Respondents < 0 {
		return fmt.Errorf("scoring: negative respondent count %d", t.Respondents)
	}
	for i := range t.Sum {
		n, s := t.N[i], t.Sum[i]
		switch {
		case n < 0 || n > t.Respondents:
			return fmt.Errorf("scoring: %s: answer count %d outside 0–%d respondents", Elements[i].Code, n, t.Respondents)
		case s < n || s > 4*n:
			return fmt.Errorf("scoring: %s: sum %d outside %d–%d for %d answers", Elements[i].Code, s, n, 4*n, n)
		}
	}
	return nil
}
