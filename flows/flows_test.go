package flows

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func mustParseFile(t *testing.T, name string) *Flow {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(name, src)
	if err != nil {
		t.Fatalf("Parse(%s):\n%v", name, err)
	}
	return f
}

func TestParseValidFlows(t *testing.T) {
	t.Run("a minimal flow gets the defaults", func(t *testing.T) {
		f := mustParseFile(t, "testdata/minimal.yaml")
		if f.ID != "minimal" || f.Version != 1 {
			t.Errorf("ID, Version = %q, %d; want minimal, 1", f.ID, f.Version)
		}
		if f.ExpireAfter != DefaultExpireAfter {
			t.Errorf("ExpireAfter = %v, want the default %v", f.ExpireAfter, DefaultExpireAfter)
		}
		if len(f.Languages) != 1 || f.Languages[0] != "id" {
			t.Errorf("Languages = %v, want [id]", f.Languages)
		}
		q := f.Questions[0]
		if q.Element != "U1" || len(q.Options) != 4 || q.Options[3].Value != "4" || q.Options[3].Label.In("id") != "Sangat puas" {
			t.Errorf("scale question = %+v", q)
		}
	})
	t.Run("languages are listed with Indonesian first", func(t *testing.T) {
		f := mustParseFile(t, "testdata/conditions.yaml")
		if len(f.Languages) != 2 || f.Languages[0] != "id" || f.Languages[1] != "en" {
			t.Errorf("Languages = %v, want [id en]", f.Languages)
		}
		if f.ExpireAfter != 30*time.Minute || f.Version != 3 {
			t.Errorf("ExpireAfter, Version = %v, %d; want 30m, 3", f.ExpireAfter, f.Version)
		}
	})
	t.Run("the source is kept byte for byte", func(t *testing.T) {
		src, err := os.ReadFile("testdata/conditions.yaml")
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse("conditions.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f.Source, src) {
			t.Error("Source differs from the parsed bytes")
		}
		src[0] = 'X'
		if f.Source[0] == 'X' {
			t.Error("Source shares memory with the caller's slice")
		}
	})
	t.Run("text and number questions get their limits", func(t *testing.T) {
		f := mustParseFile(t, "testdata/conditions.yaml")
		if q := f.Question("lambat"); q.MaxLength != DefaultMaxLength {
			t.Errorf("lambat.MaxLength = %d, want the default %d", q.MaxLength, DefaultMaxLength)
		}
		if q := f.Question("muda"); q.MaxLength != 20 {
			t.Errorf("muda.MaxLength = %d, want 20", q.MaxLength)
		}
		if q := f.Question("umur"); q.Min != 15 || q.Max != 100 || !q.Optional {
			t.Errorf("umur = min %v max %v optional %v; want 15, 100, true", q.Min, q.Max, q.Optional)
		}
	})
}

func TestErrorFormat(t *testing.T) {
	list := ErrorList{{File: "a.yaml", Line: 3, Col: 7, Msg: "satu"}, {File: "a.yaml", Line: 9, Col: 1, Msg: "dua"}}
	if got, want := list.Error(), "a.yaml:3:7: satu\na.yaml:9:1: dua"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var err error = list
	var target ErrorList
	if !errors.As(err, &target) || len(target) != 2 {
		t.Errorf("errors.As did not find the ErrorList")
	}
}

