package admin

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// testAdmin is the admin UI on a test server with a signed-in province admin.
type testAdmin struct {
	t      testing.TB
	db     *storage.DB
	srv    *httptest.Server
	client *http.Client // signed in, following no redirects
	csrf   string
}

func newTestAdmin(t testing.TB, db *storage.DB, d Deps) *testAdmin {
	t.Helper()
	jakarta, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		t.Fatal(err)
	}
	d.DB, d.Location = db, jakarta
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	a := &testAdmin{t: t, db: db, srv: srv}
	return a.as(storage.NewAdmin{Username: "prov", PasswordHash: "x", Role: storage.RoleProvince})
}

// as is the same server with another admin, created and signed in.
func (a *testAdmin) as(n storage.NewAdmin) *testAdmin {
	a.t.Helper()
	ctx := context.Background()
	adm, err := a.db.CreateAdmin(ctx, n)
	if err != nil {
		a.t.Fatal(err)
	}
	id, csrf := randomToken(32), randomToken(32)
	if err := a.db.CreateAdminSession(ctx, hashSessionID(id), adm.ID, csrf, a.db.Now().Add(time.Hour).UnixMilli()); err != nil {
		a.t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(a.srv.URL + "/admin/")
	jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: id, Path: "/admin/"}})
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &testAdmin{t: a.t, db: a.db, srv: a.srv, client: client, csrf: csrf}
}

// do sends a request and returns the status, the Location header and the body.
func (a *testAdmin) do(c *http.Client, method, path string, form url.Values) (int, string, string) {
	a.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, a.srv.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Location"), string(b)
}

// post sends a form with the session's CSRF token.
func (a *testAdmin) post(path string, form url.Values) (int, string, string) {
	a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", a.csrf)
	return a.do(a.client, http.MethodPost, path, form)
}

func (a *testAdmin) get(path string) (int, string, string) {
	a.t.Helper()
	return a.do(a.client, http.MethodGet, path, nil)
}

func databases(t *testing.T, run func(t *testing.T, db *storage.DB)) {
	t.Run("sqlite", func(t *testing.T) { run(t, storagetest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, storagetest.Postgres(t)) })
}
