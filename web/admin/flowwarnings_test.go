package admin

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
)

// withoutU4 is the built-in flow's YAML with the question of element U4 taken out: valid,
// but its IKM is not the regulation's.
func withoutU4(t *testing.T) string {
	t.Helper()
	src := string(flows.BuiltinSource())
	from, to := strings.Index(src, "  - id: u4\n"), strings.Index(src, "  - id: u5\n")
	if from < 0 || to < from {
		t.Fatal("the built-in flow has no question u4 before u5")
	}
	return src[:from] + src[to:]
}

// A flow without one of the nine elements is published (an agency may have its reasons),
// but never silently: the page after publishing says what the version leaves out, the
// publish button asks about it, and every editor page after an action shows it.
func TestAFlowWithoutAnElementIsPublishedWithAWarning(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		src := withoutU4(t)
		const missing = "alur tidak mengukur unsur U4: IKM-nya tidak memenuhi PermenPANRB 14/2017"
		confirm := regexp.MustCompile(`id="publish"[^>]*data-confirm="[^"]*Peringatan: ` + regexp.QuoteMeta(missing))
		has := func(t *testing.T, what, body string, want ...string) {
			t.Helper()
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", what, w)
				}
			}
		}

		status, loc, body := a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"publish"}})
		if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=published&v=1" {
			t.Fatalf("publish: %d → %q %.300s", status, loc, body)
		}
		_, _, body = a.get(loc)
		has(t, "the page after publishing", body, "Alur diterbitkan sebagai versi 1.", "⚠ Versi 1 diterbitkan, tetapi "+missing,
			`class="caution flow-warning" role="alert">⚠ Peringatan: `+missing)
		if !confirm.MatchString(body) {
			t.Error("the publish button does not ask about the missing element")
		}

		f, err := flows.Parse("skm.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		form := post(toForm(f), "")
		form.Set("source", src)
		_, _, page := a.get("/admin/flows/skm") // the editor, opened on version 1
		form.Set("base", bodyBase(t, page))
		if status, loc, _ = a.post("/admin/flows/skm/form", form); status != http.StatusSeeOther {
			t.Fatalf("the question form: %d", status)
		}
		_, _, body = a.get(loc)
		has(t, "the page after a form action", body, "Draf tersimpan.", "✓ YAML valid.", "⚠ Peringatan: "+missing)

		for _, action := range []string{"validate", "save"} {
			_, _, body = a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {action}})
			has(t, action, body, "YAML valid.", "⚠ Peringatan: "+missing)
			if !confirm.MatchString(body) {
				t.Errorf("after %s the publish button does not ask about the missing element", action)
			}
		}

		_, _, body = a.post("/admin/flows/skm/validate", url.Values{"source": {src}})
		var res struct{ Warnings []string }
		if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Warnings) != 1 || !strings.HasPrefix(res.Warnings[0], "Peringatan: "+missing) {
			t.Errorf("live validation: %s", body)
		}
		_, _, body = a.post("/admin/flows/skm/validate", url.Values{"source": {string(flows.BuiltinSource())}})
		if !strings.Contains(body, `"warnings":[]`) {
			t.Errorf("live validation of the nine elements: %s", body)
		}
		// Last: ?lang=en stays in a cookie.
		_, _, body = a.get("/admin/flows/skm?ok=published&v=1&lang=en")
		has(t, "the English page after publishing", body, "Version 1 was published, but the flow does not measure element(s) U4")
		has(t, "the English page's title", body, "<h1>Flow skm</h1>")
	})
}

// The editor says in Indonesian what `sukma flows validate` and the API say.
func TestTheEditorsWarningIsTheFlowsOwn(t *testing.T) {
	f, err := flows.Parse("skm.yaml", []byte(withoutU4(t)))
	if err != nil {
		t.Fatal(err)
	}
	if ws := flowWarnings(f, "id"); len(ws) != 1 || ws[0] != f.MissingElementsWarning() {
		t.Errorf("the editor warns %q, the flow %q", ws, f.MissingElementsWarning())
	}
}

// A question added with the form and published as it is would ask citizens "Pertanyaan
// baru: tulis teksnya di sini": the editor warns of it.
func TestAPlaceholderQuestionIsWarnedOf(t *testing.T) {
	b := flows.Builtin()
	r := formRequest(post(toForm(b), "add"))
	src, err := formYAML(b.Source, b.Languages, readForm(r, b.Languages))
	if err != nil {
		t.Fatal(err)
	}
	f, err := flows.Parse("skm.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	if ws := flowWarnings(f, "id"); len(ws) != 1 || !strings.HasPrefix(ws[0], "pertanyaan pertanyaan_16 masih berisi teks contoh") {
		t.Errorf("warnings %q", ws)
	}
}

// formRequest is a POST of form, as the question form sends it.
func formRequest(form url.Values) *http.Request {
	r, _ := http.NewRequest("POST", "/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}
