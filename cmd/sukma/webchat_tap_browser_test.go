package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/storage/storagetest"
)

// doubleTap taps twice at the middle of option n, gap apart: a citizen's double tap on a
// phone. The second lands wherever is there then.
func doubleTap(n int, gap time.Duration) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := tapOption(n)(ctx, t); err != nil { // wait until it takes taps
			return err
		}
		type point struct{ X, Y float64 }
		p, err := chromedp.Evaluate[point](fmt.Sprintf(`(function(){var r=document.querySelector("#options button:nth-child(%d)").getBoundingClientRect();
			return {X: r.left + r.width/2, Y: r.top + r.height/2};})()`, n))(ctx, t)
		if err != nil {
			return err
		}
		// tapOption has tapped once already.
		if _, err := chromedp.Sleep(gap)(ctx, t); err != nil {
			return err
		}
		_, err = chromedp.MouseClickXY(p.X, p.Y)(ctx, t)
		return err
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
		if err := chromedp.Do(ctx, doubleTap(4, tt.gap), lastBotSays(tt.next), chromedp.Sleep(time.Second)); err != nil {
			t.Fatal(err)
		}
		answers := storedAnswers(t, app)
		if !strings.Contains(answers, tt.answered+"=4") || strings.Contains(answers, tt.asked+"=") {
			t.Errorf("a double tap %v apart stored %q: want %s answered and %s not", tt.gap, answers, tt.answered, tt.asked)
		}
	}
	// The page still takes a tap once the buttons have settled.
	if err := chromedp.Do(ctx, tapOption(3), lastBotSays("biaya")); err != nil {
		t.Fatal(err)
	}
}
