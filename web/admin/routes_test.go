package admin

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"sukma/storage/storagetest"
)

// routes lists every route the package registers ("GET /admin/units/{code}"), read from its
// source, so that a new route is in these tests without anyone adding it.
func routes(t *testing.T) []string {
	t.Helper()
	pattern := regexp.MustCompile(`Handle(?:Func)?\("((?:GET|POST) /admin[^"]*)"`)
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		src, err := os.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range pattern.FindAllStringSubmatch(string(src), -1) {
			out = append(out, m[1])
		}
	}
	if len(out) < 30 {
		t.Fatalf("found only %d routes: %v", len(out), out)
	}
	return out
}

// public are the routes that need no session.
var public = map[string]bool{
	"GET /admin/static/": true, "GET /admin/login": true, "POST /admin/login": true, "GET /admin": true,
}

// scripted are the routes admin.js fetches: they answer JSON, never a page.
var scripted = map[string]bool{"POST /admin/flows/{id}/validate": true}

// concrete turns a route into a method and a path to request.
func concrete(route string) (string, string) {
	method, path, _ := strings.Cut(route, " ")
	path = strings.NewReplacer("{$}", "", "{code}", "DEMO", "{service}", "LOKET", "{id}", "999999", "{version}", "1").Replace(path)
	return method, path
}

func TestEveryAdminRouteNeedsASession(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{})
	anonymous := &http.Client{CheckRedirect: a.client.CheckRedirect}
	for _, route := range routes(t) {
		if public[route] {
			continue
		}
		method, path := concrete(route)
		var form url.Values
		if method == http.MethodPost {
			form = url.Values{"csrf": {a.csrf}}
		}
		status, loc, body := a.do(anonymous, method, path, form)
		if scripted[route] {
			if status != http.StatusUnauthorized || !strings.Contains(body, `{"error":"Sesi berakhir`) {
				t.Errorf("%s %s without a session: %d %s, want 401 and a JSON error", method, path, status, body)
			}
			continue
		}
		if (status != http.StatusSeeOther && status != http.StatusFound) || !strings.HasPrefix(loc, "/admin/login") {
			t.Errorf("%s %s without a session: %d → %q, want a redirect to /admin/login", method, path, status, loc)
		}
	}
	// A wrong or expired session cookie is no session either.
	jar := anonymous
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/admin/units", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "not-a-session"})
	res, err := jar.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/admin/login") {
		t.Errorf("a made-up session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestEveryFormNeedsItsCSRFToken(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{Channels: fakeChannels{}, WhatsApp: &fakePairing{st: Pairing{Needed: true}}})
	const refused = "Formulir ini sudah kedaluwarsa"
	n := 0
	for _, route := range routes(t) {
		method, path := concrete(route)
		if method != http.MethodPost || public[route] {
			continue
		}
		n++
		for name, form := range map[string]url.Values{
			"without a token":  {"name": {"x"}},
			"with a wrong one": {"name": {"x"}, "csrf": {"wrong-" + a.csrf}},
		} {
			if status, _, body := a.do(a.client, method, path, form); status != http.StatusForbidden || !strings.Contains(body, refused) {
				t.Errorf("%s %s %s: %d, want 403", method, path, name, status)
			}
		}
		// The same form with the token is not refused as forged (whatever else it answers);
		// signing out with it would end the test's session.
		if path == "/admin/logout" {
			continue
		}
		if status, _, body := a.do(a.client, method, path, url.Values{"csrf": {a.csrf}}); strings.Contains(body, refused) {
			t.Errorf("%s %s with the token: %d, refused as forged", method, path, status)
		}
	}
	if n < 15 {
		t.Errorf("only %d POST routes tested", n)
	}
	// The sign-in form carries its own token (before there is a session).
	anonymous := &http.Client{CheckRedirect: a.client.CheckRedirect}
	if status, _, _ := a.do(anonymous, http.MethodPost, "/admin/login", url.Values{"username": {"prov"}, "password": {"x"}}); status != http.StatusForbidden {
		t.Errorf("sign-in without its token: %d, want 403", status)
	}
}

// A page that does not exist keeps the menu for an admin signed in, and a way back; signed
// out, it shows no menu.
func TestAnUnknownPageKeepsTheMenu(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{})
	status, _, body := a.get("/admin/tidak-ada")
	if status != http.StatusNotFound || !strings.Contains(body, "<nav>") || !strings.Contains(body, `href="/admin/"`) {
		t.Errorf("signed in: %d, the menu shown %v", status, strings.Contains(body, "<nav>"))
	}
	resp, err := http.Get(a.srv.URL + "/admin/tidak-ada")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusNotFound || strings.Contains(string(out), "<nav>") {
		t.Errorf("signed out: %d, the menu shown %v", resp.StatusCode, strings.Contains(string(out), "<nav>"))
	}
}
