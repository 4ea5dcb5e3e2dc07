package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sukma/storage/storagetest"
)

// doubleTap taps twice at the middle of option n, gap apart, once the page takes taps on it:
// a citizen's double tap on a phone. The second lands on whatever is there then. It fails
// when the browser took the taps more than 690 ms apart (a machine too slow for the test).
func doubleTap(n int, gap time.Duration) chromedp.Action[chromedp.Void] {
	button := fmt.Sprintf(`#options button:nth-child(%d)`, n)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		ready := fmt.Sprintf(`(function(){var b=document.querySelector(%q); return !!b && !b.disabled && !document.querySelector("#options").classList.contains("fresh");})()`, button)
		if _, err := pollPage(ready, 15*time.Second)(ctx, t); err != nil {
			return err
		}
		type point struct{ X, Y float64 }
		p, err := chromedp.Evaluate[point](fmt.Sprintf(`(function(){var r=document.querySelector(%q).getBoundingClientRect();
			if (!window.taps) { document.addEventListener("pointerdown", function(e){ window.taps.push(e.timeStamp); }, {capture: true}); }
			window.taps = [];
			return {X: r.left + r.width/2, Y: r.top + r.height/2};})()`, button))(ctx, t)
		if err != nil {
			return err
		}
		_, err = chromedp.Steps(chromedp.MouseClickXY(p.X, p.Y), chromedp.Sleep(gap), chromedp.MouseClickXY(p.X, p.Y))(ctx, t)
		if err != nil {
			return err
		}
		apart, err := chromedp.Evaluate[float64](`window.taps.length === 2 ? window.taps[1] - window.taps[0] : -1`)(ctx, t)
		switch {
		case err != nil:
			return err
		case apart < 0 || apart > 690:
			return fmt.Errorf("the browser took the taps %.0f ms apart, want two %v apart", apart, gap)
		}
		return nil
	})
}

// A double tap on an option answers its question only: the next question's button of the
// same number, shown at the same spot a moment later, does not take the second tap, 80 ms
// or 600 ms after the first.
func TestADoubleTapInTheWebChatAnswersOneQuestion(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	err := chromedp.Do(ctx, chromedp.EmulateViewport(375, 667), chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(2), lastBotSays("usia"), typeAnswer("41"), lastBotSays("Pendidikan"),
		tapOption(5), lastBotSays("pekerjaan"), tapOption(4), lastBotSays("persyaratan"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		gap             time.Duration
		next            string // in the question after the one tapped
		answered, asked string // the question answered by the tap, and the next
	}{
		{80 * time.Millisecond, "prosedur", "u1", "u2"},
		{600 * time.Millisecond, "cepat", "u2", "u3"},
	} {
		// Settled: no answer on its way, a second one (if any) given time to be sent.
		settled := pollPage(`!document.querySelector("#send").disabled`, 15*time.Second)
		if err := chromedp.Do(ctx, doubleTap(4, tt.gap), chromedp.Sleep(time.Second), settled); err != nil {
			t.Fatal(err)
		}
		answers := storedAnswers(t, app)
		if !strings.Contains(answers, tt.answered+"=4") || strings.Contains(answers, tt.asked+"=") {
			t.Fatalf("a double tap %v apart stored %q: want %s answered and %s not", tt.gap, answers, tt.answered, tt.asked)
		}
		if err := chromedp.Do(ctx, lastBotSays(tt.next)); err != nil {
			t.Fatal(err)
		}
	}
	// The page still takes a tap once the buttons have settled.
	if err := chromedp.Do(ctx, tapOption(3), lastBotSays("biaya")); err != nil {
		t.Fatal(err)
	}
}

// A free-text question shows its limit by the field before anything is typed; the field
// takes no more than the limit, grows with the text, and the text is stored whole. The age
// brings up a phone's number keys.
func TestTheWebChatShowsATextQuestionsLimit(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	token := c.newVisit()
	type field struct {
		Count            string
		CountShown       bool
		Length, Height   int
		Max              int
		InputMode, Value string
	}
	read := chromedp.Evaluate[field](`(function(){var f=document.querySelector("#text"), n=document.querySelector("#count");
		return {Count: n.textContent, CountShown: n.getBoundingClientRect().height > 0, Length: f.value.length,
			Height: Math.round(f.getBoundingClientRect().height), Max: f.maxLength, InputMode: f.inputMode};})()`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+token), lastBotSays("Jenis kelamin"), tapOption(1), lastBotSays("usia")); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, read); err != nil || got.InputMode != "numeric" || got.CountShown {
		t.Errorf("at the age the field is %+v (%v), want number keys and no count", got, err)
	}
	// Answered on: the first message elsewhere moves the survey there and is not taken,
	// and the page opened again takes it back.
	for _, a := range append([]string{"lanjut"}, surveyAnswers[1:13]...) {
		c.say(token, a)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), lastBotSays("perbaiki")); err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, read)
	if err != nil {
		t.Fatal(err)
	}
	if !before.CountShown || before.Count != "0/1000 karakter" || before.Max != 1000 {
		t.Errorf("at a text question the field is %+v, want its limit shown: 0/1000 karakter", before)
	}
	long := strings.Repeat("Antrean terlalu lama.\n", 70) // 1,540 characters
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(`#text`)), insertText(long)); err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, read)
	if err != nil {
		t.Fatal(err)
	}
	if after.Length != 1000 || after.Count != "1000/1000 karakter" || after.Height <= before.Height {
		t.Errorf("after typing 1,540 characters the field is %+v (before %+v): want 1000 taken, counted, and the field grown", after, before)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#send`)), lastBotSays("saran")); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := app.DB.Get(&stored, "SELECT value FROM answers WHERE question_id = 'perbaikan'"); err != nil || stored != strings.TrimSpace(long[:1000]) {
		t.Errorf("stored %d characters (%v), want the 1000 typed", len(stored), err)
	}
}

