package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"sukma/digest"
	"sukma/storage"
)

// A head with a new account taps the dashboard link of last week's digest on a phone: signs
// in, sets a new password, and lands on the dashboard at that week and unit, showing the
// digest's IKM, with the quarter of the trend said to be counted up to the week's end.
func TestAHeadFollowsADigestsLinkInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	bg := context.Background()
	jakarta := mustJakarta()

	units, err := db.FindUnits(bg)
	if err != nil {
		t.Fatal(err)
	}
	var unit storage.Unit
	for _, u := range units {
		if strings.HasPrefix(u.Code, storage.DemoUnitPrefix) {
			unit = u
			break
		}
	}
	sched, _ := digest.ParseSchedule(digest.DefaultSchedule)
	week, _ := digest.PeriodEnded(sched, time.Now(), jakarta)
	sub := storage.Subscriber{UnitID: &unit.ID, UnitCode: unit.Code, UnitName: unit.Name, Schedule: digest.DefaultSchedule, Language: "id"}
	d, err := (&digest.Service{DB: db, Location: jakarta, PublicURL: base}).Load(bg, sub, units, week)
	if err != nil {
		t.Fatal(err)
	}
	said := digest.Text(d, "id")
	link := regexp.MustCompile(`Dasbor \(perlu akun admin\): (\S+)`).FindStringSubmatch(said)
	ikm := regexp.MustCompile(`IKM (\d+,\d\d)`).FindStringSubmatch(said)
	if link == nil || ikm == nil {
		t.Fatalf("the digest has no IKM or no dashboard link:\n%s", said)
	}

	hash, _ := bcrypt.GenerateFromPassword([]byte("kata-sandi-awal-1"), bcrypt.MinCost)
	if _, err := db.CreateAdmin(bg, storage.NewAdmin{Username: "kepala", PasswordHash: string(hash), Role: storage.RoleProvince, MustChangePassword: true}); err != nil {
		t.Fatal(err)
	}
	const password = "kata-sandi-kepala-2"
	run(t,
		chromedp.Navigate(link[1]),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "kepala"),
		chromedp.SendKeys(chromedp.CSS(`#password`), "kata-sandi-awal-1"),
		chromedp.Click(chromedp.CSS(`#login`)),
		chromedp.WaitVisible(chromedp.CSS(`#new`)),
		chromedp.SendKeys(chromedp.CSS(`#current`), "kata-sandi-awal-1"),
		chromedp.SendKeys(chromedp.CSS(`#new`), password),
		chromedp.SendKeys(chromedp.CSS(`#again`), password),
		chromedp.Click(chromedp.CSS(`#save-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#ikm-value`)),
	)
	chosen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("period").value + " " + document.getElementById("unit").value`))
	if want := week.Key() + " " + unit.Code; err != nil || chosen != want {
		t.Errorf("the filters show %q (%v), want %q", chosen, err, want)
	}
	if got, want := text(t, "#ikm .label"), "IKM · "+digest.PeriodName(week, "id"); got != want {
		t.Errorf("the dashboard shows %q, want %q", got, want)
	}
	if got := text(t, "#ikm-value"); got != ikm[1] {
		t.Errorf("the dashboard's IKM %s, the digest's %s", got, ikm[1])
	}
	if got := text(t, ".notice"); !strings.Contains(got, "Kata sandi baru tersimpan") {
		t.Errorf("notice %q", got)
	}
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#trend .bar-label"), e => e.textContent)`))
	if err != nil || len(labels) == 0 {
		t.Fatalf("trend %q, %v", labels, err)
	}
	last := labels[len(labels)-1]
	if cut := week.To.AddDate(0, 0, 1).Day() != 1 || week.To.Month()%3 != 0; cut != strings.Contains(last, "(s.d. ") {
		t.Errorf("the trend's last quarter %q, for a week ending %s", last, week.To.Format(time.DateOnly))
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err == nil {
		err = os.WriteFile(filepath.Join(screenshotDir(t), "phone-digest-link.png"), shot, 0o644)
	}
	if err != nil {
		t.Logf("screenshot: %v", err)
	}
}
