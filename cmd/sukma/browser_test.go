package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/storage/storagetest"
)

// browser starts headless Chromium for a test, or skips when it is not installed (fails with
// SUKMA_REQUIRE_BROWSER=1, as in CI).
func browser(t *testing.T) context.Context {
	t.Helper()
	const path = "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("SUKMA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("SUKMA_REQUIRE_BROWSER=1 but %s is missing (apt-get install -y chromium)", path)
		}
		t.Skipf("browser tests skipped: %s is missing (apt-get install -y chromium)", path)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(390, 844), // a phone
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

func TestACitizenCompletesTheSurveyInARealBrowser(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	token := c.newVisit()
	tap, typeText, waitFor := tapOption, typeAnswer, lastBotSays

	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(base + "/s/" + token),
		waitFor("Jenis kelamin"),
		tap(2), waitFor("usia"),
		typeText("abc"), waitFor("Mohon tulis angka"),
		typeText("41"), waitFor("Pendidikan"),
		tap(5), waitFor("pekerjaan"),
		tap(4), waitFor("persyaratan"),
	}
	for range 9 {
		steps = append(steps, tap(4), chromedp.Sleep(150*time.Millisecond))
	}
	steps = append(steps, waitFor("saran"), typeText("Pertahankan!"), waitFor("tercatat"))
	if err := chromedp.Do(ctx, steps...); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("browser: %v\npage: %s", err, html)
	}

	var scores, saran string
	err := app.DB.QueryRowx(`SELECT u1||u2||u3||u4||u5||u6||u7||u8||u9, saran FROM responses WHERE status = 'complete'`).Scan(&scores, &saran)
	if err != nil {
		t.Fatal(err)
	}
	if scores != "444444444" || saran != "Pertahankan!" {
		t.Errorf("stored %s %q", scores, saran)
	}
	if strings.Contains(saran, "<") {
		t.Error("unexpected markup")
	}
}

// Two tabs of one browser on one survey link: the first answers, and a tap in the second,
// still showing the first question, is not stored as the answer to the next one.
func TestASecondTabDoesNotAnswerTheNextQuestion(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	token := c.newVisit()
	lastBot, tap := lastBotSays, tapOption
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+token), lastBot("Jenis kelamin")); err != nil {
		t.Fatal(err)
	}
	second, cancel := chromedp.NewContext(ctx) // a tab of the same browser, once it runs
	defer cancel()
	if err := chromedp.Do(second, chromedp.Navigate(base+"/s/"+token), lastBot("Jenis kelamin")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, tap(2), lastBot("usia")); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(second, tap(1), lastBot("usia")); err != nil {
		t.Fatal(err)
	}
	said, err := chromedp.Run(second, chromedp.Evaluate[string](`document.querySelector("#log").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(said, "sudah lewat") {
		t.Errorf("the second tab was not told its answer came too late: %q", said)
	}
	if answers := storedAnswers(t, app); answers != "jenis_kelamin=P" {
		t.Errorf("answers %q, want the first tab's only", answers)
	}
}

// Behind a proxy that serves Sukma under a path (SUKMA_PUBLIC_URL https://…/skm), the chat
// page finds its assets and its messages under that path, and keeps its browser cookie.
func TestTheWebChatWorksUnderAProxysPath(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	code, body := c.do("POST", "/api/v1/units/DEMO/standing", nil, true)
	var link struct{ Token string }
	if code/100 != 2 || json.Unmarshal(body, &link) != nil {
		t.Fatalf("standing link: %d %s", code, body)
	}
	target, _ := url.Parse(base)
	proxy := httptest.NewServer(http.StripPrefix("/skm", httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)

	lastBot := lastBotSays
	err := chromedp.Do(ctx,
		chromedp.Navigate(proxy.URL+"/skm/s/"+link.Token), lastBot("Jenis kelamin"),
		chromedp.Click(chromedp.CSS(`#options button:nth-child(2)`), chromedp.NodeVisible), lastBot("usia"),
	)
	var color string
	if err == nil {
		color, err = chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#send")).backgroundColor`))
	}
	if err != nil {
		html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
		t.Fatalf("browser: %v\npage: %s", err, html)
	}
	if color != "rgb(11, 92, 142)" { // #0b5c8e, chat.css's
		t.Errorf("the send button's colour %q: the style sheet did not load", color)
	}
	var answers int
	if err := app.DB.Get(&answers, "SELECT COUNT(*) FROM answers"); err != nil || answers != 1 {
		t.Errorf("%d answers stored (%v), want the one given", answers, err)
	}
}

// pollPage is chromedp.Poll for a page a click has just sent elsewhere: a script run while
// the old page goes loses its context ("Cannot find context with specified id", "Execution
// context was destroyed", "Inspected target navigated or closed"), most often under load; it
// is run again on the new page until timeout.
func pollPage(expression string, timeout time.Duration) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(timeout)
		for {
			_, err := chromedp.Poll[chromedp.Void](expression, chromedp.WithPollingTimeout(max(time.Until(deadline), time.Millisecond)))(ctx, tg)
			lost := err != nil && (strings.Contains(err.Error(), "Cannot find context") || strings.Contains(err.Error(), "context was destroyed") ||
				strings.Contains(err.Error(), "target navigated or closed"))
			if !lost || time.Now().After(deadline) {
				return chromedp.Void{}, err
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}
