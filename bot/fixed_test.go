package bot

import (
	"maps"
	"slices"
	"testing"

	"sukma/flows"
)

// The answers with a column of their own are those whose kind a flow cannot change
// (flows.ReservedIDs): an answer of another kind would be lost in its column (an age that is
// no number) or misread (free text counted as an occupation in the profile).
func TestEveryAnswerWithAColumnHasItsKindReservedByTheFlowValidator(t *testing.T) {
	reserved := slices.Sorted(maps.Keys(flows.ReservedIDs()))
	fixed := slices.Sorted(maps.Keys(fixedAnswers))
	if !slices.Equal(reserved, fixed) {
		t.Errorf("flows.ReservedIDs %v, fixedAnswers %v: want the same ids", reserved, fixed)
	}
	if k := flows.ReservedIDs()["usia"]; k != flows.KindNumber {
		t.Errorf("usia is reserved as %q, want number: flatten reads it with atoi", k)
	}
}
