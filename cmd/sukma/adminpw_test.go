package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
	"sukma/web/admin"
)

// An admin who lost their password gets a new first password from the command line, signs in
// with it and is asked to change it; the old password and their open sessions stop working.
func TestAnAdminWhoLostTheirPasswordIsLetBackIn(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	dbURL := storagetest.SQLiteURL(t)
	app, base := startApp(t, dbURL)
	ctx := context.Background()
	hash, _ := admin.HashPassword("kata-sandi-yang-terlupa")
	ani, err := app.DB.CreateAdmin(ctx, storage.NewAdmin{Username: "ani", PasswordHash: hash, Role: storage.RoleProvince})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.DB.CreateAdminSession(ctx, "sesi-lama", ani.ID, "csrf", app.DB.Now().UnixMilli()+3600_000); err != nil {
		t.Fatal(err)
	}

	t.Setenv("SUKMA_DATABASE_URL", dbURL)
	var out, errb bytes.Buffer
	if code := run(ctx, []string{"admin", "reset-password", "ani"}, stdio{strings.NewReader(""), &out, &errb}); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	m := regexp.MustCompile(`\n      (\S+)\n`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no password printed: %q", out.String())
	}
	if _, err := app.DB.FindAdminSession(ctx, "sesi-lama"); err == nil {
		t.Error("the account's open session still works")
	}

	signIn := func(pw string) (int, string) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		page, err := c.Get(base + "/admin/login") // for the sign-in form's token
		if err != nil {
			t.Fatal(err)
		}
		body := new(bytes.Buffer)
		body.ReadFrom(page.Body)
		page.Body.Close()
		csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body.String())
		if csrf == nil {
			t.Fatalf("no sign-in token on the page")
		}
		res, err := c.PostForm(base+"/admin/login", url.Values{"username": {"ani"}, "password": {pw}, "csrf": {csrf[1]}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}
	if status, loc := signIn("kata-sandi-yang-terlupa"); status == http.StatusSeeOther {
		t.Errorf("the old password still signs in (to %s)", loc)
	}
	if status, loc := signIn(m[1]); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/password") {
		t.Errorf("the new first password: %d to %q, want the password change", status, loc)
	}

	out.Reset()
	errb.Reset()
	if code := run(ctx, []string{"admin", "reset-password", "budi"}, stdio{strings.NewReader(""), &out, &errb}); code != 1 ||
		!strings.Contains(errb.String(), `tidak ada akun "budi". Akun yang ada: ani`) {
		t.Errorf("an unknown account: exit %d, stderr %q", code, errb.String())
	}
}
