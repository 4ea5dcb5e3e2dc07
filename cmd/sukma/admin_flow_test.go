package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/bot/whatsapp"
	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// TestAnAdminEditsTheFlowAndSeesACitizensAnswer is one admin's and one citizen's path: sign
// in, change a question's text and publish the flow as a new version, answer the survey in
// the web chat through a visit QR of a new unit, and find the response on the dashboard.
// Then every admin page is photographed at a phone's and a desktop's size, and must not
// scroll sideways on the phone.
func TestAnAdminEditsTheFlowAndSeesACitizensAnswer(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	const password = "kata-sandi-uji-4567"
	const question = "Jenis kelamin Anda (versi uji)?"
	run, text := pageHelpers(ctx)
	dir := screenshotDir(t)
	sizes := []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 900}}
	// shoot saves a page at both sizes and checks the phone's has no horizontal overflow.
	shoot := func(t *testing.T, name, path string) {
		t.Helper()
		for _, sz := range sizes {
			run(t, chromedp.EmulateViewport(sz.w, sz.h), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`body`)), chromedp.Sleep(200*time.Millisecond))
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){var d=document.documentElement; return d.scrollWidth > window.innerWidth + 1 ? d.scrollWidth + " > " + window.innerWidth : "";})()`))
			if err != nil || overflow != "" {
				t.Errorf("%s at %s: scrolls sideways (%s) %v", name, sz.name, overflow, err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, sz.name+"-"+name+".png"), png, 0o644)
			}
			if err != nil {
				t.Errorf("screenshot %s: %v", name, err)
			}
		}
	}
	waitFor := lastBotSays
	// The chat takes an answer once it has shown the question (and let go of the last): a
	// moment's pause before each keeps the test from answering too early.
	tap := func(n int) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Sleep(150*time.Millisecond), pollPage(fmt.Sprintf(`(function(){var b=document.querySelector("#options button:nth-child(%d)"); if (b) { b.click(); } return !!b;})()`, n), 10*time.Second))
	}
	typeText := func(s string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Sleep(150*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#text`)), chromedp.SendKeys(chromedp.CSS(`#text`), s), chromedp.Click(chromedp.CSS(`#send`)))
	}

	shoot(t, "01-login", "/admin/login")
	run(t, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS(`#username`), "admin"), chromedp.SendKeys(chromedp.CSS(`#password`), adminTestToken),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#current`)),
		chromedp.SendKeys(chromedp.CSS(`#current`), adminTestToken), chromedp.SendKeys(chromedp.CSS(`#new`), password),
		chromedp.SendKeys(chromedp.CSS(`#again`), password), chromedp.Click(chromedp.CSS(`#save-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#filters`)))

	// The flow editor's form changes the first question; the flow is published as v2.
	run(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#question-form`)),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(function(){var t=[...document.querySelectorAll("#question-form textarea")].find(e => e.name.endsWith(".prompt.id") && e.value.includes("Jenis kelamin"));
			t.value = %q;})()`, question)),
		chromedp.Click(chromedp.CSS(`#apply-form`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#source`)),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; undefined`),
		// A query, not a script: the publish navigates, and a script run while the old page
		// goes loses its context under load ("Cannot find context with specified id").
		chromedp.Click(chromedp.CSS(`#publish`)), chromedp.WaitVisible(chromedp.CSS(`#versions a[href="/admin/flows/skm/v/2"]`)))
	v, err := db.FindLatestFlow(context.Background(), "skm")
	if err != nil || v.Version != 2 || !strings.Contains(v.Source, question) {
		t.Fatalf("the published flow: v%d, %v", v.Version, err)
	}
	// Publishing renumbered the version on the server: that is no unsaved text to restore.
	if restored, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.getElementById("restored")`)); err != nil || restored {
		t.Errorf("after publishing the editor offers to restore unsaved text (%v)", err)
	}

	// A new unit, its visit QR, and a citizen answering through it.
	run(t, chromedp.Navigate(base+"/admin/units"),
		chromedp.SendKeys(chromedp.CSS(`#unit-code`), "UJI-1"), chromedp.SendKeys(chromedp.CSS(`#unit-name`), "Unit Uji Coba"),
		chromedp.SendKeys(chromedp.CSS(`#unit-agency`), "DINKES"), chromedp.Click(chromedp.CSS(`#create-unit`)),
		chromedp.WaitVisible(chromedp.CSS(`#create-visit`)), chromedp.Click(chromedp.CSS(`#create-visit`)),
		chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#poster-link`)))
	link := text(t, "#poster-link")
	if !strings.HasPrefix(link, base+"/s/") {
		t.Fatalf("visit link %q", link)
	}
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(link), waitFor(question),
		tap(1), waitFor("usia"), typeText("35"), waitFor("Pendidikan"), tap(5), waitFor("pekerjaan"), tap(4), waitFor("persyaratan")}
	for range 9 {
		steps = append(steps, tap(3))
	}
	run(t, append(steps, waitFor("saran"), typeText("Sudah baik."), waitFor("tercatat"))...)

	// The dashboard of the unit counts the response.
	unit, err := db.FindUnitByCode(context.Background(), "UJI-1")
	if err != nil {
		t.Fatal(err)
	}
	today := dayNum(time.Now().In(mustJakarta()))
	tally, err := db.Tally(context.Background(), storage.Filter{UnitIDs: []int64{unit.ID}, FromDay: today, ToDay: today})
	if err != nil || tally.Respondents != 1 {
		t.Fatalf("tally %+v, %v", tally, err)
	}
	run(t, chromedp.Navigate(base+"/admin/?unit=UJI-1"), chromedp.WaitVisible(chromedp.CSS(`#ikm-value`)))
	if got, want := text(t, "#ikm-value"), scoring.Compute(tally, scoring.Bands2017).IKM.Comma(); got != want {
		t.Errorf("dashboard IKM %q, want %q", got, want)
	}
	if got := text(t, "#respondents"); got != "1" {
		t.Errorf("dashboard respondents %q", got)
	}
	if got := text(t, "#suggestions"); !strings.Contains(got, "Sudah baik.") {
		t.Errorf("suggestions %q", got)
	}

	// Pages with something to show: a subscriber, a pairing running.
	if _, err := db.CreateSubscriber(context.Background(), storage.NewSubscriber{UnitID: &unit.ID, Channel: "whatsapp",
		Address: "6281234567890", Schedule: "0 7 * * 1", Language: "id", Alerts: true}); err != nil {
		t.Fatal(err)
	}
	run(t, chromedp.Navigate(base+"/admin/channels"), chromedp.Click(chromedp.CSS(`#pair`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#wa-qr`)))
	for _, p := range []struct{ name, path string }{
		{"02-dashboard", "/admin/"}, {"03-units", "/admin/units"}, {"04-unit", "/admin/units/UJI-1"},
		{"05-poster", "/admin/units/UJI-1/poster"}, {"06-flows", "/admin/flows"}, {"07-flow-editor", "/admin/flows/skm"},
		{"08-subscribers", "/admin/subscribers"}, {"09-channels", "/admin/channels"}, {"10-accounts", "/admin/admins"},
		{"11-flow-version", "/admin/flows/skm/v/1"},
	} {
		shoot(t, p.name, p.path)
	}
	// On a phone the subscriber list is one card per subscriber: its buttons are on the screen,
	// not behind a sideways scroll of an 880px table.
	run(t, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/admin/subscribers"), chromedp.WaitVisible(chromedp.CSS(`#subscriber-list`)))
	offscreen, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(function(){
		var t = document.getElementById("subscriber-list"), box = t.parentElement, out = [];
		if (box.scrollWidth > box.clientWidth + 1) out.push("the list scrolls sideways: " + box.scrollWidth + " > " + box.clientWidth);
		t.querySelectorAll("button").forEach(function(b){ var r = b.getBoundingClientRect();
			if (r.width === 0 || r.left < 0 || r.right > window.innerWidth) out.push(b.textContent + " at " + r.left + ".." + r.right); });
		return t.querySelectorAll("button").length ? out.join("; ") : "no buttons";})()`))
	if err != nil || offscreen != "" {
		t.Errorf("the subscriber list at 390px: %s %v", offscreen, err)
	}
	t.Logf("screenshots of the admin pages (phone-*.png 390×844, desktop-*.png 1280×900) in %s", dir)
}

func TestWhatsAppPairingFromTheAdminPage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		scanned, done := make(chan struct{}), make(chan struct{})
		var needed atomic.Bool
		needed.Store(true)
		p := &whatsAppPairing{db: db, log: slog.New(slog.DiscardHandler), needed: needed.Load,
			pair: func(ctx context.Context, pp whatsapp.Pairing) (string, error) {
				defer close(done)
				pp.QR("2@kode-pertama")
				pp.QR("2@kode-kedua")
				select {
				case <-scanned:
					return "6281234567890", nil
				case <-ctx.Done():
					return "", ctx.Err()
				}
			}}
		// Another replica behind the same load balancer, on the same database.
		other := &whatsAppPairing{db: db, log: slog.New(slog.DiscardHandler), needed: needed.Load,
			pair: func(context.Context, whatsapp.Pairing) (string, error) {
				t.Error("a second pairing session started on the other replica")
				return "", errors.New("not here")
			}}
		if st := p.Pairing(); !st.Needed || st.Running {
			t.Fatalf("before: %+v", st)
		}
		if err := p.StartPairing(); err != nil {
			t.Fatal(err)
		}
		if err := other.StartPairing(); err != nil { // a second press joins the running session
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for other.Pairing().QR != "2@kode-kedua" && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if st := other.Pairing(); !st.Running || st.QR != "2@kode-kedua" {
			t.Fatalf("while pairing, on the other replica: %+v", st)
		}
		close(scanned)
		<-done
		for p.Pairing().Running && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		st := other.Pairing()
		if st.Running || st.QR != "" || st.Problem != "" || st.Linked == "" || strings.Contains(st.Linked, "1234567") {
			t.Errorf("after scanning: %+v", st)
		}
		needed.Store(false) // the adapter connected the account
		if st := p.Pairing(); st.Needed || st.Linked != "" {
			t.Errorf("once connected: %+v", st)
		}
	})
}
