package admin

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
)

// browserForm returns the fields of the editor page's form id (yaml-form, question-form,
// discard-form) as a browser sends them: the HTML parser makes every CR LF and lone CR of
// the page LF, and the form is sent with every line break CR LF. The YAML (source) is the
// editor's textarea, unedited.
func browserForm(t *testing.T, body, id string) url.Values {
	t.Helper()
	page := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(body)
	start := strings.Index(page, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the page has no form %s", id)
	}
	form := page[start : start+strings.Index(page[start:], "</form>")]
	sent := func(s string) string { return strings.ReplaceAll(html.UnescapeString(s), "\n", "\r\n") }
	v := url.Values{}
	for _, m := range regexp.MustCompile(`<input type="hidden" name="(\w+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		v.Set(m[1], sent(m[2]))
	}
	if id != "discard-form" { // admin.js sends the question form the textarea's text too
		m := regexp.MustCompile(`(?s)<textarea name="source"[^>]*>(.*?)</textarea>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("the page has no YAML editor")
		}
		v.Set("source", sent(strings.TrimPrefix(m[1], "\n"))) // a browser drops a first LF
	}
	return v
}

// A draft sent by API with CR LF or CR line breaks (Windows, old Mac) is what the browser
// shows with LF: the editor takes the two for the same text. Buang draf discards it (it
// answered 409 for CR alone, every time), and Simpan draf and the question form save over it.
func TestADraftWithCRLineBreaksIsTheTextTheEditorShows(t *testing.T) {
	for name, eol := range map[string]string{"CR": "\r", "CR LF": "\r\n"} {
		t.Run(name, func(t *testing.T) {
			databases(t, func(t *testing.T, db *storage.DB) {
				a := newTestAdmin(t, db, Deps{})
				src := strings.ReplaceAll(string(flows.BuiltinSource()), "\n", eol)
				if _, err := flows.Parse("skm.yaml", []byte(src)); err != nil {
					t.Fatal(err)
				}
				put := func() string {
					t.Helper()
					if err := db.SaveFlowDraft(context.Background(), "skm", src, "api"); err != nil {
						t.Fatal(err)
					}
					_, _, body := a.get("/admin/flows/skm")
					return body
				}

				yaml := browserForm(t, put(), "yaml-form")
				yaml.Set("action", "save")
				if status, _, body := a.post("/admin/flows/skm", yaml); status != http.StatusOK || !strings.Contains(body, "Draf tersimpan. YAML valid.") {
					t.Errorf("Simpan draf over the draft: %d, want 200", status)
				}

				form := browserForm(t, put(), "question-form")
				form.Set("op", "")
				for k, vs := range post(toForm(flows.Builtin()), "") {
					form[k] = vs
				}
				if status, _, body := a.post("/admin/flows/skm/form", form); status != http.StatusSeeOther {
					t.Errorf("the question form over the draft: %d, want 303: %.300s", status, body)
				}

				discard := browserForm(t, put(), "discard-form")
				if status, loc, _ := a.post("/admin/flows/skm/draft/delete", discard); status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=discarded" {
					t.Errorf("Buang draf: %d → %q, want 303 to the editor", status, loc)
				}
				if _, err := db.FindFlowDraft(context.Background(), "skm"); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("after Buang draf, the draft: %v, want none", err)
				}
			})
		})
	}
}