func TestConditions(t *testing.T) {
	f := mustParseFile(t, "testdata/conditions.yaml")
	tests := []struct {
		name     string
		question string
		answers  Answers
		want     bool
	}{
		{"a scale answer in the list asks the follow-up", "lambat", Answers{"u3": "2"}, true},
		{"a scale answer outside the list skips the follow-up", "lambat", Answers{"u3": "3"}, false},
		{"a missing answer never meets an in condition", "lambat", Answers{}, false},
		{"a number at the maximum meets a max condition", "muda", Answers{"umur": "25"}, true},
		{"a number above the maximum does not", "muda", Answers{"umur": "26"}, false},
		{"a skipped question meets answered: false", "umur_kosong", Answers{}, true},
		{"an answered question does not meet answered: false", "umur_kosong", Answers{"umur": "40"}, false},
		{"a choice code in the list meets the condition", "lama", Answers{"status": "LAMA"}, true},
		{"another choice code does not", "lama", Answers{"status": "BARU"}, false},
		{"any element scored 1 asks the any_element question", "ada_buruk", Answers{"u3": "1"}, true},
		{"elements scored 3 or 4 do not", "ada_buruk", Answers{"u3": "4"}, false},
		{"answers to non-scale questions are not elements", "ada_buruk", Answers{"umur": "1", "status": "2"}, false},
		{"a question without condition is always asked", "status", Answers{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Question(tt.question).Asked(tt.answers); got != tt.want {
				t.Errorf("Asked(%v) = %v, want %v", tt.answers, got, tt.want)
			}
		})
	}
}

func TestNext(t *testing.T) {
	f := Builtin()
	index := func(id string) int {
		for i, q := range f.Questions {
			if q.ID == id {
				return i
			}
		}
		t.Fatalf("no question %q", id)
		return -1
	}
	good := Answers{"u1": "4", "u2": "3", "u3": "4", "u4": "4", "u5": "3", "u6": "4", "u7": "4", "u8": "3", "u9": "4"}
	bad := Answers{"u1": "4", "u2": "3", "u3": "2", "u4": "4", "u5": "3", "u6": "4", "u7": "4", "u8": "3", "u9": "4"}
	tests := []struct {
		name    string
		from    int
		answers Answers
		want    int
	}{
		{"the flow starts at the first question", 0, Answers{}, 0},
		{"a negative start is the first question", -5, Answers{}, 0},
		{"good scores skip the improvement question", index("u8") + 1, good, index("saran")},
		{"one poor score asks what to improve", index("u8") + 1, bad, index("perbaikan")},
		{"after the last question the flow is finished", len(f.Questions), good, -1},
		{"a start past the end is finished", 99, good, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Next(tt.from, tt.answers); got != tt.want {
				t.Errorf("Next(%d) = %d, want %d", tt.from, got, tt.want)
			}
		})
	}
}

func TestTextIn(t *testing.T) {
	tx := Text{"id": "Halo", "en": "Hello", "jv": ""}
	tests := []struct {
		name, lang, want string
	}{
		{"a translated language gets its text", "en", "Hello"},
		{"Indonesian gets Indonesian", "id", "Halo"},
		{"a missing translation falls back to Indonesian", "fr", "Halo"},
		{"an empty translation falls back to Indonesian", "jv", "Halo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tx.In(tt.lang); got != tt.want {
				t.Errorf("In(%q) = %q, want %q", tt.lang, got, tt.want)
			}
		})
	}
}

func TestREADMEExampleIsValid(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const start = "## A complete example\n\n```yaml\n"
	_, rest, ok := bytes.Cut(readme, []byte(start))
	example, _, closed := bytes.Cut(rest, []byte("\n```\n"))
	if !ok || !closed {
		t.Fatal("README.md has no complete example")
	}
	f, err := Parse("README.md example", example)
	if err != nil {
		t.Fatalf("the README example does not validate:\n%v", err)
	}
	if got := f.Next(0, Answers{}); f.Questions[got].ID != "usia" {
		t.Errorf("the example starts at %q, want usia", f.Questions[got].ID)
	}
}

