package admin

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
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
		_, probs := problems("skm", string(src), "id")
		if len(probs) == 0 || !regexp.MustCompile(`^skm\.yaml:\d+:\d+: `).MatchString(probs[0]) {
			t.Errorf("problems %q", probs)
		}
	})
}

// The question form applies to the YAML the admin has in the editor now (admin.js sends it),
// not to the text the page was drawn with: an unsaved edit outside the questions is kept.
// One that changed the questions is not overwritten by the form's older fields: the form is
// refused, with the admin's text back in the editor.
func TestTheQuestionFormKeepsTheEditorsUnsavedText(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		builtin := flows.Builtin()
		drawn := string(builtin.Source)
		send := func(source, op string) (int, string) {
			t.Helper()
			form := post(toForm(builtin), op)
			form.Set("source", source)
			form.Set("drawn", drawn)
			status, _, body := a.post("/admin/flows/skm/form", form)
			return status, body
		}
		draft := func() string {
			t.Helper()
			d, err := db.FindFlowDraft(context.Background(), "skm")
			if err != nil {
				t.Fatal(err)
			}
			return d.Source
		}

		retitled := strings.Replace(drawn, "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1)
		if status, _ := send(retitled, "add"); status != http.StatusSeeOther {
			t.Fatalf("a question added to a retitled flow: %d, want 303", status)
		}
		added := fmt.Sprintf("id: pertanyaan_%d\n", len(builtin.Questions)+1)
		if d := draft(); !strings.Contains(d, "id: Survei Kepuasan Masyarakat Jawa Timur\n") || !strings.Contains(d, added) {
			t.Errorf("the draft lacks the unsaved title or the added question:\n%s", d)
		}

		reworded := strings.Replace(drawn, "Jenis kelamin Anda?", "Jenis kelamin Anda (diubah)?", 1)
		status, body := send(reworded, "")
		if status != http.StatusConflict || !strings.Contains(body, "Pertanyaan di YAML sudah diubah") || !strings.Contains(body, "Jenis kelamin Anda (diubah)?") {
			t.Errorf("the form over a reworded question: %d, want 409 with the admin's text in the editor", status)
		}
		if strings.Contains(draft(), "(diubah)") || !strings.Contains(draft(), "Jawa Timur") {
			t.Error("the refused form changed the draft")
		}

		broken := strings.Replace(retitled, "kind: scale", "kind: skala", 1)
		status, body = send(broken, "add")
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Perbaiki YAML dulu") || !strings.Contains(body, "kind: skala") {
			t.Errorf("the form over broken YAML: %d, want 422 with the admin's text in the editor", status)
		}
	})
}

// Publishing from the editor saves the draft and publishes it in one request, often within
// one millisecond: the draft it published is gone afterwards, not reported as unpublished.
func TestPublishingFromTheEditorLeavesNoDraft(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := newTestAdmin(t, db, Deps{})
		src := strings.Replace(string(flows.BuiltinSource()), "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1)
		status, loc, body := a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"publish"}})
		if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=published&v=1" {
			t.Fatalf("publish: %d → %q %.300s", status, loc, body)
		}
		if _, err := db.FindFlowDraft(context.Background(), "skm"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("after publishing, the draft: %v, want none", err)
		}
		if _, _, body := a.get(loc); strings.Contains(body, "Draf terakhir disimpan oleh") || !strings.Contains(body, "Jawa Timur") {
			t.Error("the editor reports an unpublished draft after publishing, or not the published text")
		}
	})
}

// The question form stores a draft only under a flow id of the right shape, and only for the
// flow its YAML names, as the YAML editor does.
func TestTheQuestionFormStoresNoDraftUnderABogusID(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		builtin := flows.Builtin()
		form := post(toForm(builtin), "")
		form.Set("source", string(builtin.Source))
		for path, want := range map[string]int{
			"/admin/flows/SKM-Palsu/form": http.StatusNotFound,
			"/admin/flows/lain/form":      http.StatusUnprocessableEntity, // the YAML says id: skm
		} {
			if status, _, body := a.post(path, url.Values(maps.Clone(form))); status != want {
				t.Errorf("POST %s: %d, want %d: %.300s", path, status, want, body)
			}
		}
		for _, id := range []string{"SKM-Palsu", "lain"} {
			if _, err := db.FindFlowDraft(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("a draft under %q: %v", id, err)
			}
		}
		if status, _, _ := a.post("/admin/flows/skm/form", form); status != http.StatusSeeOther {
			t.Errorf("the same form for skm: %d, want 303", status)
		}
	})
}

