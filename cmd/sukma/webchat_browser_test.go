package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sukma/storage/storagetest"
)

// lastBotSays waits until the newest bot message contains s.
func lastBotSays(s string) chromedp.Action[chromedp.Void] {
	return pollPage(fmt.Sprintf(`(function(){var m=document.querySelectorAll(".bot"); return m.length>0 && m[m.length-1].textContent.includes(%q);})()`, s), 15*time.Second)
}

// tapOption taps option n once the page takes taps on it: enabled (no answer on its way)
// and no longer fresh (see chat.js, armMs).
func tapOption(n int) chromedp.Action[chromedp.Void] {
	button := fmt.Sprintf(`#options button:nth-child(%d)`, n)
	return chromedp.Steps(
		pollPage(fmt.Sprintf(`(function(){var b=document.querySelector(%q); return !!b && !b.disabled && !document.querySelector("#options").classList.contains("fresh");})()`, button), 15*time.Second),
		chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))
}

// eval runs JavaScript for its effect.
func eval(js string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Evaluate[any](js)(ctx, t)
		return err
	})
}

func typeAnswer(s string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(`#text`)), chromedp.SendKeys(chromedp.CSS(`#text`), s), chromedp.Click(chromedp.CSS(`#send`)))
}

// offline makes the page offline as it sees it: every call of fetch fails while
// window.offline is set.
const offline = `(function(){ var f = window.fetch; window.offline = true;
	window.fetch = function(){ return window.offline ? Promise.reject(new TypeError("Failed to fetch")) : f.apply(this, arguments); };
	return true; })()`

// storedAnswers are the answers in the database, "question=value" in the questions' order.
func storedAnswers(t *testing.T, app *App) string {
	t.Helper()
	var answers []string
	if err := app.DB.Select(&answers, "SELECT question_id || '=' || value FROM answers ORDER BY question_id"); err != nil {
		t.Fatal(err)
	}
	return strings.Join(answers, " ")
}

