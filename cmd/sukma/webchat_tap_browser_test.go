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
