package web

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// Each grade's badge is white text on its colour: at least 4.5:1, WCAG's AA for text of its
// size, so that a reader with weak sight (or a phone in the sun) reads the grade.
func TestPublikGradeBadgesAreReadable(t *testing.T) {
	badges := regexp.MustCompile(`\.mutu-([A-D]) \{ background: #([0-9a-f]{6}); \}`).FindAllStringSubmatch(publikHTML, -1)
	if len(badges) != 4 {
		t.Fatalf("found %d grade colours in publik.html, want A to D", len(badges))
	}
	for _, b := range badges {
		if c := contrastWithWhite(b[2]); c < 4.5 {
			t.Errorf("grade %s: white on #%s is %.2f:1, want at least 4.5:1", b[1], b[2], c)
		}
	}
}

// contrastWithWhite is WCAG 2's contrast ratio of white against the colour hex (rrggbb).
func contrastWithWhite(hex string) float64 {
	var l float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += w * c
	}
	return 1.05 / (l + 0.05)
}
