package admin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// When the session has ended, the live validation gets a JSON 401 it can show, not the
// sign-in page; a save is sent to sign in and then back to the editor it came from.
func TestAnEndedSessionIsSaidToTheEditor(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		if _, err := db.Exec("DELETE FROM admin_sessions"); err != nil {
			t.Fatal(err)
		}
		send := func(path string, referer string) (*http.Response, string) {
			t.Helper()
			form := url.Values{"csrf": {a.csrf}, "source": {"id: skm\n"}, "action": {"save"}}
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if referer != "" {
				req.Header.Set("Referer", referer)
			}
			res, err := a.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			return res, string(b)
		}

		res, body := send("/admin/flows/skm/validate", "")
		var answer struct{ Error string }
		if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") ||
			json.Unmarshal([]byte(body), &answer) != nil || answer.Error != "Sesi berakhir: masuk lagi di tab lain, lalu simpan." {
			t.Errorf("validate without a session: %d %s %s, want 401 and the JSON error", res.StatusCode, res.Header.Get("Content-Type"), body)
		}

		res, _ = send("/admin/flows/skm", a.srv.URL+"/admin/flows/skm?ok=draft")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/admin/login?ended=1&next="+url.QueryEscape("/admin/flows/skm") {
			t.Errorf("a save without a session: %d → %q, want the sign-in page and back to the editor", res.StatusCode, loc)
		}
		res, _ = send("/admin/flows/skm", "https://elsewhere.example/admin/flows/skm")
		if loc := res.Header.Get("Location"); loc != "/admin/login?ended=1" {
			t.Errorf("a save from another site's page: → %q, want the sign-in page with no way back there", loc)
		}
	})
}
