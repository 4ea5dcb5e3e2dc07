package admin

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"sukma/internal/logtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// Two admin servers on one database stand for two replicas: a guesser who spreads wrong
// passwords over both still gets five tries, not five per replica.
func TestFailedSignInsAreCountedAcrossReplicas(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		// A stopped clock: bcrypt under the race detector on a busy machine could otherwise
		// take long enough for the bucket to refill a token between the tries.
		at := time.Now()
		db.Now = func() time.Time { return at }
		var replicas [2]*httptest.Server
		for i := range replicas {
			replicas[i] = httptest.NewServer(New(Deps{DB: db}))
			t.Cleanup(replicas[i].Close)
		}
		try := func(srv *httptest.Server, username, password string) (int, string) {
			t.Helper()
			return signIn(t, srv, username, password)
		}
		for i := range 5 {
			if code, _ := try(replicas[i%2], "admin", "tebakan"); code != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d, want 401", i+1, code)
			}
		}
		for i, srv := range replicas {
			code, body := try(srv, "admin", "tebakan")
			if code != http.StatusTooManyRequests || !strings.Contains(body, "Terlalu banyak percobaan") {
				t.Errorf("replica %d, sixth try: %d, want 429 and the wait", i, code)
			}
		}
	})
}

// bcrypt takes at most 72 bytes: a longer admin token (or password) still signs in, in
// full, and a token that differs only past the 72nd byte does not.
func TestALongAdminTokenSignsIn(t *testing.T) {
	db := storagetest.SQLite(t)
	token := strings.Repeat("a", 80)
	srv := httptest.NewServer(New(Deps{DB: db, AdminToken: token}))
	t.Cleanup(srv.Close)
	res, err := http.Get(srv.URL + "/admin/login")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /admin/login with an 80-byte token: %d, want 200", res.StatusCode)
	}
	try := func(password string) int {
		code, _ := signIn(t, srv, "admin", password)
		return code
	}
	if code := try(strings.Repeat("a", 72) + "b"); code != http.StatusUnauthorized {
		t.Errorf("the token's first 72 bytes and one more: %d, want 401", code)
	}
	if code := try(token); code != http.StatusSeeOther {
		t.Errorf("the 80-byte token: %d, want 303 (signed in)", code)
	}
}

// A guesser elsewhere cannot keep an admin out: failures from one address hold back that
// address, not the username, so the admin signs in from their own. Guesses spread over many
// addresses are still bounded, by a looser limit on the username across all of them.
func TestAGuesserElsewhereCannotLockAnAdminOut(t *testing.T) {
	if a, b := time.Duration(signInLimit.Burst)*signInLimit.Every, time.Duration(userSignInLimit.Burst)*userSignInLimit.Every; a != b {
		t.Fatalf("the limits fill up in %v and %v: SignInWait would forget the slower one's failures", a, b)
	}
	databases(t, func(t *testing.T, db *storage.DB) {
		at := time.Now()
		db.Now = func() time.Time { return at } // as in TestFailedSignInsAreCountedAcrossReplicas
		const password = "kata-sandi-uji-12345"
		hash, err := hashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAdmin(context.Background(), storage.NewAdmin{Username: "admin", PasswordHash: hash, Role: storage.RoleProvince}); err != nil {
			t.Fatal(err)
		}
		// The test connects from 127.0.0.1, a trusted proxy: the client is X-Forwarded-For.
		srv := httptest.NewServer(New(Deps{DB: db, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}}))
		t.Cleanup(srv.Close)

		// The reviewer's attack: seven wrong passwords from one address.
		for i, want := range []int{401, 401, 401, 401, 401, 429, 429} {
			if code, _ := signInFrom(t, srv, "203.0.113.2", "Admin", "tebakan"); code != want {
				t.Fatalf("wrong password %d from the guesser's address: %d, want %d", i+1, code, want)
			}
		}
		if code, _ := signInFrom(t, srv, "203.0.113.3", "admin", password); code != http.StatusSeeOther {
			t.Errorf("the right password from the admin's address: %d, want 303 (signed in)", code)
		}

		// Guesses spread over many addresses: the username's limit holds them back (the
		// seven above took five of its thirty).
		for i := range userSignInLimit.Burst - 5 {
			if code, _ := signInFrom(t, srv, fmt.Sprintf("198.51.100.%d", i+1), "admin", "tebakan"); code != http.StatusUnauthorized {
				t.Fatalf("wrong password from address %d: %d, want 401", i+1, code)
			}
		}
		if code, body := signInFrom(t, srv, "198.51.100.200", "admin", "tebakan"); code != http.StatusTooManyRequests || !strings.Contains(body, "Terlalu banyak percobaan") {
			t.Errorf("after %d failures as admin from many addresses, another: %d, want 429", userSignInLimit.Burst, code)
		}
		if code, _ := signInFrom(t, srv, "198.51.100.200", "budi", "tebakan"); code != http.StatusUnauthorized {
			t.Errorf("another username from a fresh address: %d, want 401", code)
		}
	})
}

