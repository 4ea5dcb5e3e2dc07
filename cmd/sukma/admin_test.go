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

	"github.com/chromedp/cdproto/page"
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
			pollPage(`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`, 10*time.Second),
		)
		if got := text(t, "#poster"); !strings.Contains(got, "UPT Samsat Surabaya I") || !strings.Contains(got, "Pindai kode QR ini untuk menilai layanan kami") {
			t.Errorf("poster %q", got)
		}
		if link := text(t, "#poster-link"); !strings.HasPrefix(link, base+"/s/") {
			t.Errorf("poster link %q", link)
		}
	})

	t.Run("a poster prints on one sheet of A4 or A5, with a unit name of three lines", func(t *testing.T) {
		long := "UPT Pelayanan Terpadu Satu Pintu dan Penanaman Modal Kabupaten Banyuwangi Wilayah Selatan Kantor Cabang Genteng"
		if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "PTSP-BWI", Name: long, AgencyName: "Dinas Penanaman Modal dan PTSP"}); err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{"a4", "a5"} {
			var pdf []byte
			run(t,
				chromedp.Navigate(base+"/admin/units/PTSP-BWI/poster?format="+format),
				pollPage(`document.getElementById("qr").complete && document.getElementById("qr").naturalWidth > 0`, 10*time.Second),
			)
			prefer := true
			res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &prefer})
			if err != nil {
				t.Fatal(err)
			}
			pdf = res.Data
			if pages := regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1); len(pages) != 1 {
				t.Errorf("the %s poster prints on %d pages, want 1", format, len(pages))
			}
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
			pollPage(`document.getElementById("versions") && document.getElementById("versions").innerText.includes("v2")`, 10*time.Second),
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
			pollPage(`(function(){var m=document.querySelectorAll(".bot"); return m.length>1 && m[0].textContent.includes("Pratinjau alur") && m[1].textContent.includes("Halo pratinjau");})()`, 15*time.Second),
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
			pollPage(`document.getElementById("wa-qr").complete && document.getElementById("wa-qr").naturalWidth > 0`, 10*time.Second))
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
