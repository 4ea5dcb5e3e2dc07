package admin

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sukma/storage"
)

// A head follows a digest's link to one period and unit without a session: the sign-in, and
// on a first sign-in the new password, lead on to that very view, not to the dashboard's
// default; so does the sign-in page for one signed in already.
func TestSigningInFromADigestsLinkOpensItsView(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		srv := httptest.NewServer(New(Deps{DB: db}))
		t.Cleanup(srv.Close)
		const view, password, newPassword = "/admin/?period=2026-11-16..2026-11-22&unit=DUK", "kata-sandi-awal-123", "kata-sandi-baru-456"
		for _, tt := range []struct {
			name      string
			mustAlter bool
		}{{"an account in use", false}, {"a new account, whose password must be changed first", true}} {
			t.Run(tt.name, func(t *testing.T) {
				username := "kepala"
				if tt.mustAlter {
					username = "kepala_baru"
				}
				hash, err := hashPassword(password)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := db.CreateAdmin(context.Background(), storage.NewAdmin{Username: username, PasswordHash: hash, Role: storage.RoleProvince, MustChangePassword: tt.mustAlter}); err != nil {
					t.Fatal(err)
				}
				jar, _ := cookiejar.New(nil)
				c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
				// send returns the status, where it leads and the page.
				send := func(method, path string, form url.Values) (int, string, string) {
					t.Helper()
					var body io.Reader
					if form != nil {
						body = strings.NewReader(form.Encode())
					}
					req, _ := http.NewRequest(method, srv.URL+path, body)
					if form != nil {
						req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					}
					res, err := c.Do(req)
					if err != nil {
						t.Fatal(err)
					}
					defer res.Body.Close()
					b, _ := io.ReadAll(res.Body)
					return res.StatusCode, res.Header.Get("Location"), string(b)
				}
				hidden := func(page, name string) string {
					m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
					if m == nil {
						return ""
					}
					return strings.ReplaceAll(m[1], "&amp;", "&")
				}

				_, to, _ := send("GET", view, nil)
				_, _, page := send("GET", to, nil)
				if hidden(page, "next") != view {
					t.Fatalf("the sign-in page of %s goes on to %q", to, hidden(page, "next"))
				}
				_, to, _ = send("POST", "/admin/login", url.Values{"csrf": {hidden(page, "csrf")}, "username": {username}, "password": {password}, "next": {hidden(page, "next")}})
				if tt.mustAlter {
					_, _, page = send("GET", to, nil)
					if hidden(page, "next") != view {
						t.Fatalf("signed in, the password page %s goes on to %q, want %s", to, hidden(page, "next"), view)
					}
					_, to, _ = send("POST", "/admin/password", url.Values{"csrf": {hidden(page, "csrf")}, "current": {password}, "new": {newPassword},
						"again": {newPassword}, "next": {hidden(page, "next")}})
				}
				u, err := url.Parse(to)
				if err != nil || u.Path != "/admin/" || u.Query().Get("period") != "2026-11-16..2026-11-22" || u.Query().Get("unit") != "DUK" {
					t.Fatalf("signed in, on to %q, want %s", to, view)
				}
				status, _, page := send("GET", to, nil)
				if period, _, _, _ := shown(t, page); status != http.StatusOK || period != "16–22 Nov 2026" {
					t.Errorf("the view after signing in: %d, shows %q", status, period)
				}
				if tt.mustAlter && !strings.Contains(page, "Kata sandi baru tersimpan.") {
					t.Error("the view after the new password does not say it was saved")
				}
				// The sign-in page for one signed in already goes on as a sign-in would.
				if status, to, _ := send("GET", "/admin/login?next="+url.QueryEscape(view), nil); status != http.StatusSeeOther || to != view {
					t.Errorf("the sign-in page, signed in: %d → %q, want %s", status, to, view)
				}
			})
		}
	})
}
