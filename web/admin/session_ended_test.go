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

// A form sent after the session ended (signed out in another tab, or past its 12 hours) is
// not saved: the sign-in page says so, in the page's language, and signing in leads back to
// the page the form was on. A page opened without a session, and a second sign-out, are
// said nothing.
func TestAFormSentAfterTheSessionEndedIsSaidAtSignIn(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		srv := httptest.NewServer(New(Deps{DB: db}))
		t.Cleanup(srv.Close)
		const password = "kata-sandi-kepala-1"
		hash, err := hashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAdmin(context.Background(), storage.NewAdmin{Username: "kepala", PasswordHash: hash, Role: storage.RoleProvince}); err != nil {
			t.Fatal(err)
		}
		hidden := func(page, name string) string {
			m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
			if m == nil {
				return ""
			}
			return strings.ReplaceAll(m[1], "&amp;", "&")
		}
		for _, tt := range []struct {
			name, lang, note string
			end              func(t *testing.T, send sender, csrf string)
		}{
			{"signed out in another tab", "id", "Sesi Anda berakhir; isian tadi belum tersimpan. Masuk lagi, lalu kirim ulang.",
				func(t *testing.T, send sender, csrf string) {
					if status, _, _ := send("POST", "/admin/logout", url.Values{"csrf": {csrf}}, ""); status != http.StatusSeeOther {
						t.Fatalf("sign-out: %d", status)
					}
				}},
			{"expired, on an English page", "en", "Your session ended; what you just sent was not saved. Sign in again, then send it again.",
				func(t *testing.T, _ sender, _ string) {
					if _, err := db.Exec("UPDATE admin_sessions SET expires_at = 0"); err != nil {
						t.Fatal(err)
					}
				}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				send := newSender(t, srv.URL)
				signIn := func(page string, password string) (int, string, string) {
					t.Helper()
					return send("POST", "/admin/login", url.Values{"csrf": {hidden(page, "csrf")}, "username": {"kepala"}, "password": {password},
						"next": {hidden(page, "next")}, "ended": {hidden(page, "ended")}}, "")
				}
				_, _, page := send("GET", "/admin/login?lang="+tt.lang, nil, "")
				if strings.Contains(page, `id="session-ended"`) {
					t.Error("a plain sign-in page says a session ended")
				}
				if status, _, _ := signIn(page, password); status != http.StatusSeeOther {
					t.Fatalf("sign-in: %d", status)
				}
				_, _, page = send("GET", "/admin/subscribers", nil, "")
				csrf := hidden(page, "csrf")
				tt.end(t, send, csrf)

				status, to, _ := send("POST", "/admin/subscribers", url.Values{"csrf": {csrf}, "channel": {"whatsapp"}, "address": {"081234567890"}},
					srv.URL+"/admin/subscribers")
				if status != http.StatusSeeOther || to != "/admin/login?ended=1&next=%2Fadmin%2Fsubscribers" {
					t.Fatalf("the form without a session: %d → %q, want the sign-in page saying so, and back", status, to)
				}
				_, _, page = send("GET", to, nil, "")
				if !strings.Contains(page, tt.note) || hidden(page, "next") != "/admin/subscribers" {
					t.Fatalf("the sign-in page does not say the form was not saved, or goes on to %q: %.1500s", hidden(page, "next"), page)
				}
				// A wrong password on the way keeps the note.
				if status, _, page = signIn(page, "salah-salah-salah"); status != http.StatusUnauthorized || !strings.Contains(page, tt.note) {
					t.Errorf("a wrong password: %d; the note is gone: %v", status, !strings.Contains(page, tt.note))
				}
				if status, to, _ := signIn(page, password); status != http.StatusSeeOther || to != "/admin/subscribers" {
					t.Errorf("signed in again: %d → %q, want back to /admin/subscribers", status, to)
				}
				if subs, err := db.FindSubscribers(t.Context()); err != nil || len(subs) != 0 {
					t.Errorf("%d subscribers, %v: the form sent without a session was saved", len(subs), err)
				}
			})
		}
		t.Run("signing in goes back to a page that can be opened, without its notice", func(t *testing.T) {
			send := newSender(t, srv.URL)
			for _, tt := range []struct{ from, post, back string }{
				{"/admin/subscribers?ok=created", "/admin/subscribers", "/admin/subscribers"},
				{"/admin/subscribers/codes", "/admin/subscribers/codes", "/admin/subscribers"},
				{"/admin/units/RSUD/services", "/admin/units/RSUD/services", "/admin/units/RSUD"},
				{"/admin/?period=2026-11&unit=DUK", "/admin/units/DUK/visit", "/admin/?period=2026-11&unit=DUK"},
				{"/admin/flows/skm?ok=draft", "/admin/flows/skm", "/admin/flows/skm"},
			} {
				_, to, _ := send("POST", tt.post, url.Values{"csrf": {"x"}}, srv.URL+tt.from)
				if want := "/admin/login?ended=1&next=" + url.QueryEscape(tt.back); to != want {
					t.Errorf("a form on %s without a session → %q, want %q", tt.from, to, want)
				}
			}
		})
		t.Run("a page opened, or a sign-out sent, without a session says nothing of a form", func(t *testing.T) {
			send := newSender(t, srv.URL)
			if _, to, _ := send("GET", "/admin/units", nil, ""); to != "/admin/login?next=%2Fadmin%2Funits" {
				t.Errorf("a page without a session → %q", to)
			}
			if _, to, _ := send("POST", "/admin/logout", url.Values{}, srv.URL+"/admin/units"); strings.Contains(to, "ended") {
				t.Errorf("a second sign-out → %q, want no note", to)
			}
		})
	})
}

// sender sends a request with a browser's cookies, following no redirect, and returns the
// status, where it leads and the page; referer, if not empty, is sent as the Referer.
type sender func(method, path string, form url.Values, referer string) (int, string, string)

func newSender(t *testing.T, base string) sender {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return func(method, path string, form url.Values, referer string) (int, string, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, base+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if referer != "" {
			req.Header.Set("Referer", referer)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Location"), string(b)
	}
}