// insertText types s into the focused field at once, as a keyboard's suggestion or a paste
// does.
func insertText(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: s})
		return err
	})
}

// A reload says the answers given are kept only when the survey under way has some: not
// after /batal, and a survey started again, nor after /ulang.
func TestAReloadedWebChatSaysAnswersAreKeptOnlyWhenThereAreSome(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	notes := chromedp.Evaluate[int](`document.querySelectorAll("#log .note").length`)
	for _, tt := range []struct{ command, said string }{{"/batal", "dibatalkan"}, {"/ulang", "mulai lagi"}} {
		err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
			tapOption(2), lastBotSays("usia"), typeAnswer("41"), lastBotSays("Pendidikan"),
			typeAnswer(tt.command), pollPage(fmt.Sprintf(`document.querySelector("#log").textContent.includes(%q)`, tt.said), 15*time.Second),
			chromedp.Reload(), lastBotSays("Jenis kelamin"))
		if err != nil {
			t.Fatal(err)
		}
		if n, err := chromedp.Run(ctx, notes); err != nil || n != 0 {
			t.Errorf("reloaded after %s at the first question: %d notes (%v), want none", tt.command, n, err)
		}
		if err := chromedp.Do(ctx, tapOption(1), lastBotSays("usia"), chromedp.Reload(), lastBotSays("usia")); err != nil {
			t.Fatal(err)
		}
		if n, err := chromedp.Run(ctx, notes); err != nil || n != 1 {
			t.Errorf("reloaded after %s and an answer: %d notes (%v), want the one", tt.command, n, err)
		}
	}
}

// contrast is the WCAG contrast ratio of two CSS colours, as JavaScript for the page.
const contrast = `function contrast(a, b) {
	var lum = function (c) {
		var v = c.match(/[\d.]+/g).slice(0, 3).map(function (x) { x = x / 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
		return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
	};
	var l = [lum(a), lum(b)].sort(function (x, y) { return y - x; });
	return (l[0] + 0.05) / (l[1] + 0.05);
}`

