package main

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/storage/storagetest"
)

// chatEnd is what the chat page shows at its foot: the input bar, or the closing line.
type chatEnd struct {
	Bar, Closing bool
	Line, Lang   string
}

var readChatEnd = chromedp.Evaluate[chatEnd](`(function(){
	var shown = function(el){ return el.getBoundingClientRect().height > 0; };
	var line = document.querySelector("#ended");
	return {Bar: shown(document.querySelector("#form")), Closing: shown(line), Line: line.textContent, Lang: document.documentElement.lang};
})()`)

// Once the survey is over the input bar gives way to a closing line, in the survey's
// language, and a reload shows the same: after the thanks of a survey answered in English,
// and on a visit already rated, opened in another browser.
func TestAFinishedSurveyTakesNoMoreAnswers(t *testing.T) {
	ctx := browser(t)
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	check := func(when string, want chatEnd, line string) {
		t.Helper()
		got, err := chromedp.Run(ctx, readChatEnd)
		if err != nil {
			t.Fatal(err)
		}
		if got.Bar != want.Bar || got.Closing != want.Closing || got.Lang != want.Lang || !strings.Contains(got.Line, line) {
			t.Errorf("%s: the page shows %+v; want %+v, the line saying %q", when, got, want, line)
		}
	}

	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(base + "/s/" + c.newVisit()), lastBotSays("Jenis kelamin"),
		chromedp.Click(chromedp.CSS(`#lang`), chromedp.NodeVisible), lastBotSays("gender"),
		tapOption(2), lastBotSays("old"), typeAnswer("41"), lastBotSays("education"),
		tapOption(5), lastBotSays("occupation"), tapOption(4), lastBotSays("requirements")}
	for range 9 {
		steps = append(steps, tapOption(4), chromedp.Sleep(150*time.Millisecond))
	}
	if err := chromedp.Do(ctx, append(steps, lastBotSays("suggestions"))...); err != nil {
		t.Fatal(err)
	}
	check("at the last question", chatEnd{Bar: true, Lang: "en"}, "")
	if err := chromedp.Do(ctx, typeAnswer("Keep it up"), lastBotSays("recorded")); err != nil {
		t.Fatal(err)
	}
	const english = "nothing more to answer"
	check("after the thanks", chatEnd{Closing: true, Lang: "en"}, english)
	if err := chromedp.Do(ctx, chromedp.Reload(), lastBotSays("recorded")); err != nil {
		t.Fatal(err)
	}
	check("reloaded after the thanks", chatEnd{Closing: true, Lang: "en"}, english)

	token := c.newVisit()
	c.do("GET", "/s/"+token+"/messages", nil, false)
	for _, a := range surveyAnswers {
		c.say(token, a)
	}
	for _, reload := range []bool{false, true} {
		open := chromedp.Navigate(base + "/s/" + token)
		if reload {
			open = chromedp.Reload()
		}
		if err := chromedp.Do(ctx, open, lastBotSays("sudah dinilai")); err != nil {
			t.Fatal(err)
		}
		check(map[bool]string{false: "a visit already rated", true: "reloaded on a visit already rated"}[reload], chatEnd{Closing: true, Lang: "id"}, "Tidak ada lagi yang perlu diisi")
	}
}
