package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// builtinWithoutU4 is the built-in flow's YAML without the question of element U4: valid,
// but its IKM is not the regulation's.
func builtinWithoutU4(t *testing.T) string {
	t.Helper()
	src := string(mustBuiltin())
	from, to := strings.Index(src, "  - id: u4\n"), strings.Index(src, "  - id: u5\n")
	if from < 0 || to < from {
		t.Fatal("the built-in flow has no question u4 before u5")
	}
	return src[:from] + src[to:]
}

// askedConfirm makes window.confirm say yes and keep its question in sessionStorage, where
// the test reads it after the page the answer led to is loaded.
const askedConfirm = `window.confirm = function (m) { sessionStorage.setItem("asked", m); return true; }; undefined`

func lastConfirm(t *testing.T, ctx context.Context) string {
	t.Helper()
	asked, err := chromedp.Run(ctx, chromedp.Evaluate[string](`sessionStorage.getItem("asked") || ""`))
	if err != nil {
		t.Fatal(err)
	}
	return asked
}

// Publishing a flow without one of the nine elements is allowed but never silent: the editor
// warns as the YAML is typed, the publish confirmation names the element, and so does the
// page after publishing.
func TestPublishingAFlowWithoutAnElementWarnsInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	signInFirstTime(t, run, base)

	const missing = "alur tidak mengukur unsur U4"
	run(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#source`)),
		chromedp.SetValue(chromedp.CSS(`#source`), builtinWithoutU4(t)),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("input")); undefined`),
		chromedp.Poll[chromedp.Void](`document.getElementById("problems").innerText.includes("`+missing+`")`, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate[chromedp.Void](askedConfirm),
		chromedp.Click(chromedp.CSS(`#publish`)), chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitVisible(chromedp.CSS(`.warning`)))
	if v, err := db.FindLatestFlow(context.Background(), "skm"); err != nil || v.Version != 2 {
		t.Fatalf("the flow without U4 is not published as v2: v%d, %v", v.Version, err)
	}
	if asked := lastConfirm(t, ctx); !strings.Contains(asked, "Terbitkan sebagai versi baru?") || !strings.Contains(asked, "Peringatan: "+missing) {
		t.Errorf("the publish confirmation asked %q", asked)
	}
	if got := text(t, ".warning"); !strings.Contains(got, "Versi 2 diterbitkan, tetapi "+missing) {
		t.Errorf("after publishing the page warns %q", got)
	}
}
