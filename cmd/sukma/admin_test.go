package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"sukma/bot"
	"sukma/bot/webchat"
	"sukma/bot/whatsapp"
	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
	"sukma/web"
	"sukma/web/admin"
)

const adminTestToken = "token-rahasia-untuk-uji-0123456789"

// startAdmin serves the admin UI beside the API and the web chat, as cmd/sukma will, on a
// database seeded with demo responses.
func startAdmin(t *testing.T) (*storage.DB, string) {
	t.Helper()
	ctx := context.Background()
	db := storagetest.SQLite(t)
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 3, Months: 2, Responses: 15, Seed: 7, Now: time.Now(), Location: jakarta}); err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	engine := &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: jakarta, Logger: logger}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	mux.Handle("/admin/", admin.New(admin.Deps{DB: db, Logger: logger, AdminToken: adminTestToken, PublicURL: srv.URL, Location: jakarta,
		Channels: fakeChannels{}, WhatsApp: &fakePairing{}}))
	mux.Handle("/", web.New(web.Deps{DB: db, Logger: logger, PublicURL: srv.URL, AdminToken: adminTestToken,
		Chat: webchat.New(engine, logger), Location: jakarta}))
	return db, srv.URL
}

func TestAdminPagesInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	const password = "kata-sandi-baru-123"

	run, text := pageHelpers(ctx)
	location := func(t *testing.T) string {
		t.Helper()
		u, _ := chromedp.Run(ctx, chromedp.Location())
		return u
	}
	signIn := func(user, pw string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.Navigate(base+"/admin/login"),
			chromedp.WaitVisible(chromedp.CSS(`#username`)),
			chromedp.SendKeys(chromedp.CSS(`#username`), user),
			chromedp.SendKeys(chromedp.CSS(`#password`), pw),
			chromedp.Click(chromedp.CSS(`#login`)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS(`h1`)),
		)
	}
	signOut := chromedp.Steps(chromedp.Click(chromedp.CSS(`#logout`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#login-form`)))

	t.Run("the first sign-in with the admin token asks for a new password", func(t *testing.T) {
		run(t, signIn("admin", adminTestToken))
		if !strings.HasSuffix(location(t), "/admin/password") {
			t.Fatalf("after the first sign-in at %s", location(t))
		}
		run(t,
			chromedp.SendKeys(chromedp.CSS(`#current`), adminTestToken),
			chromedp.SendKeys(chromedp.CSS(`#new`), password),
			chromedp.SendKeys(chromedp.CSS(`#again`), password),
			chromedp.Click(chromedp.CSS(`#save-password`)),
			chromedp.WaitVisible(chromedp.CSS(`#filters`)),
		)
		if got := text(t, ".notice"); !strings.Contains(got, "Kata sandi baru tersimpan") {
			t.Errorf("notice %q", got)
		}
	})

	t.Run("a wrong password is refused and the token no longer works", func(t *testing.T) {
		run(t, signOut, signIn("admin", "salah-sekali-123"))
		if got := text(t, "#error"); !strings.Contains(got, "salah") {
			t.Errorf("error %q", got)
		}
		run(t, signIn("admin", adminTestToken))
		if got := text(t, "#error"); !strings.Contains(got, "salah") {
			t.Errorf("the admin token still signs in: %q", got)
		}
		run(t, signIn("admin", password), chromedp.WaitVisible(chromedp.CSS(`#filters`)))
	})

	t.Run("a POST without the CSRF token is refused with 403", func(t *testing.T) {
		status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/admin/units", {method: "POST", credentials: "same-origin",
			body: new URLSearchParams({code: "JAHAT", name: "Unit jahat"})}).then(r => r.status)`, chromedp.EvalAwaitPromise))
		if err != nil || status != http.StatusForbidden {
			t.Errorf("status %d, %v", status, err)
		}
		if _, err := db.FindUnitByCode(context.Background(), "JAHAT"); err == nil {
			t.Error("the unit was created")
		}
	})

	t.Run("the dashboard shows the IKM of the seeded responses", func(t *testing.T) {
		units, _ := db.FindUnits(context.Background())
		var ids []int64
		for _, u := range units {
			ids = append(ids, u.ID)
		}
		now := time.Now().In(mustJakarta())
		q := (int(now.Month()) - 1) / 3
		from := time.Date(now.Year(), time.Month(3*q+1), 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 3, -1)
		tally, err := db.Tally(context.Background(), storage.Filter{UnitIDs: ids, FromDay: dayNum(from), ToDay: dayNum(to)})
		if err != nil || tally.Respondents == 0 {
			t.Fatalf("seeded tally %+v, %v", tally, err)
		}
		want := scoring.Compute(tally, scoring.Bands2017).IKM.Comma()
		run(t, chromedp.EmulateViewport(1280, 1000), chromedp.Navigate(base+"/admin/"), chromedp.WaitVisible(chromedp.CSS(`#ikm-value`)))
		if got := text(t, "#ikm-value"); got != want {
			t.Errorf("dashboard IKM %q, want %q", got, want)
		}
		if got := text(t, "#elements"); !strings.Contains(got, "U9") {
			t.Errorf("elements %q", got)
		}
	})

	t.Run("a new unit is created and its QR poster shows the QR code", func(t *testing.T) {
		run(t,
			chromedp.Navigate(base+"/admin/units"),
			chromedp.SendKeys(chromedp.CSS(`#unit-code`), "SAMSAT-SBY1"),
			chromedp.SendKeys(chromedp.CSS(`#unit-name`), "UPT Samsat Surabaya I"),
			chromedp.SendKeys(chromedp.CSS(`#unit-agency`), "BAPENDA"),
			chromedp.Click(chromedp.CSS(`#create-unit`)),
			chromedp.WaitVisible(chromedp.CSS(`#poster-link`)),
			chromedp.Click(chromedp.CSS(`#poster-link`)),
			chromedp.WaitVisible(chromedp.CSS(`#poster`)),
			chromedp.Poll[chromedp.Void](`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`, chromedp.WithPollingTimeout(10*time.Second)),
		)
		if got := text(t, "#poster"); !strings.Contains(got, "UPT Samsat Surabaya I") || !strings.Contains(got, "Pindai kode QR ini untuk menilai layanan kami") {
			t.Errorf("poster %q", got)
		}
		if link := text(t, "#poster-link"); !strings.HasPrefix(link, base+"/s/") {
			t.Errorf("poster link %q", link)
		}
	})

	t.Run("a flow with an error shows FILE:LINE:COL and a valid one is published as version 2", func(t *testing.T) {
		src := string(mustBuiltin())
		broken := strings.Replace(src, "kind: scale", "kind: skala", 1)
		run(t,
			chromedp.Navigate(base+"/admin/flows/skm"),
			chromedp.WaitVisible(chromedp.CSS(`#source`)),
			chromedp.SetValue(chromedp.CSS(`#source`), broken),
			chromedp.Click(chromedp.CSS(`#validate`)),
			chromedp.Sleep(500*time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS(`#problems code`)),
		)
		if got := text(t, "#problems"); !regexp.MustCompile(`skm\.yaml:\d+:\d+: `).MatchString(got) {
			t.Errorf("problems %q", got)
		}
		fixed := strings.Replace(src, "Survei Kepuasan Masyarakat\n", "Survei Kepuasan Masyarakat Jawa Timur\n", 1)
		run(t,
			chromedp.SetValue(chromedp.CSS(`#source`), fixed),
			chromedp.Evaluate[chromedp.Void](`window.confirm = () => true; undefined`, chromedp.EvalIgnoreExceptions),
			chromedp.Click(chromedp.CSS(`#publish`)),
			chromedp.Sleep(500*time.Millisecond),
			chromedp.Poll[chromedp.Void](`document.getElementById("versions") && document.getElementById("versions").innerText.includes("v2")`, chromedp.WithPollingTimeout(10*time.Second)),
		)
		v, err := db.FindLatestFlow(context.Background(), "skm")
		if err != nil || v.Version != 2 || !strings.Contains(v.Source, "Jawa Timur") || v.PublishedBy != "admin" {
			t.Errorf("latest flow v%d by %q, %v", v.Version, v.PublishedBy, err)
		}
	})

	t.Run("a draft is previewed in the web chat without publishing it", func(t *testing.T) {
		draft := strings.Replace(string(mustBuiltin()), "Halo! 👋", "Halo pratinjau! 👋", 1)
		run(t,
			chromedp.Navigate(base+"/admin/flows/skm"),
			chromedp.WaitVisible(chromedp.CSS(`#source`)),
			chromedp.SetValue(chromedp.CSS(`#source`), draft),
			// The button opens the chat in a new tab; the test follows it in this one.
			chromedp.Evaluate[chromedp.Void](`document.getElementById("preview").removeAttribute("formtarget"); undefined`),
			chromedp.Click(chromedp.CSS(`#preview`)),
			chromedp.Sleep(500*time.Millisecond),
			chromedp.Poll[chromedp.Void](`(function(){var m=document.querySelectorAll(".bot"); return m.length>0 && m[0].textContent.includes("Halo pratinjau");})()`, chromedp.WithPollingTimeout(15*time.Second)),
		)
		v, err := db.FindLatestFlow(context.Background(), "skm")
		if err != nil || v.Version != 2 || strings.Contains(v.Source, "pratinjau") {
			t.Errorf("the preview changed the published flow: v%d, %v", v.Version, err)
		}
		d, err := db.FindFlowDraft(context.Background(), "skm")
		if err != nil || !strings.Contains(d.Source, "Halo pratinjau") {
			t.Errorf("the previewed draft is not saved: %v", err)
		}
	})

	t.Run("a one-time subscription code is created for a unit", func(t *testing.T) {
		run(t,
			chromedp.Navigate(base+"/admin/subscribers"),
			chromedp.WaitVisible(chromedp.CSS(`#create-code`)),
			chromedp.Click(chromedp.CSS(`#create-code`)),
			chromedp.Sleep(300*time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS(`#code-value`)),
		)
		if got := text(t, "#code"); !strings.Contains(got, "/langganan "+text(t, "#code-value")) {
			t.Errorf("code box %q", got)
		}
	})

	t.Run("the channels page shows the WhatsApp pairing QR code", func(t *testing.T) {
		run(t, chromedp.Navigate(base+"/admin/channels"), chromedp.WaitVisible(chromedp.CSS(`#pair`)),
			chromedp.Click(chromedp.CSS(`#pair`)), chromedp.Sleep(300*time.Millisecond),
			chromedp.WaitVisible(chromedp.CSS(`#wa-qr`)),
			chromedp.Poll[chromedp.Void](`document.getElementById("wa-qr").complete && document.getElementById("wa-qr").naturalWidth > 0`, chromedp.WithPollingTimeout(10*time.Second)))
		if got := text(t, "main"); !strings.Contains(got, "Web chat") || !strings.Contains(got, "@sukma_uji_bot") || !strings.Contains(got, "Perangkat tertaut") {
			t.Errorf("channels page %q", got)
		}
	})

	t.Run("a unit admin sees only the units of their agency", func(t *testing.T) {
		ctx0 := context.Background()
		own, _ := db.FindUnitByCode(ctx0, "SAMSAT-SBY1")
		var other storage.Unit
		units, _ := db.FindUnits(ctx0)
		for _, u := range units {
			if u.AgencyCode != own.AgencyCode && u.Code != storage.PreviewUnitCode {
				other = u
			}
		}
		agencies, _ := db.ListAgencies(ctx0)
		var agencyID int64
		for _, a := range agencies {
			if a.Code == own.AgencyCode {
				agencyID = a.ID
			}
		}
		hash, _ := bcrypt.GenerateFromPassword([]byte("unit-admin-pass-1"), bcrypt.MinCost)
		if _, err := db.CreateAdmin(ctx0, storage.NewAdmin{Username: "bapenda", PasswordHash: string(hash), Role: storage.RoleUnit, AgencyID: &agencyID}); err != nil {
			t.Fatal(err)
		}
		run(t, signOut, signIn("bapenda", "unit-admin-pass-1"), chromedp.Navigate(base+"/admin/units"), chromedp.WaitVisible(chromedp.CSS(`#unit-list`)))
		list := text(t, "#unit-list")
		if !strings.Contains(list, own.Code) || strings.Contains(list, other.Code) {
			t.Errorf("unit list of a unit admin: %q (own %s, other %s)", list, own.Code, other.Code)
		}
		run(t, chromedp.Navigate(base+"/admin/units/"+other.Code), chromedp.WaitVisible(chromedp.CSS(`#message`)))
		if got := text(t, "#message"); !strings.Contains(got, "tidak ditemukan") {
			t.Errorf("another agency's unit: %q", got)
		}
		run(t, chromedp.Navigate(base+"/admin/flows"), chromedp.WaitVisible(chromedp.CSS(`#message`)))
		if got := text(t, "h1"); !strings.Contains(got, "Akses ditolak") {
			t.Errorf("flows page for a unit admin: %q", got)
		}
	})
}