// "+ Tambah pertanyaan" leaves a valid draft: the new question has a placeholder prompt in
// every language of the flow, so the editor comes back with the form (not "Perbaiki YAML
// dulu"), opened at the new question, numbered as the form numbers it, from 1.
func TestAnAddedQuestionLeavesAValidDraftAndTheFormUsable(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		builtin := flows.Builtin()
		form := post(toForm(builtin), "add")
		form.Set("source", string(builtin.Source))
		status, loc, body := a.post("/admin/flows/skm/form", form)
		if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=added#q15" {
			t.Fatalf("add: %d → %q %.300s", status, loc, body)
		}
		d, err := db.FindFlowDraft(context.Background(), "skm")
		if err != nil {
			t.Fatal(err)
		}
		f, probs := problems("skm", d.Source, "id")
		if f == nil {
			t.Fatalf("the draft is invalid: %q", probs)
		}
		added := f.Questions[len(f.Questions)-1]
		if added.ID != "pertanyaan_16" || added.Prompt["id"] != placeholderID || added.Prompt["en"] != placeholderOther {
			t.Errorf("the added question: %s %v", added.ID, added.Prompt)
		}
		_, _, body = a.get(loc)
		for _, want := range []string{`id="question-form"`, "<legend>1. jenis_kelamin</legend>", `<fieldset class="question" id="q15">`,
			"<legend>16. pertanyaan_16</legend>", `name="q15.prompt.id" rows="2">` + placeholderID, "Pertanyaan baru ditambahkan"} {
			if !strings.Contains(body, want) {
				t.Errorf("the editor lacks %s", want)
			}
		}
		if strings.Contains(body, "Perbaiki YAML dulu") {
			t.Error("the editor says to fix the YAML first")
		}
	})
}

func TestAnAddedQuestionIsNamedAfterTheNextFreeNumber(t *testing.T) {
	builtin := flows.Builtin()
	for name, c := range map[string]struct {
		taken []string
		want  string
	}{
		"after its number in the form":           {nil, "pertanyaan_16"},
		"past a number a question already has":   {[]string{"pertanyaan_16"}, "pertanyaan_17"},
		"past every number questions have taken": {[]string{"pertanyaan_17", "pertanyaan_16"}, "pertanyaan_18"},
	} {
		t.Run(name, func(t *testing.T) {
			qs := toForm(builtin)
			for i, id := range c.taken {
				qs[i].ID = id
			}
			r := httptest.NewRequest("POST", "/", strings.NewReader(post(qs, "add").Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			got := readForm(r, builtin.Languages)
			if id := got[len(got)-1].ID; id != c.want {
				t.Errorf("added %s, want %s", id, c.want)
			}
		})
	}
}

// The question form rewrites the whole YAML: it must stay as readable as the admin wrote it.
// Multi-line texts stay literal blocks and emoji stay emoji (go.yaml.in/yaml/v3 alone writes
// "Halo! \U0001F44B …\n…" for both), and the flow read back is the same flow.
func TestTheQuestionFormWritesTextsAsTheyAre(t *testing.T) {
	builtin := flows.Builtin()
	apply := func(t *testing.T, base string, qs []formQuestion) (string, *flows.Flow) {
		t.Helper()
		src, err := formYAML([]byte(base), builtin.Languages, readForm(formRequest(post(qs, "")), builtin.Languages))
		if err != nil {
			t.Fatal(err)
		}
		f, err := flows.Parse("skm.yaml", src)
		if err != nil {
			t.Fatalf("the form's YAML is invalid:\n%v\n%s", err, src)
		}
		return string(src), f
	}

	t.Run("the built-in flow keeps its intro and closing readable and is the same flow", func(t *testing.T) {
		src, f := apply(t, string(builtin.Source), toForm(builtin))
		for _, want := range []string{
			"intro:\n  id: |-\n    Halo! 👋 Terima kasih sudah menggunakan layanan kami.\n    Boleh minta waktunya",
			"  en: |-\n    Hello! 👋 Thank you",
			"closing:\n  id: Terima kasih banyak atas penilaian Anda! 🙏 Masukan",
			"{id: D1–D3, en: Diploma (D1–D3)}",
			"# Survei Kepuasan Masyarakat (SKM) — alur bawaan Sukma.",
		} {
			if !strings.Contains(src, want) {
				t.Errorf("the YAML lacks %q", want)
			}
		}
		if strings.Contains(src, `\U`) || strings.Contains(src, `\n`) {
			t.Errorf("the YAML holds escapes:\n%s", src)
		}
		got, want := *f, *builtin
		got.Source, want.Source = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the flow read back differs:\n got %+v\nwant %+v", got, want)
		}
	})
	t.Run("a multi-line prompt typed in the form is a literal block", func(t *testing.T) {
		qs := toForm(builtin)
		qs[0].Prompt[0].Text = "Pertama, sedikit tentang Anda 🙂\r\nJenis kelamin Anda?"
		src, f := apply(t, string(builtin.Source), qs)
		if !strings.Contains(src, "    prompt:\n      id: |-\n        Pertama, sedikit tentang Anda 🙂\n        Jenis kelamin Anda?\n") {
			t.Errorf("the prompt is written as:\n%s", src[strings.Index(src, "questions:"):][:300])
		}
		if got := f.Questions[0].Prompt["id"]; got != "Pertama, sedikit tentang Anda 🙂\nJenis kelamin Anda?" {
			t.Errorf("the prompt read back: %q", got)
		}
	})
	t.Run("a private-use character already in the flow is not taken for an emoji", func(t *testing.T) {
		base := strings.Replace(string(builtin.Source), "Halo! 👋", "Halo! \ue000 👋 \U0010FFFD", 1)
		src, f := apply(t, base, toForm(builtin))
		if got := f.Intro["id"]; !strings.HasPrefix(got, "Halo! \ue000 👋 \U0010FFFD Terima kasih") {
			t.Errorf("the intro read back: %q", got)
		}
		if strings.Contains(src, `\U`) {
			t.Error("the YAML holds escapes")
		}
	})
}