// On a phone, the question a tap brings and all its buttons are on the screen, above the
// input bar, and the tap does not put the cursor in the text field (which would open the
// keyboard over them).
func TestTheNextQuestionAndItsButtonsAreOnTheScreen(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/s/" + c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(2), lastBotSays("usia"), typeAnswer("41"), lastBotSays("Pendidikan"),
		tapOption(5), lastBotSays("pekerjaan"), tapOption(4), lastBotSays("persyaratan")}
	for _, q := range []string{"prosedur", "cepat", "biaya"} {
		steps = append(steps, tapOption(4), lastBotSays(q))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	type layout struct {
		QuestionTop, QuestionBottom, ButtonsBottom, FormTop, Height float64
		Focused                                                     string
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[layout](`(function(){
		var m = document.querySelectorAll(".bot"), q = m[m.length-1].getBoundingClientRect();
		var b = document.querySelectorAll("#options button"), last = b[b.length-1].getBoundingClientRect();
		return {QuestionTop: q.top, QuestionBottom: q.bottom, ButtonsBottom: last.bottom,
			FormTop: document.querySelector("#form").getBoundingClientRect().top, Height: window.innerHeight,
			Focused: document.activeElement ? document.activeElement.id : ""};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if got.QuestionTop < 0 || got.QuestionBottom > got.FormTop || got.ButtonsBottom > got.FormTop || got.FormTop > got.Height {
		t.Errorf("question %v–%v and its buttons down to %v, input bar at %v of a %v px screen: want them all above the bar", got.QuestionTop, got.QuestionBottom, got.ButtonsBottom, got.FormTop, got.Height)
	}
	if got.Focused == "text" {
		t.Error("a tap put the cursor in the text field")
	}
}

// An answer that cannot be sent (the connection is gone) comes back to the field, its bubble
// goes, and sent again once the connection is back it is stored once. Kirim with nothing typed
// sends nothing.
func TestAnAnswerThatCouldNotBeSentIsNotLost(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	bubbles := chromedp.Evaluate[int](`document.querySelectorAll(".msg").length`)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(2), lastBotSays("usia"),
		chromedp.Click(chromedp.CSS(`#send`)), chromedp.Sleep(300*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, bubbles)
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx, eval(offline), typeAnswer("35"),
		pollPage(`document.querySelector("#status").textContent.includes("belum terkirim")`, 15*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	after, err := chromedp.Run(ctx, bubbles)
	if err != nil {
		t.Fatal(err)
	}
	field, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#text`)))
	if err != nil {
		t.Fatal(err)
	}
	if field != "35" || after != before {
		t.Errorf("after a failed send the field holds %q and the chat %d messages (%d before): want 35 back in the field and no bubble for it", field, after, before)
	}
	if before != 4 { // greeting, gender, the tap, age
		t.Errorf("%d messages before sending, want 4: an empty Kirim sent something", before)
	}
	err = chromedp.Do(ctx, eval(`window.offline = false`), chromedp.Click(chromedp.CSS(`#send`)), lastBotSays("Pendidikan"))
	if err != nil {
		t.Fatal(err)
	}
	if answers := storedAnswers(t, app); answers != "jenis_kelamin=P usia=35" {
		t.Errorf("answers %q", answers)
	}
}

// A typed answer the server refuses (here at the age question) is not put back in the field:
// what is typed next would be added to it and refused again. A reloaded page says the
// answers given so far are kept.
func TestARefusedAnswerLeavesTheWebChatFieldEmptyAndAReloadSaysAnswersAreKept(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(2), lastBotSays("usia"), typeAnswer("umur saya tiga puluh lima tahun"), lastBotSays("Mohon tulis angka"))
	if err != nil {
		t.Fatal(err)
	}
	field, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#text`)))
	if err != nil || field != "" {
		t.Errorf("the field after the re-prompt holds %q (%v), want it empty", field, err)
	}
	if err := chromedp.Do(ctx, typeAnswer("35"), lastBotSays("Pendidikan")); err != nil {
		t.Fatal(err)
	}
	if answers := storedAnswers(t, app); answers != "jenis_kelamin=P usia=35" {
		t.Errorf("answers %q", answers)
	}
	err = chromedp.Do(ctx, chromedp.Reload(), lastBotSays("Pendidikan"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#log").textContent`))
	if err != nil || !strings.Contains(page, "sebelumnya sudah tersimpan") {
		t.Errorf("the reloaded chat %q (%v) does not say the answers are kept", page, err)
	}
}

// A reload in the middle of a survey shows the citizen's accepted answers, each after the
// question it answered (a refused reply is not one), a tapped option as its button read.
func TestAReloadShowsTheAnswersGivenAfterTheirQuestions(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(2), lastBotSays("usia"), typeAnswer("abc"), lastBotSays("Mohon tulis angka"),
		typeAnswer("41"), lastBotSays("Pendidikan"), tapOption(5), lastBotSays("pekerjaan"),
		chromedp.Reload(), lastBotSays("pekerjaan"))
	if err != nil {
		t.Fatal(err)
	}
	chat, err := chromedp.Run(ctx, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("#log > *")).map(function(el){
		return el.classList.contains("me") ? "me:" + el.textContent : el.classList.contains("note") ? "note" : "bot";
	}).join(" ")`))
	if want := "bot bot me:2. Perempuan bot bot me:41 bot me:5. S1 note bot"; err != nil || chat != want {
		t.Errorf("the reloaded chat is %q (%v), want %q", chat, err, want)
	}
}

// Without JavaScript the page says it needs it, and shows no form that would do nothing.
func TestWithoutJavaScriptTheChatSaysSo(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	type seen struct{ FormShown, NoteShown bool }
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit())); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[seen](`({
		FormShown: document.querySelector("#form").offsetParent !== null,
		NoteShown: !!document.querySelector("noscript, .noscript") && document.body.innerText.includes("memerlukan JavaScript")})`))
	if err != nil {
		t.Fatal(err)
	}
	if got.FormShown || !got.NoteShown {
		t.Errorf("without JavaScript: form shown %v, note shown %v; want the note only", got.FormShown, got.NoteShown)
	}
}

// The header offers English during a survey; chosen, the survey and the page's own words
// (its language for a screen reader, the send button) are English, and a reload keeps them.
func TestTheChatPageSwitchesToEnglish(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	type page struct{ Lang, Send, Switch string }
	read := chromedp.Evaluate[page](`({Lang: document.documentElement.lang, Send: document.querySelector("#send").textContent,
		Switch: document.querySelector("#lang").textContent})`)
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		chromedp.Click(chromedp.CSS(`#lang`), chromedp.NodeVisible), lastBotSays("gender"))
	if err != nil {
		t.Fatal(err)
	}
	for _, reload := range []bool{false, true} {
		if reload {
			if err := chromedp.Do(ctx, chromedp.Reload(), lastBotSays("gender")); err != nil {
				t.Fatal(err)
			}
		}
		got, err := chromedp.Run(ctx, read)
		if err != nil {
			t.Fatal(err)
		}
		if got != (page{"en", "Send", "Bahasa Indonesia"}) {
			t.Errorf("reloaded %v: the page is %+v, want English with a way back", reload, got)
		}
	}
}

// A text put back in the field because it could not be sent goes once the citizen answers
// the question by a tap: left there, one press of Kirim would send it as the answer to a
// later question.
func TestATextPutBackGoesWhenTheQuestionIsAnsweredByATapInTheWebChat(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	long := "pensiunan guru sekolah dasar negeri"
	err := chromedp.Do(ctx, chromedp.Navigate(base+"/s/"+c.newVisit()), lastBotSays("Jenis kelamin"),
		tapOption(1), lastBotSays("usia"), typeAnswer("60"), lastBotSays("Pendidikan"),
		tapOption(3), lastBotSays("pekerjaan"), eval(offline), typeAnswer(long),
		pollPage(`document.querySelector("#status").textContent.includes("belum terkirim")`, 15*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if field, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#text`))); err != nil || field != long {
		t.Fatalf("the field after a failed send holds %q (%v), want the text back", field, err)
	}
	if err := chromedp.Do(ctx, eval(`window.offline = false`), tapOption(6), lastBotSays("persyaratan")); err != nil {
		t.Fatal(err)
	}
	if field, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#text`))); err != nil || field != "" {
		t.Errorf("the field at the next question holds %q (%v), want it empty", field, err)
	}
}
