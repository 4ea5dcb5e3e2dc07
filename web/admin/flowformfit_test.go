package admin

import (
	"context"
	"html"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
)

// withLabel is the built-in flow with the text old (a label or a prompt, as written in it)
// written new.
func withLabel(t *testing.T, old, new string) (string, *flows.Flow) {
	t.Helper()
	b := string(flows.BuiltinSource())
	if !strings.Contains(b, old) {
		t.Fatalf("the built-in flow has no %q", old)
	}
	src := strings.Replace(b, old, new, 1)
	f, err := flows.Parse("skm.yaml", []byte(src))
	if err != nil {
		t.Fatalf("%s: %v", new, err)
	}
	return src, f
}

// sameFlow reports whether two flows are the same but for their YAML text.
func sameFlow(a, b *flows.Flow) bool {
	x, y := *a, *b
	x.Source, y.Source = nil, nil
	return reflect.DeepEqual(x, y)
}

// The reviewer's case: a U4 label holding a |, applied in the question form with nothing
// edited, came back { id: Gratis / Rp0, en: tanpa pungutan }, the English lost. A | or a \
// in a label is now written \| or \\ in the options field, and read back as it was.
func TestTheQuestionFormKeepsABarWithinALabel(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		src, f := withLabel(t, "{ id: Gratis, en: Free of charge }", `{ id: "Gratis / Rp0 | tanpa pungutan", en: Free of charge }`)
		src = strings.Replace(src, "{ id: Lainnya, en: Other }", `{ id: 'Lainnya \ lain-lain |', en: 'Other | etc. \|' }`, 1)
		f, _ = problems("skm", src, "id")
		if f == nil {
			t.Fatal("the flow is invalid")
		}
		if err := db.SaveFlowDraft(context.Background(), "skm", src, "prov"); err != nil {
			t.Fatal(err)
		}
		_, _, body := a.get("/admin/flows/skm")
		for _, want := range []string{`Gratis / Rp0 \| tanpa pungutan | Free of charge`, `LAINNYA = Lainnya \\ lain-lain \| | Other \| etc. \\\|`} {
			if !strings.Contains(body, html.EscapeString(want)) {
				t.Errorf("the options field lacks %s", want)
			}
		}
		if strings.Contains(body, `id="form-misfit"`) {
			t.Error("the form is not given")
		}

		form := post(toForm(f), "")
		form.Set("source", src)
		form.Set("base", bodyBase(t, body))
		if status, _, body := a.post("/admin/flows/skm/form", form); status != http.StatusSeeOther {
			t.Fatalf("the form applied as drawn: %d %.300s", status, body)
		}
		g, probs := problems("skm", draftSource(t, db).Source, "id")
		if g == nil || !sameFlow(f, g) {
			t.Errorf("the form applied as drawn changed the flow (%q):\n%s", probs, draftSource(t, db).Source)
		}
	})
}

func TestAnEscapedBarTypedInTheFormStaysInItsLabel(t *testing.T) {
	b := flows.Builtin()
	qs := toForm(b)
	u4 := 0
	for i, q := range qs {
		if q.ID == "u4" {
			u4 = i
		}
	}
	qs[u4].Options = "Sangat mahal | Very expensive\nCukup mahal | Fairly expensive\nMurah | Cheap\nGratis \\| bebas biaya | Free \\\\ no fee"
	src, err := formYAML(b.Source, b.Languages, readForm(formRequest(post(qs, "")), b.Languages))
	if err != nil {
		t.Fatal(err)
	}
	f, err := flows.Parse("skm.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Questions[u4].Options[3].Label; got["id"] != "Gratis | bebas biaya" || got["en"] != `Free \ no fee` {
		t.Errorf("the label typed reads %v", got)
	}
}

// A text a field cannot carry as it is would change through the form unedited: for such a
// flow the editor gives no form, says which question to edit in the YAML, and refuses a form
// sent all the same, changing nothing.
func TestTheQuestionFormIsNotGivenForTextsItWouldChange(t *testing.T) {
	if why := formMisfit(flows.Builtin(), view{}.T); why != "" {
		t.Fatalf("the built-in flow does not fit the form: %s", why)
	}
	const label = "{ id: Gratis, en: Free of charge }"
	const prompt = "id: Bagaimana kewajaran biaya/tarif pelayanannya?\n"
	for name, c := range map[string]struct{ old, new string }{
		"a label ending in a space":         {label, `{ id: "Gratis ", en: Free of charge }`},
		"a label of two lines":              {label, `{ id: "Gratis\nsekali", en: Free of charge }`},
		"a label holding a carriage return": {label, `{ id: "Gratis\rsekali", en: Free of charge }`},
		"a prompt ending in a line break":   {prompt, "id: \"Bagaimana kewajaran biaya/tarif pelayanannya?\\n\"\n"},
		"a prompt starting with a space":    {prompt, "id: \" Bagaimana kewajaran biaya/tarif pelayanannya?\"\n"},
	} {
		t.Run(name, func(t *testing.T) {
			databases(t, func(t *testing.T, db *storage.DB) {
				src, f := withLabel(t, c.old, c.new)
				const want = "Formulir tidak dipakai untuk alur ini: teks pertanyaan u4 tidak dapat ditampilkan di formulir tanpa berubah"
				if why := formMisfit(f, view{}.T); !strings.HasPrefix(why, want) {
					t.Errorf("formMisfit = %q", why)
				}
				if err := db.SaveFlowDraft(context.Background(), "skm", src, "prov"); err != nil {
					t.Fatal(err)
				}
				a := newTestAdmin(t, db, Deps{})
				_, _, body := a.get("/admin/flows/skm")
				if !strings.Contains(body, `id="form-misfit">`+want) || strings.Contains(body, `id="question-form"`) {
					t.Error("the editor gives the form, or does not say why not")
				}
				if _, _, en := a.get("/admin/flows/skm?lang=en"); !strings.Contains(en, "The form is not used for this flow: the texts of question u4") {
					t.Error("the English editor does not say why in English")
				}
				form := post(toForm(f), "")
				form.Set("source", src)
				status, _, body := a.post("/admin/flows/skm/form?lang=id", form)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, want) {
					t.Errorf("the form sent all the same: %d, want 422 saying why", status)
				}
				if d := draftSource(t, db); d.Source != src {
					t.Error("the refused form changed the draft")
				}
			})
		})
	}
}