// signIn posts the login form to srv, with its CSRF cookie, and returns the status and body
// (redirects not followed).
func signIn(t *testing.T, srv *httptest.Server, username, password string) (int, string) {
	t.Helper()
	return signInFrom(t, srv, "", username, password)
}

// signInFrom is signIn from the client address forwarded, if any (for a server that
// trusts the test's connection as a proxy).
func signInFrom(t *testing.T, srv *httptest.Server, forwarded, username, password string) (int, string) {
	t.Helper()
	form := url.Values{"csrf": {"login-token"}, "username": {username}, "password": {password}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if forwarded != "" {
		req.Header.Set("X-Forwarded-For", forwarded)
	}
	req.AddCookie(&http.Cookie{Name: loginCookie, Value: "login-token"})
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// lockedBuffer is a log a test server writes while the test reads it.
type lockedBuffer = logtest.Buffer

// Anyone may post the sign-in form, so it may not fill the log or the disk: a body past a
// few kilobytes is refused with 413 unread, a username that no account can have is refused
// before any work (and counts toward no limit), and no log line is long.
func TestTheSignInFormCannotFillTheLog(t *testing.T) {
	const adminToken = "token-untuk-uji-0123456789"
	db := storagetest.SQLite(t)
	var log lockedBuffer
	srv := httptest.NewServer(New(Deps{DB: db, AdminToken: adminToken, Logger: slog.New(slog.NewTextHandler(&log, nil))}))
	t.Cleanup(srv.Close)

	huge := strings.Repeat("a", 1<<20)
	if code, body := signIn(t, srv, huge, "x"); code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "Isian formulir masuk terlalu panjang") {
		t.Errorf("a 1 MB username: %d, want 413 saying the form is too long", code)
	}
	// More than the five failures that hold back a sign-in (signInLimit).
	for _, name := range []string{strings.Repeat("b", 1000), "admin budi", "ani@dinas.go.id", strings.Repeat("é", 20), "admin;--", "../admin"} {
		code, body := signIn(t, srv, name, "x")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "Nama pengguna hanya berisi huruf, angka, - dan _") {
			t.Errorf("username %.40q: %d, want 422 saying what a username is", name, code)
		}
	}
	for line := range strings.Lines(log.String()) {
		if len(line) > 400 {
			t.Errorf("a log line of %d bytes: %.120s…", len(line), line)
		}
	}
	if !strings.Contains(log.String(), "sign-in refused") {
		t.Errorf("the refusals are not logged:\n%s", log.String())
	}
	// None of that counted as a wrong password: the admin still signs in.
	if code, _ := signIn(t, srv, "admin", adminToken); code != http.StatusSeeOther {
		t.Errorf("the admin after the refusals: %d, want 303 (signed in)", code)
	}
}

// What is typed in the username box is at times the password: a username that did not sign
// in is logged only when it names an account, never as typed, whichever way it is refused.
func TestAPasswordTypedAsTheUsernameIsNotLogged(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		at := time.Now()
		db.Now = func() time.Time { return at } // as in TestFailedSignInsAreCountedAcrossReplicas
		hash, err := hashPassword("kata-sandi-uji-12345")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateAdmin(context.Background(), storage.NewAdmin{Username: "ani", PasswordHash: hash, Role: storage.RoleProvince}); err != nil {
			t.Fatal(err)
		}
		var log lockedBuffer
		srv := httptest.NewServer(New(Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&log, nil))}))
		t.Cleanup(srv.Close)

		// One that cannot be a username, five unknown ones, and one after the address's five
		// failures (429).
		secrets := []string{"MyS3cret!Pass", "MyS3cretPass", "Rahasia_2026", "Sandi-Kedua-99", "Sandi-Ketiga-99", "Sandi-Keempat-9", "Sandi-Kelima-99"}
		for _, typed := range secrets {
			signIn(t, srv, typed, "x")
		}
		for _, typed := range secrets {
			if strings.Contains(log.String(), typed) {
				t.Errorf("the username %q is in the log:\n%s", typed, log.String())
			}
		}
		if !strings.Contains(log.String(), "not a username") || !strings.Contains(log.String(), "rate limited") {
			t.Errorf("the refusals are not all logged:\n%s", log.String())
		}
		signIn(t, srv, "ani", "salah")
		if !strings.Contains(log.String(), "username=ani") {
			t.Errorf("an account's failed sign-in does not name it:\n%s", log.String())
		}
	})
}

