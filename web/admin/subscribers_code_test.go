package admin

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"sukma/digest"
	"sukma/storage"
)

// A code is created by a POST that redirects to the page: a reload shows the same code, and
// does not post the form again to make another. The page shows it until it is used or expires.
func TestAReloadShowsTheCodeCreatedAndMakesNoOther(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		a := newTestAdmin(t, db, Deps{})
		codeOn := func(page string) string {
			m := regexp.MustCompile(`id="code-value">([^<]+)<`).FindStringSubmatch(page)
			if m == nil {
				return ""
			}
			return m[1]
		}
		if _, _, page := a.get("/admin/subscribers"); codeOn(page) != "" {
			t.Fatal("a code shows before one was created")
		}
		status, loc, _ := a.post("/admin/subscribers/codes", url.Values{"schedule": {digest.DefaultSchedule}, "scope": {""}})
		if status != http.StatusSeeOther || loc != "/admin/subscribers#code" {
			t.Fatalf("creating a code = %d to %q, want 303 to the page", status, loc)
		}
		_, _, page := a.get("/admin/subscribers")
		code := codeOn(page)
		if code == "" {
			t.Fatal("the page after creating a code does not show it")
		}
		if _, _, again := a.get("/admin/subscribers"); codeOn(again) != code {
			t.Errorf("a reload shows %q, want the same code %q", codeOn(again), code)
		}

		// Another admin's browser does not see this browser's code.
		other := a.as(storage.NewAdmin{Username: "budi", PasswordHash: "x", Role: storage.RoleProvince})
		if _, _, page := other.get("/admin/subscribers"); codeOn(page) != "" {
			t.Errorf("another browser sees the code %q", codeOn(page))
		}

		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			_, err := tx.RedeemSubscriptionCode(code, now.UnixMilli())
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, page := a.get("/admin/subscribers"); codeOn(page) != "" {
			t.Errorf("a used code still shows: %q", codeOn(page))
		}

		a.post("/admin/subscribers/codes", url.Values{"schedule": {digest.DefaultSchedule}, "scope": {""}})
		now = now.Add(digest.CodeValidity)
		if _, _, page := a.get("/admin/subscribers"); codeOn(page) != "" {
			t.Errorf("an expired code still shows: %q", codeOn(page))
		}
	})
}
