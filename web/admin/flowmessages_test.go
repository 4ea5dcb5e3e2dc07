package admin

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// brokenElement is the built-in flow with element U3 written U12, and where U12 stands:
// "LINE:COL", counted here from the text, not taken from the checker.
func brokenElement(t *testing.T) (src, at string) {
	t.Helper()
	src = strings.Replace(string(flows.BuiltinSource()), "element: U3", "element: U12", 1)
	for i, line := range strings.Split(src, "\n") {
		if c := strings.Index(line, "element: U12"); c >= 0 {
			return src, fmt.Sprintf("%d:%d", i+1, c+len("element: ")+1)
		}
	}
	t.Fatal("the built-in flow has no element U3")
	return "", ""
}

// The checker's messages are in the page's language, at the same FILE:LINE:COL: an English
// page says in English what an Indonesian page says, as it did, in Indonesian.
func TestAnEnglishPageShowsTheCheckersMessagesInEnglish(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		src, at := brokenElement(t)
		id := "<code>" + html.EscapeString("skm.yaml:"+at+`: kode unsur "U12" tidak sah: gunakan U1 sampai U9`) + "</code>"
		en := "<code>" + html.EscapeString("skm.yaml:"+at+`: element code "U12" is not valid: use U1 to U9`) + "</code>"
		check := func(what, body, want, not string) {
			t.Helper()
			if !strings.Contains(body, want) || strings.Contains(body, not) {
				t.Errorf("%s: want %s, not %s, in\n%.2000s", what, want, not, body[max(strings.Index(body, `id="problems"`), 0):])
			}
		}

		// Indonesian first: ?lang=en is kept in a cookie.
		_, _, body := a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"validate"}})
		check("the Indonesian page after Periksa", body, id, en)
		status, _, body := a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"publish"}})
		check("the Indonesian page refusing to publish", body, id, en)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("publishing a broken flow: %d", status)
		}
		_, _, body = a.post("/admin/flows/skm/validate", url.Values{"source": {src}})
		if want := fmt.Sprintf(`"problems":["skm.yaml:%s: kode unsur \"U12\" tidak sah: gunakan U1 sampai U9"]`, at); !strings.Contains(body, want) {
			t.Errorf("live validation in Indonesian = %s, want %s", body, want)
		}

		_, _, body = a.post("/admin/flows/skm?lang=en", url.Values{"source": {src}, "action": {"validate"}})
		check("the English page after Check", body, en, id)
		_, _, body = a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"save"}})
		check("the English page after Save draft", body, en, id)
		_, _, body = a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {"publish"}})
		check("the English page refusing to publish", body, en, id)
		_, _, body = a.get("/admin/flows/skm") // the draft saved above
		check("the English editor of the draft", body, en, id)
		_, _, body = a.post("/admin/flows/skm/validate", url.Values{"source": {src}})
		var res struct{ Problems []string }
		if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Problems) != 1 ||
			res.Problems[0] != "skm.yaml:"+at+`: element code "U12" is not valid: use U1 to U9` {
			t.Errorf("live validation in English = %s", body)
		}
	})
}

// What the editor says around publishing, beside the checker's problems, is English on the
// English pages too: a YAML naming another flow, a form drawn from other questions, an
// action or a flow it does not know.
func TestTheFlowEditorsRefusalsAreInEnglishOnEnglishPages(t *testing.T) {
	other := strings.Replace(string(flows.BuiltinSource()), "id: skm", "id: lain", 1)
	edited := strings.Replace(string(flows.BuiltinSource()), "Seberapa cepat waktu pelayanannya?", "Seberapa cepat kami melayani?", 1)
	tests := []struct {
		name, path string
		form       url.Values
		id, en     string
	}{
		{"a YAML with another flow's id", "/admin/flows/skm", url.Values{"source": {other}, "action": {"publish"}},
			`id di YAML harus "skm", bukan "lain": mengganti id membuat alur lain`, `the id in the YAML must be "skm", not "lain": another id makes another flow`},
		{"a YAML with another flow's id, in the question form", "/admin/flows/skm/form", url.Values{"source": {other}},
			`id di YAML harus "skm", bukan "lain": mengganti id membuat alur lain`, `the id in the YAML must be "skm", not "lain": another id makes another flow`},
		{"a question form drawn from questions edited since", "/admin/flows/skm/form", url.Values{"source": {string(flows.BuiltinSource())}, "drawn": {edited}},
			"Pertanyaan di YAML sudah diubah sesudah formulir ditampilkan", "The questions in the YAML were changed after the form was shown"},
		{"an unknown action", "/admin/flows/skm", url.Values{"source": {string(flows.BuiltinSource())}, "action": {"x"}},
			"Tindakan tidak dikenal.", "Unknown action."},
		{"an unknown flow", "/admin/flows/Nope", nil, "Alur tidak ditemukan.", "Flow not found."},
		{"an unknown version", "/admin/flows/skm/v/9", nil, "Versi alur tidak ditemukan.", "Flow version not found."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A database of its own: a draft another case saved would refuse this one's save.
			a := newTestAdmin(t, storagetest.SQLite(t), Deps{})
			for _, l := range []struct{ lang, want, not string }{{"id", tt.id, tt.en}, {"en", tt.en, tt.id}} {
				var body string
				if tt.form != nil {
					_, _, body = a.post(tt.path+"?lang="+l.lang, tt.form)
				} else {
					_, _, body = a.get(tt.path + "?lang=" + l.lang)
				}
				if !strings.Contains(body, html.EscapeString(l.want)) || strings.Contains(body, html.EscapeString(l.not)) {
					t.Errorf("lang=%s: want %q, not %q", l.lang, l.want, l.not)
				}
			}
		})
	}
}