func TestWithVersion(t *testing.T) {
	t.Run("the version is replaced and everything else is kept", func(t *testing.T) {
		f := Builtin()
		g, err := f.WithVersion(12)
		if err != nil {
			t.Fatal(err)
		}
		if g.Version != 12 || f.Version != 1 {
			t.Errorf("versions = %d (copy), %d (original); want 12, 1", g.Version, f.Version)
		}
		want := bytes.Replace(f.Source, []byte("\nversion: 1\n"), []byte("\nversion: 12\n"), 1)
		if !bytes.Equal(g.Source, want) {
			t.Error("the source changed beyond the version number")
		}
	})
	t.Run("a version after a non-ASCII line is found", func(t *testing.T) {
		src := []byte("title: Survei ñ 👋\nid: a\nversion:   7  # terbit\nquestions: [{id: s, kind: text, prompt: Saran}]\n")
		f, err := Parse("a.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		g, err := f.WithVersion(8)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(g.Source, []byte("version:   8  # terbit\n")) {
			t.Errorf("source = %s", g.Source)
		}
	})
	t.Run("a tagged or anchored version, or one after a byte-order mark, is found", func(t *testing.T) {
		for _, src := range []string{
			"id: a\ntitle: T\nversion: !!int 1\nquestions: [{id: s, kind: text, prompt: Saran}]\n",
			"id: a\ntitle: T\nversion: &v1 1\nquestions: [{id: s, kind: text, prompt: Saran}]\n",
			"\uFEFFversion: 1\nid: a\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n",
		} {
			f, err := Parse("a.yaml", []byte(src))
			if err != nil {
				t.Fatalf("%q: %v", src, err)
			}
			g, err := f.WithVersion(3)
			if err != nil || g.Version != 3 {
				t.Errorf("%q: WithVersion(3) = %v, %v", src, g, err)
			}
		}
	})
	t.Run("a version in JSON or in a flow-style mapping is replaced", func(t *testing.T) {
		for _, tt := range []struct{ src, want string }{
			{`{"id":"fjson","version":1,"title":"T","questions":[{"id":"s","kind":"text","prompt":"Saran"}]}`, `"version":31,"title"`},
			{`{"id":"fjson","title":"T","questions":[{"id":"s","kind":"text","prompt":"Saran"}],"version":1}`, `"version":31}`},
			{"{id: fa, version: 1, title: T, questions: [{id: s, kind: text, prompt: Saran}]}", "version: 31, title"},
			{"{id: fa, title: T,\n version:\n   1\n , questions: [{id: s, kind: text, prompt: Saran}]}", "version:\n   31\n ,"},
			{"{\"title\": \"Survei ñ 👋\", \"version\": !!int '1', \"id\": \"a\", \"questions\": [{id: s, kind: text, prompt: Saran}]}", "\"version\": !!int '31', \"id\""},
			{"id: a\ntitle: T\nversion: !!int  # bernomor\n  \"1\"\nquestions: [{id: s, kind: text, prompt: Saran}]\n", "# bernomor\n  \"31\"\n"},
		} {
			f, err := Parse("a.yaml", []byte(tt.src))
			if err != nil {
				t.Fatalf("%q: %v", tt.src, err)
			}
			g, err := f.WithVersion(31)
			if err != nil || g.Version != 31 || !strings.Contains(string(g.Source), tt.want) {
				t.Errorf("%q: WithVersion(31) = %v, %v; want a source with %q", tt.src, g, err, tt.want)
			}
		}
	})
	t.Run("a version no number can replace is refused when parsed, with its position", func(t *testing.T) {
		for _, src := range []string{
			"id: a\ntitle: T\nversion: !!int \"\\x31\"\nquestions: [{id: s, kind: text, prompt: Saran}]\n",
			"id: a\ntitle: T\nversion: !!int >-\n  1\nquestions: [{id: s, kind: text, prompt: Saran}]\n",
		} {
			_, err := Parse("a.yaml", []byte(src))
			if err == nil || !strings.HasPrefix(err.Error(), "a.yaml:3:10: version harus ditulis sebagai angka biasa") {
				t.Errorf("%q: Parse = %v, want a.yaml:3:10 saying the version must be a plain number", src, err)
			}
		}
	})
	t.Run("a version below 1 is refused", func(t *testing.T) {
		if _, err := Builtin().WithVersion(0); err == nil {
			t.Error("WithVersion(0) succeeded")
		}
	})
}
