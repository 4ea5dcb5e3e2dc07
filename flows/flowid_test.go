package flows

import (
	"fmt"
	"strings"
	"testing"
)

// AtID places a problem where the file writes its id, as Parse places its own problems.
func TestAtIDIsWhereTheFileWritesItsID(t *testing.T) {
	const rest = "version: 1\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n"
	for name, c := range map[string]struct {
		src  string
		want string
	}{
		"a plain id":                   {"# Alur\nid: skm_rs\n" + rest, "f.yaml:2:5: salah"},
		"a quoted id after other keys": {"title: T\nversion: 1\nid:   \"skm\"\nquestions: [{id: s, kind: text, prompt: Saran}]\n", "f.yaml:3:7: salah"},
		"a flow in JSON":               {`{"version":1,"id":"fjson","title":"T","questions":[{"id":"s","kind":"text","prompt":"Saran"}]}`, "f.yaml:1:19: salah"},
		"CR line endings":              {strings.ReplaceAll("title: T\nversion: 1\nid: skm\nquestions: [{id: s, kind: text, prompt: Saran}]\n", "\n", "\r"), "f.yaml:3:5: salah"},
	} {
		t.Run(name, func(t *testing.T) {
			f, err := Parse("f.yaml", []byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			e := f.AtID("f.yaml", "salah", "wrong")
			if got := e.In("id"); got != c.want {
				t.Errorf("AtID = %q, want %q", got, c.want)
			}
			if got := e.In("en"); got != strings.TrimSuffix(c.want, "salah")+"wrong" {
				t.Errorf("AtID in English = %q", got)
			}
		})
	}
}

// ValidID is Parse's rule: an id it takes is valid, and one it refuses is not.
func TestValidIDAgreesWithParse(t *testing.T) {
	for _, id := range []string{"skm", "a", "skm_rs", "s1", "kepuasan_umum_2026", strings.Repeat("a", 40), strings.Repeat("a", 50),
		strings.Repeat("a", 64), strings.Repeat("a", 65), "", "1skm", "_skm", "Skm", "skm-rs", "~skm", "skm rs", "skm.yaml", "ş"} {
		src := fmt.Sprintf("id: %q\nversion: 1\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n", id)
		_, err := Parse("f.yaml", []byte(src))
		if parsed := err == nil; ValidID(id) != parsed {
			t.Errorf("ValidID(%q) = %t, but Parse says %v", id, ValidID(id), err)
		}
	}
}
