package admin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sukma/storage/storagetest"
)

func TestEveryPageTemplateParses(t *testing.T) {
	s := New(Deps{DB: storagetest.SQLite(t)})
	for _, name := range []string{"login", "password", "message", "dashboard", "units", "unit", "poster", "flows", "flow", "admins", "channels", "subscribers"} {
		if s.pages[name] == nil {
			t.Errorf("no page %s", name)
		}
	}
}

// /admin/static/ serves the files of static/ and nothing else: no directory listing, and no
// way out with an encoded "..", which reaches the file server decoded.
func TestOnlyTheStaticFilesAreServed(t *testing.T) {
	srv := httptest.NewServer(New(Deps{DB: storagetest.SQLite(t)}))
	t.Cleanup(srv.Close)
	get := func(path string) (int, string) {
		t.Helper()
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get("/admin/static/admin.css"); code != http.StatusOK || body == "" {
		t.Errorf("admin.css: %d, want 200 and the file", code)
	}
	for _, path := range []string{
		"/admin/static/",
		"/admin/static/%2e%2e/",
		"/admin/static/%2e%2e/templates/login.html",
		"/admin/static/%2e%2e/static/admin.css",
		"/admin/static/%2E%2E/%2E%2E/",
		"/admin/static/..%2ftemplates/login.html",
	} {
		if code, body := get(path); code != http.StatusNotFound || strings.Contains(body, "<a href") || strings.Contains(body, "{{") {
			t.Errorf("%s: %d %.80q, want 404", path, code, body)
		}
	}
}
