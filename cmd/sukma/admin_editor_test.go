package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sukma/flows"
	"sukma/storage"
)

// editorPassword is the password signInFirstTime sets.
const editorPassword = "kata-sandi-editor-4567"

// signInFirstTime signs in as "admin" with the admin token and sets editorPassword, as the
// first sign-in requires, ending on the dashboard.
func signInFirstTime(t *testing.T, run func(*testing.T, ...chromedp.Action[chromedp.Void]), base string) {
	t.Helper()
	const password = editorPassword
	run(t, chromedp.Navigate(base+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS(`#username`), "admin"), chromedp.SendKeys(chromedp.CSS(`#password`), adminTestToken),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#current`)),
		chromedp.SendKeys(chromedp.CSS(`#current`), adminTestToken), chromedp.SendKeys(chromedp.CSS(`#new`), password),
		chromedp.SendKeys(chromedp.CSS(`#again`), password), chromedp.Click(chromedp.CSS(`#save-password`)),
		chromedp.WaitVisible(chromedp.CSS(`#filters`)))
}

// draftOf waits until the draft of flow id holds want and returns it; the test fails if it
// never does.
func draftOf(t *testing.T, db *storage.DB, id string, want ...string) string {
	t.Helper()
	var src string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		d, err := db.FindFlowDraft(context.Background(), id)
		if src = d.Source; err == nil && containsAll(src, want...) {
			return src
		}
	}
	t.Fatalf("the draft of %s never held %q:\n%s", id, want, src)
	return src
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// The question form rewrites the YAML the admin has in the editor, not the one the page was
// drawn with: a title typed in the YAML and not saved survives "+ Tambah pertanyaan". The
// question added keeps the flow valid, so the form comes back, numbered from 1 and opened at
// the new question, and its text can be written there.
func TestTheQuestionFormKeepsAnUnsavedYAMLEditInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	signInFirstTime(t, run, base)

	retitled := strings.Replace(string(mustBuiltin()), "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1)
	n := len(flows.Builtin().Questions)
	run(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#question-form`)),
		chromedp.SetValue(chromedp.CSS(`#source`), retitled),
		chromedp.Click(chromedp.CSS(`#add-question`)), chromedp.Sleep(300*time.Millisecond),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`#q%d`, n))))
	added := fmt.Sprintf("id: pertanyaan_%d\n", n+1)
	draftOf(t, db, "skm", "id: Survei Kepuasan Masyarakat Jawa Timur\n", added)
	if got, want := text(t, fmt.Sprintf(`#q%d legend`, n)), fmt.Sprintf("%d. pertanyaan_%d", n+1, n+1); got != want {
		t.Errorf("the new question is shown as %q, want %q", got, want)
	}
	if got := text(t, `#q0 legend`); got != "1. jenis_kelamin" {
		t.Errorf("the first question is shown as %q", got)
	}
	if got := text(t, "#problems"); !strings.Contains(got, "YAML valid") {
		t.Errorf("after adding a question: %q", got)
	}
	if at, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash`)); err != nil || at != fmt.Sprintf("#q%d", n) {
		t.Errorf("the editor opens at %q (%v), not at the new question", at, err)
	}
	run(t, chromedp.SetValue(chromedp.CSS(fmt.Sprintf(`textarea[name="q%d.prompt.id"]`, n)), "Apa yang paling berkesan?"),
		chromedp.Click(chromedp.CSS(`#apply-form`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#question-form`)))
	draftOf(t, db, "skm", "Jawa Timur", added, "Apa yang paling berkesan?")
}

// After the 12-hour session ends, the editor says so instead of a stale "YAML valid", and a
// save that lands on the sign-in page loses nothing: after signing in again the admin is
// back in the editor with the text they had typed.
func TestAnEndedSessionLosesNoEditInARealBrowser(t *testing.T) {
	ctx := browser(t)
	db, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	signInFirstTime(t, run, base)
	run(t, chromedp.Navigate(base+"/admin/flows/skm"), chromedp.WaitVisible(chromedp.CSS(`#source`)))
	if _, err := db.Exec("DELETE FROM admin_sessions"); err != nil { // the 12 hours are over
		t.Fatal(err)
	}

	broken := strings.Replace(string(mustBuiltin()), "kind: scale", "kind: skala", 1)
	run(t, chromedp.SetValue(chromedp.CSS(`#source`), broken),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("input")); undefined`),
		pollPage(`document.getElementById("problems").innerText.includes("Sesi berakhir")`, 10*time.Second))
	if got := text(t, "#problems"); strings.Contains(got, "valid") {
		t.Errorf("the editor says %q", got)
	}

	run(t, chromedp.Click(chromedp.CSS(`#save`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#login-form`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), "admin"), chromedp.SendKeys(chromedp.CSS(`#password`), editorPassword),
		chromedp.Click(chromedp.CSS(`#login`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#restored`)))
	typed, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("source").value`))
	if err != nil || typed != broken {
		t.Fatalf("after signing in again the editor holds %d bytes (%v), want the %d typed", len(typed), err, len(broken))
	}
	run(t, chromedp.Click(chromedp.CSS(`#save`)), chromedp.Sleep(300*time.Millisecond), chromedp.WaitVisible(chromedp.CSS(`#source`)))
	draftOf(t, db, "skm", "kind: skala")
	if got := text(t, ".notice"); !strings.Contains(got, "Draf tersimpan") {
		t.Errorf("after saving: %q", got)
	}
}

// On the English pages the editor's live validation, run as the admin types, says what to
// fix in English, at the same FILE:LINE:COL as the Indonesian pages say it.
func TestTheLiveValidationIsInEnglishOnEnglishPagesInARealBrowser(t *testing.T) {
	ctx := browser(t)
	_, base := startAdmin(t)
	run, text := pageHelpers(ctx)
	signInFirstTime(t, run, base)

	broken := strings.Replace(string(mustBuiltin()), "kind: scale", "kind: skala", 1)
	_, err := flows.Parse("skm.yaml", []byte(broken))
	var list flows.ErrorList
	if !errors.As(err, &list) || len(list) != 1 {
		t.Fatalf("the broken flow: %v", err)
	}
	for _, l := range []struct{ lang, want string }{{"id", list[0].Error()}, {"en", list[0].In("en")}} {
		run(t, chromedp.Navigate(base+"/admin/flows/skm?lang="+l.lang), chromedp.WaitVisible(chromedp.CSS(`#source`)),
			chromedp.SetValue(chromedp.CSS(`#source`), broken),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("source").dispatchEvent(new Event("input")); undefined`),
			pollPage(`document.querySelector("#problems code") !== null`, 10*time.Second))
		if got := text(t, "#problems code"); got != l.want {
			t.Errorf("lang=%s: the editor says %q, want %q", l.lang, got, l.want)
		}
	}
	if want := `kind "skala" is unknown: use scale, choice, text or number`; !strings.HasSuffix(list[0].In("en"), want) {
		t.Errorf("the English problem is %q, want it to end in %q", list[0].In("en"), want)
	}
}
