package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"sukma/storage"
)

// Usernames ignore case: an account differing from another only in case is refused, saying
// which one has the name; "Kepala" signs in as kepala; and failures under every spelling
// count toward the one name's sign-in limit.
func TestUsernamesIgnoreCase(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		at := time.Now()
		db.Now = func() time.Time { return at } // no limit refills while the test runs
		// The test connects from 127.0.0.1, a trusted proxy: the client is X-Forwarded-For.
		a := newTestAdmin(t, db, Deps{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
		const password = "kata-sandi-awal-123"
		if status, _, page := a.post("/admin/admins?lang=id", url.Values{"username": {"kepala"}, "password": {password}, "role": {"province"}}); status != http.StatusSeeOther {
			t.Fatalf("the account kepala: %d %.300s", status, errorShown(page))
		}
		for _, tt := range []struct{ name, lang, says string }{
			{"KEPALA", "id", "Nama pengguna KEPALA sudah dipakai oleh akun kepala: huruf besar dan kecil tidak dibedakan, juga saat masuk. Pilih nama lain."},
			{"kepala", "id", "Nama pengguna kepala sudah dipakai. Pilih nama lain."},
			{"Kepala", "en", "Username Kepala is taken by the account kepala: usernames ignore upper and lower case"},
			{"Prov", "id", "sudah dipakai oleh akun prov"},
		} {
			status, _, page := a.post("/admin/admins?lang="+tt.lang, url.Values{"username": {tt.name}, "password": {password}, "role": {"province"}})
			if status != http.StatusConflict || !strings.Contains(errorShown(page), tt.says) {
				t.Errorf("the account %s: %d %q, want 409 saying %q", tt.name, status, errorShown(page), tt.says)
			}
			if !strings.Contains(page, `name="username" value="`+tt.name+`"`) {
				t.Errorf("the account %s: the form does not keep the name", tt.name)
			}
		}
		if admins, err := db.FindAdmins(context.Background()); err != nil || len(admins) != 2 {
			t.Errorf("%d accounts (%v), want prov and kepala", len(admins), err)
		}

		if code, _ := signInFrom(t, a.srv, "203.0.113.1", "Kepala", password); code != http.StatusSeeOther {
			t.Errorf("signing in as Kepala: %d, want 303", code)
		}
		// Failures under three spellings, from many addresses, fill the one name's limit.
		spellings := []string{"KEPALA", "kepala", "Kepala"}
		for i := range userSignInLimit.Burst {
			if code, _ := signInFrom(t, a.srv, fmt.Sprintf("198.51.100.%d", i+1), spellings[i%3], "tebakan"); code != http.StatusUnauthorized {
				t.Fatalf("wrong password %d as %s: %d, want 401", i+1, spellings[i%3], code)
			}
		}
		if code, _ := signInFrom(t, a.srv, "198.51.100.200", "kePALA", password); code != http.StatusTooManyRequests {
			t.Errorf("after %d failures under three spellings, the right password as kePALA: %d, want 429", userSignInLimit.Burst, code)
		}
	})
}

// A database from before usernames ignored case may hold two accounts differing only in
// case. Both stay, and each signs in with its own spelling (another spelling is neither),
// and the accounts page warns of them.
func TestAccountsFromBeforeDifferingInCaseOnlyStay(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		passwords := map[string]string{"dinas": "kata-sandi-kecil-1", "DINAS": "kata-sandi-besar-2"}
		for _, name := range []string{"dinas", "DINAS"} {
			hash, err := hashPassword(passwords[name])
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(db.Rebind("INSERT INTO admins (username, password_hash, role, must_change_password, created_at) VALUES (?, ?, 'province', 0, 0)"), name, hash); err != nil {
				t.Fatal(err)
			}
		}
		for _, tt := range []struct {
			name, password string
			want           int
		}{
			{"dinas", passwords["dinas"], http.StatusSeeOther},
			{"DINAS", passwords["DINAS"], http.StatusSeeOther},
			{"dinas", passwords["DINAS"], http.StatusUnauthorized},
			{"Dinas", passwords["dinas"], http.StatusUnauthorized},
			{"Dinas", passwords["DINAS"], http.StatusUnauthorized},
		} {
			if code, _ := signIn(t, a.srv, tt.name, tt.password); code != tt.want {
				t.Errorf("signing in as %s with %s's password: %d, want %d", tt.name, map[bool]string{true: "dinas", false: "DINAS"}[tt.password == passwords["dinas"]], code, tt.want)
			}
		}
		_, _, page := a.get("/admin/admins?lang=id")
		if !strings.Contains(page, "Akun DINAS, dinas hanya berbeda huruf besar dan kecil") && !strings.Contains(page, "Akun dinas, DINAS hanya berbeda huruf besar dan kecil") {
			t.Errorf("the accounts page does not warn of dinas and DINAS: %.3000s", page)
		}
		if _, _, page := a.get("/admin/admins?lang=en"); !strings.Contains(page, "differ in upper and lower case only") {
			t.Error("the English accounts page does not warn in English")
		}
	})
}
