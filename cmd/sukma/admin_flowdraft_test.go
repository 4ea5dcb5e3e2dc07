package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/flows"
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
		pollPage(`document.getElementById("problems").innerText.includes("`+missing+`")`, 10*time.Second),
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

// Rolling back in the browser: YAML typed in the editor and not saved is asked about before
// a version's text replaces it, and is not brought back over that text afterwards; nor is
// the text of a discarded draft.
func TestRollingBackAndDiscardingInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	signInFirstTime(t, run, base)
	v2src := strings.Replace(string(mustBuiltin()), "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1)
	v2, err := flows.Parse("skm.yaml", []byte(v2src))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.PublishFlow(context.Background(), "skm", v2, "ani"); err != nil || n != 2 {
		t.Fatalf("publish v2: v%d, %v", n, err)
	}
	v1, err := db.FindFlowVersion(context.Background(), "skm", 1)
	if err != nil {
		t.Fatal(err)
	}
	typeUnsaved := chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(`#source`)),
		chromedp.SetValue(chromedp.CSS(`#source`), v2src+"# belum disimpan\n"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("input")); undefined`))
	editor := func(t *testing.T) string {
		t.Helper()
		src, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("restored") ? "restored" : document.getElementById("source").value`))
		if err != nil {
			t.Fatal(err)
		}
		return src
	}

	run(t, chromedp.Navigate(base+"/admin/flows/skm"), typeUnsaved,
		chromedp.Navigate(base+"/admin/flows/skm/v/1"), chromedp.WaitVisible(chromedp.CSS(`#use-version`)),
		chromedp.Evaluate[chromedp.Void](askedConfirm),
		chromedp.Click(chromedp.CSS(`#use-version`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#discard-draft`)))
	if asked := lastConfirm(t, ctx); !strings.Contains(asked, "belum disimpan") {
		t.Errorf("taking version 1 as the draft asked %q", asked)
	}
	if got := editor(t); got != v1.Source {
		t.Errorf("the editor holds %.80q, not version 1's text", got)
	}
	if got := text(t, ".notice"); !strings.Contains(got, "Teks versi 1 kini menjadi draf") {
		t.Errorf("the notice %q", got)
	}
	draftOf(t, db, "skm", v1.Source)

	run(t, typeUnsaved, chromedp.Evaluate[chromedp.Void](askedConfirm),
		chromedp.Click(chromedp.CSS(`#discard-draft`)), chromedp.Sleep(300*time.Millisecond),
		pollPage(`!!document.querySelector(".notice") && document.querySelector(".notice").innerText.includes("Draf dibuang")`, 10*time.Second))
	if asked := lastConfirm(t, ctx); !strings.Contains(asked, "Buang draf ini?") {
		t.Errorf("discarding asked %q", asked)
	}
	if latest, err := db.FindLatestFlow(context.Background(), "skm"); err != nil || editor(t) != latest.Source {
		got := editor(t)
		t.Errorf("after discarding, the editor holds %.80q, not the published version 2", got)
	}
	if _, err := db.FindFlowDraft(context.Background(), "skm"); err == nil {
		t.Error("the draft is still there")
	}
}

// The reviewer's two tabs, in a real browser: A saves, then B, opened before A's save,
// saves. B is told who saved the other draft, keeps B's text in the editor, and A's draft
// stays until B saves again.
func TestTwoTabsSavingOneDraftInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	runA, textA := pageHelpers(ctx)
	signInFirstTime(t, runA, base)
	tabB, cancel := chromedp.NewContext(ctx) // a tab of the same browser, signed in too
	defer cancel()
	runB, textB := pageHelpers(tabB)
	edit := func(line string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.SetValue(chromedp.CSS(`#source`), string(mustBuiltin())+line+"\n"),
			chromedp.Click(chromedp.CSS(`#save`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#source`)))
	}
	runA(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#source`)))
	runB(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#source`)))

	runA(t, edit("# PERUBAHAN-TAB-A"))
	if got := textA(t, ".notice"); !strings.Contains(got, "Draf tersimpan") {
		t.Fatalf("A's save: %q", got)
	}
	runB(t, edit("# PERUBAHAN-TAB-B"), pollPage(`!!document.querySelector("#error, .notice")`, 10*time.Second))
	if got := textB(t, "#error, .notice"); !strings.Contains(got, "Draf ini sudah diubah oleh admin pada") {
		t.Errorf("B's save says %q", got)
	}
	if typed, err := chromedp.Run(tabB, chromedp.Evaluate[string](`document.getElementById("source").value`)); err != nil || !strings.Contains(typed, "# PERUBAHAN-TAB-B") {
		t.Errorf("B's editor lost B's text (%v)", err)
	}
	if d := draftOf(t, db, "skm", "# PERUBAHAN-TAB-A"); strings.Contains(d, "TAB-B") {
		t.Error("B's refused save is in the draft")
	}

	runB(t, chromedp.Click(chromedp.CSS(`#save`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`.notice`)))
	if d := draftOf(t, db, "skm", "# PERUBAHAN-TAB-B"); strings.Contains(d, "TAB-A") {
		t.Error("B's second save did not replace A's draft")
	}

	// A's text typed before B's save and brought back after leaving the page (admin.js) is
	// still based on A's draft: saved, it is refused too.
	runA(t, chromedp.SetValue(chromedp.CSS(`#source`), string(mustBuiltin())+"# A-BELUM-DISIMPAN\n"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("input")); undefined`),
		chromedp.Navigate(base+"/admin/flows"), chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#restored`)),
		chromedp.Click(chromedp.CSS(`#save`)), chromedp.Sleep(300*time.Millisecond),
		pollPage(`!!document.querySelector("#error, .notice:not(#restored)")`, 10*time.Second))
	if got := textA(t, "#error, .notice"); !strings.Contains(got, "Draf ini sudah diubah oleh admin pada") {
		t.Errorf("A's restored text saved over B's draft: %q", got)
	}
	if d := draftOf(t, db, "skm", "# PERUBAHAN-TAB-B"); strings.Contains(d, "BELUM-DISIMPAN") {
		t.Error("A's restored text replaced B's draft")
	}
}