// After an answer the focus goes where the next one is given, not to the page: the field
// when the question is typed, else its first option. The field's border and the focus ring
// stand out at least 3:1 from what is around them.
func TestTheWebChatMovesTheFocusToTheNextAnswer(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	focused := chromedp.Evaluate[string](`(function(){var e=document.activeElement;
		return e.id ? "#" + e.id : e.parentNode && e.parentNode.id === "options" ? "option " + e.textContent : e.tagName;})()`)
	check := func(after, want string) {
		t.Helper()
		if got, err := chromedp.Run(ctx, focused); err != nil || got != want {
			t.Errorf("after %s the focus is on %q (%v), want %q", after, got, err, want)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"), tapOption(2), lastBotSays("usia")); err != nil {
		t.Fatal(err)
	}
	check("a tap asking for a number", "#text")
	if err := chromedp.Do(ctx, typeAnswer("41"), lastBotSays("Pendidikan")); err != nil {
		t.Fatal(err)
	}
	check("a typed answer asking for a choice", "option 1. SD")
	if err := chromedp.Do(ctx, tapOption(5), lastBotSays("pekerjaan")); err != nil {
		t.Fatal(err)
	}
	check("a tap asking for a choice", "option 1. PNS")

	type ratios struct{ Border, RingOnPage, RingOnButton, RingInHeader float64 }
	// A key moves the focus to the second option, and shows the ring from then on.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
		t.Fatal(err)
	}
	check("a Tab", "option 2. TNI")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[ratios](`(function(){`+contrast+`
		var css = function (sel) { return getComputedStyle(document.querySelector(sel)); };
		var ring = css("#options button:focus-visible").outlineColor;
		document.querySelector("#lang").focus();
		var header = css("#lang:focus-visible").outlineColor;
		return {Border: contrast(css("#text").borderTopColor, css("#form").backgroundColor),
			RingOnPage: contrast(ring, css("body").backgroundColor), RingOnButton: contrast(ring, css("#options button").backgroundColor),
			RingInHeader: contrast(header, css("header").backgroundColor)};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.Border < 3 || got.RingOnPage < 3 || got.RingOnButton < 3 || got.RingInHeader < 3 {
		t.Errorf("contrast ratios %+v, want each at least 3", got)
	}
}

// At 200% zoom on a phone (375 px wide, so 188 CSS pixels) nothing is wider than the screen:
// the header's button is whole. The empty status line under the input bar takes no height.
func TestTheWebChatFitsAPhoneAt200PercentZoom(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	type layout struct {
		Width, ScrollWidth, LangRight, StatusHeight, FormBottom, Height float64
	}
	read := chromedp.Evaluate[layout](`(function(){ window.scrollTo(0, document.documentElement.scrollHeight);
		var box = function (sel) { return document.querySelector(sel).getBoundingClientRect(); };
		return {Width: document.documentElement.clientWidth, ScrollWidth: document.documentElement.scrollWidth,
			LangRight: box("#lang").right, StatusHeight: box("#status").height, FormBottom: box("#form").bottom, Height: window.innerHeight};
	})()`)
	err := chromedp.Do(ctx, chromedp.EmulateViewport(188, 334, chromedp.EmulateScale(2)),
		chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"), tapOption(2), lastBotSays("usia"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, read)
	if err != nil {
		t.Fatal(err)
	}
	if got.ScrollWidth > got.Width || got.LangRight > got.Width {
		t.Errorf("at 200%% zoom the page is %v px wide and the header's button ends at %v, on a screen of %v", got.ScrollWidth, got.LangRight, got.Width)
	}
	if got.StatusHeight != 0 || got.FormBottom < got.Height-0.5 {
		t.Errorf("the empty status line is %v px high, and the input bar ends at %v of %v px: want nothing under it", got.StatusHeight, got.FormBottom, got.Height)
	}
}

// A question that may be skipped has a Lewati button, which skips it; the header offers help,
// which lists the commands.
func TestTheWebChatOffersToSkipAndHelp(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	token := c.newVisit()
	buttons := chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#options button")).map(function(b){ return b.textContent; }).join("|")`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+token), lastBotSays("Jenis kelamin"), tapOption(1), lastBotSays("usia")); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, buttons); err != nil || got != "" {
		t.Errorf("at the age, which must be answered, the buttons are %q (%v), want none", got, err)
	}
	for _, a := range append([]string{"lanjut"}, surveyAnswers[1:13]...) { // see TestTheWebChatShowsATextQuestionsLimit
		c.say(token, a)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), lastBotSays("perbaiki")); err != nil {
		t.Fatal(err)
	}
	if got, err := chromedp.Run(ctx, buttons); err != nil || got != "Lewati" {
		t.Errorf("at an optional question the buttons are %q (%v), want Lewati", got, err)
	}
	if err := chromedp.Do(ctx, tapOption(1), lastBotSays("saran")); err != nil {
		t.Fatal(err)
	}
	if answers := storedAnswers(t, app); strings.Contains(answers, "perbaikan") {
		t.Errorf("answers %q: the skipped question has one", answers)
	}
	err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#help`), chromedp.NodeVisible), lastBotSays("/batal"))
	if err != nil {
		t.Fatal(err)
	}
	chat, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll(".me")).map(function(b){ return b.textContent; }).join("|")`))
	if err != nil || !strings.HasSuffix(chat, "Lewati|/bantuan") {
		t.Errorf("the citizen's bubbles %q (%v), want Lewati then /bantuan last", chat, err)
	}
}

// A survey link copied with the full stop after it opens the survey, also under a proxy's
// path; a link that is no survey's says so on a page in the chat's style.
func TestAWebChatLinkWithAFullStopOpensTheSurvey(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	target, _ := url.Parse(base)
	proxy := httptest.NewServer(http.StripPrefix("/skm", httputil.NewSingleHostReverseProxy(target)))
	t.Cleanup(proxy.Close)
	token := c.newVisit()
	for _, tt := range []struct{ link, path string }{
		{base + "/s/" + token + ".", "/s/" + token},
		{proxy.URL + "/skm/s/" + token + ").", "/skm/s/" + token},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(tt.link), lastBotSays("Jenis kelamin")); err != nil {
			t.Fatalf("%s: %v", tt.link, err)
		}
		if at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err != nil || at != tt.path {
			t.Errorf("%s opened at %q (%v), want %q", tt.link, at, err, tt.path)
		}
	}
	type page struct{ Header, Text string }
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+token+"!x")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[page](`({Header: getComputedStyle(document.querySelector("header")).backgroundColor,
		Text: document.querySelector("main").textContent})`))
	if err != nil || got.Header != "rgb(11, 92, 142)" || !strings.Contains(got.Text, "Tautan survei tidak dikenal") {
		t.Errorf("an unknown link shows %+v (%v), want the chat's header and the notice", got, err)
	}
}