// pageHelpers returns run, which runs steps and fails the test with the page's text if one
// fails, and text, the text of the element sel.
func pageHelpers(ctx context.Context) (func(*testing.T, ...chromedp.Action[chromedp.Void]), func(*testing.T, string) string) {
	run := func(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
			t.Fatalf("browser: %v\npage: %s", err, text)
		}
	}
	text := func(t *testing.T, sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	return run, text
}

func mustJakarta() *time.Location {
	l, err := time.LoadLocation("Asia/Jakarta")
	if err != nil {
		panic(err)
	}
	return l
}

func dayNum(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

func mustBuiltin() []byte {
	b, err := os.ReadFile("../../flows/builtin/skm.yaml")
	if err != nil {
		panic(fmt.Sprintf("read the built-in flow: %v", err))
	}
	return b
}

// fakeChannels and fakePairing stand in for Telegram and WhatsApp, which tests cannot reach.
type fakeChannels struct{}

func (fakeChannels) Status() []admin.Channel {
	return []admin.Channel{{Name: "Telegram", Enabled: true, Connected: true, Detail: "@sukma_uji_bot, mode polling"},
		{Name: "WhatsApp", Enabled: true, Detail: "unpaired · " + whatsapp.PairHint}}
}

type fakePairing struct{ running atomic.Bool }

func (f *fakePairing) Pairing() admin.Pairing {
	return admin.Pairing{Needed: true, Running: f.running.Load(), QR: "2@uji-bukan-kode-asli,abc,def"}
}

func (f *fakePairing) StartPairing() error { f.running.Store(true); return nil }

// screenshotDir is where the browser tests save the admin pages' screenshots.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("SUKMA_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sukma-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

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
	waitFor := func(s string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](fmt.Sprintf(`(function(){var m=document.querySelectorAll(".bot"); return m.length>0 && m[m.length-1].textContent.includes(%q);})()`, s), chromedp.WithPollingTimeout(15*time.Second))
	}
	// The chat takes an answer once it has shown the question (and let go of the last): a
	// moment's pause before each keeps the test from answering too early.
	tap := func(n int) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Sleep(150*time.Millisecond), chromedp.Poll[chromedp.Void](fmt.Sprintf(`(function(){var b=document.querySelector("#options button:nth-child(%d)"); if (b) { b.click(); } return !!b;})()`, n), chromedp.WithPollingTimeout(10*time.Second)))
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
		chromedp.Click(chromedp.CSS(`#publish`)), chromedp.Sleep(300*time.Millisecond),
		chromedp.Poll[chromedp.Void](`document.getElementById("versions") && document.getElementById("versions").innerText.includes("v2")`, chromedp.WithPollingTimeout(10*time.Second)))
	v, err := db.FindLatestFlow(context.Background(), "skm")
	if err != nil || v.Version != 2 || !strings.Contains(v.Source, question) {
		t.Fatalf("the published flow: v%d, %v", v.Version, err)
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
	} {
		shoot(t, p.name, p.path)
	}
	t.Logf("screenshots of the admin pages (phone-*.png 390×844, desktop-*.png 1280×900) in %s", dir)
}

func TestWhatsAppPairingFromTheAdminPage(t *testing.T) {
	scanned, done := make(chan struct{}), make(chan struct{})
	var needed atomic.Bool
	needed.Store(true)
	p := &whatsAppPairing{log: slog.New(slog.DiscardHandler), needed: needed.Load,
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
	if st := p.Pairing(); !st.Needed || st.Running {
		t.Fatalf("before: %+v", st)
	}
	if err := p.StartPairing(); err != nil {
		t.Fatal(err)
	}
	if err := p.StartPairing(); err != nil { // a second press joins the running session
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.Pairing().QR != "2@kode-kedua" && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if st := p.Pairing(); !st.Running || st.QR != "2@kode-kedua" {
		t.Fatalf("while pairing: %+v", st)
	}
	close(scanned)
	<-done
	for p.Pairing().Running && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	st := p.Pairing()
	if st.Running || st.QR != "" || st.Problem != "" || st.Linked == "" || strings.Contains(st.Linked, "1234567") {
		t.Errorf("after scanning: %+v", st)
	}
	needed.Store(false) // the adapter connected the account
	if st := p.Pairing(); st.Needed || st.Linked != "" {
		t.Errorf("once connected: %+v", st)
	}
}