// After signing in, the admin goes on to the page that sent them to sign in, if it is a page
// of the admin UI: never off the site, however the path is written.
func TestSigningInGoesOnOnlyToAnAdminPage(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/units/SAMSAT":              "/admin/units/SAMSAT",
		"/admin/?period=2026&unit=DEMO":    "/admin/?period=2026&unit=DEMO",
		"/admin/flows/skm/":                "/admin/flows/skm/",
		"/admin/units/../flows":            "/admin/flows",
		"":                                 "/admin/",
		"/admin":                           "/admin/",
		"/admin/../\\evil.example/":        "/admin/",
		"/admin/..%5Cevil.example/":        "/admin/",
		"/admin/%2e%2e/%2e%2e/evil":        "/admin/",
		"/admin/../../evil.example/":       "/admin/",
		"//evil.example/admin/":            "/admin/",
		"/\\evil.example/admin/":           "/admin/",
		"https://evil.example/admin/":      "/admin/",
		"/admin//evil.example":             "/admin/evil.example",
		"javascript:alert(1)//admin/":      "/admin/",
		"/admin/\x00":                      "/admin/",
		"/public/../admin/subscribers?x=1": "/admin/subscribers?x=1",
	} {
		if got := nextPath(next); got != want {
			t.Errorf("next %q: goes to %q, want %q", next, got, want)
		}
	}

	// The reviewer's path, end to end: signed in, the redirect stays on the site.
	db := storagetest.SQLite(t)
	const password = "kata-sandi-uji-12345"
	hash, err := hashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateAdmin(context.Background(), storage.NewAdmin{Username: "ani", PasswordHash: hash, Role: storage.RoleProvince}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Deps{DB: db}))
	t.Cleanup(srv.Close)
	form := url.Values{"csrf": {"login-token"}, "username": {"ani"}, "password": {password}, "next": {"/admin/../\\evil.example/"}}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: loginCookie, Value: "login-token"})
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/admin/" {
		t.Errorf("signed in with next=/admin/../\\evil.example/: %d → %q, want 303 → /admin/", res.StatusCode, loc)
	}
}

// With an https:// public URL the cookies are Secure, though the request says nothing of
// HTTPS: nginx, ending TLS, sends no X-Forwarded-Proto unless told to.
func TestTheSessionCookieIsSecureBehindAnHTTPSPublicURL(t *testing.T) {
	const adminToken = "token-untuk-uji-0123456789"
	for publicURL, want := range map[string]bool{"https://survei.example.go.id": true, "HTTPS://survei.example.go.id/": true, "http://localhost:8080": false, "": false} {
		srv := httptest.NewServer(New(Deps{DB: storagetest.SQLite(t), AdminToken: adminToken, PublicURL: publicURL}))
		t.Cleanup(srv.Close)
		form := url.Values{"csrf": {"login-token"}, "username": {"admin"}, "password": {adminToken}}
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/login?lang=id", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: loginCookie, Value: "login-token"})
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("public URL %q: signing in: %d, want 303", publicURL, res.StatusCode)
		}
		seen := map[string]bool{}
		for _, c := range res.Cookies() {
			if c.MaxAge < 0 {
				continue // a cookie deleted
			}
			seen[c.Name] = true
			if c.Secure != want {
				t.Errorf("public URL %q: cookie %s Secure = %v, want %v", publicURL, c.Name, c.Secure, want)
			}
		}
		if !seen[sessionCookie] || !seen[langCookie] {
			t.Errorf("public URL %q: cookies set %v, want the session's and the language's", publicURL, seen)
		}
	}
}
