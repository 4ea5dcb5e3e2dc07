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
