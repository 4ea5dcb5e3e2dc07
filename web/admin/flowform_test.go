package admin

import (
	"fmt"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"sukma/flows"
)

// post builds the form the editor would send for qs, with op.
func post(qs []formQuestion, op string) url.Values {
	v := url.Values{"count": {fmt.Sprint(len(qs))}, "op": {op}}
	for i, q := range qs {
		p := func(k, val string) { v.Set(fmt.Sprintf("q%d.%s", i, k), val) }
		p("id", q.ID)
		p("kind", q.Kind)
		p("element", q.Element)
		p("options", q.Options)
		p("max_length", q.MaxLength)
		p("min", q.Min)
		p("max", q.Max)
		p("when", q.When)
		if q.Optional {
			p("optional", "1")
		}
		for _, t := range q.Prompt {
			p("prompt."+t.Lang, t.Text)
		}
	}
	return v
}

func TestFlowForm(t *testing.T) {
	builtin := flows.Builtin()
	apply := func(t *testing.T, op string) *flows.Flow {
		t.Helper()
		r := httptest.NewRequest("POST", "/", strings.NewReader(post(toForm(builtin), op).Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		src, err := formYAML(builtin.Source, builtin.Languages, readForm(r, builtin.Languages))
		if err != nil {
			t.Fatal(err)
		}
		f, err := flows.Parse("form.yaml", src)
		if err != nil {
			t.Fatalf("the form's YAML is invalid:\n%v\n%s", err, src)
		}
		return f
	}
	ids := func(f *flows.Flow) []string {
		var out []string
		for _, q := range f.Questions {
			out = append(out, q.ID)
		}
		return out
	}

	t.Run("the built-in flow goes through the form unchanged", func(t *testing.T) {
		f := apply(t, "")
		if len(f.Questions) != len(builtin.Questions) {
			t.Fatalf("%d questions, want %d", len(f.Questions), len(builtin.Questions))
		}
		for i, q := range f.Questions {
			if !reflect.DeepEqual(q, builtin.Questions[i]) {
				t.Errorf("question %d:\n got %+v\nwant %+v", i, q, builtin.Questions[i])
			}
		}
		if !reflect.DeepEqual(f.Title, builtin.Title) || !reflect.DeepEqual(f.Intro, builtin.Intro) || f.ExpireAfter != builtin.ExpireAfter {
			t.Error("the flow's other fields changed")
		}
	})
	t.Run("a question moves down", func(t *testing.T) {
		got := ids(apply(t, "down:0"))
		if got[0] != builtin.Questions[1].ID || got[1] != builtin.Questions[0].ID {
			t.Errorf("order %v", got)
		}
	})
	t.Run("an added question is an optional text at the end", func(t *testing.T) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(post(toForm(builtin), "add").Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		qs := readForm(r, builtin.Languages)
		last := qs[len(qs)-1]
		if len(qs) != len(builtin.Questions)+1 || last.Kind != "text" || !last.Optional {
			t.Errorf("added %+v", last)
		}
	})
	t.Run("an unknown kind typed in the form is reported at its line and column", func(t *testing.T) {
		qs := toForm(builtin)
		qs[0].Kind = "skala"
		r := httptest.NewRequest("POST", "/", strings.NewReader(post(qs, "").Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		src, err := formYAML(builtin.Source, builtin.Languages, readForm(r, builtin.Languages))
		if err != nil {
			t.Fatal(err)
		}
		_, probs := problems("skm", string(src))
		if len(probs) == 0 || !regexp.MustCompile(`^skm\.yaml:\d+:\d+: `).MatchString(probs[0]) {
			t.Errorf("problems %q", probs)
		}
	})
}
