package flowid

import (
	"fmt"
	"strings"
	"testing"

	"sukma/flows"
)

func TestPositionIsWhereTheFlowFileWritesItsID(t *testing.T) {
	for name, c := range map[string]struct {
		src       string
		line, col int
	}{
		"a plain id":                        {"# Alur\nid: skm_rs\ntitle: T\n", 2, 5},
		"a quoted id after other keys":      {"title: T\nversion: 1\nid:   \"skm\"\n", 3, 7},
		"a flow in JSON":                    {`{"version":1,"id":"fjson"}`, 1, 19},
		"CR line endings":                   {"title: T\rversion: 1\rid: skm\r", 3, 5},
		"an id nested in a question only":   {"title: T\nquestions:\n  - id: q1\n", 1, 1},
		"a file that does not parse at all": {"id: [\n", 1, 1},
	} {
		t.Run(name, func(t *testing.T) {
			if line, col := Position([]byte(c.src)); line != c.line || col != c.col {
				t.Errorf("Position = %d:%d, want %d:%d", line, col, c.line, c.col)
			}
		})
	}
}

func TestProblemReadsAsTheParsersProblems(t *testing.T) {
	e := Problem("skm.yaml", []byte("id: skm_rs\n"), "salah", "wrong")
	if got := e.In("id"); got != "skm.yaml:1:5: salah" {
		t.Errorf("In(id) = %q", got)
	}
	if got := e.In("en"); got != "skm.yaml:1:5: wrong" {
		t.Errorf("In(en) = %q", got)
	}
}

// Valid is flows.Parse's rule: an id it takes is valid, and one it refuses is not.
func TestValidAgreesWithTheParser(t *testing.T) {
	for _, id := range []string{"skm", "a", "skm_rs", "s1", "kepuasan_umum_2026", strings.Repeat("a", 40), strings.Repeat("a", 50),
		strings.Repeat("a", 64), strings.Repeat("a", 65), "", "1skm", "_skm", "Skm", "skm-rs", "~skm", "skm rs", "skm.yaml", "ş"} {
		src := fmt.Sprintf("id: %q\nversion: 1\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n", id)
		_, err := flows.Parse("f.yaml", []byte(src))
		if parsed := err == nil; Valid(id) != parsed {
			t.Errorf("Valid(%q) = %t, but flows.Parse says %v", id, Valid(id), err)
		}
	}
}
