package scoring_test

import (
	"testing"

	"sukma/scoring"
)

func TestAgeBandEdges(t *testing.T) {
	for _, tt := range []struct {
		age  int
		want string
	}{
		{1, "<15"}, {14, "<15"}, {15, "15–24"}, {24, "15–24"}, {25, "25–34"}, {54, "45–54"},
		{55, "55–64"}, {64, "55–64"}, {65, "≥65"}, {100, "≥65"}, {150, "≥65"},
	} {
		if got := scoring.AgeBand(tt.age); got != tt.want {
			t.Errorf("AgeBand(%d) = %q, want %q", tt.age, got, tt.want)
		}
	}
}
