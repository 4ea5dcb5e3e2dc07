package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/bot"
)

// One visit link open in two browsers (the chat app's, then Chrome): the survey follows the
// browser that writes, and what it writes there, an answer to the question it shows, is
// taken, not dropped for a "let us continue" and the same question again.
func TestAnAnswerWrittenInTheOtherBrowserIsTaken(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		token := s.visit(7 * 24 * time.Hour)
		inApp, chrome := s.browser(token), s.browser(token)
		answers := func() string {
			t.Helper()
			var got []string
			if err := s.db.Select(&got, s.db.Rebind("SELECT a.question_id || '=' || a.value FROM answers a JOIN sessions s ON s.id = a.session_id WHERE s.visit_token = ? ORDER BY a.answered_at, a.question_id"), token); err != nil {
				t.Fatal(err)
			}
			return strings.Join(got, " ")
		}

		shown := last(inApp.look()).Question
		answer(t, inApp, "2", shown)
		if rs := chrome.look(); last(rs).Question != "usia" { // the page load moves the survey
			t.Fatalf("Chrome opened: %s; want the survey at the second question", texts(rs))
		}
		// Each browser in turn answers the question it shows.
		for i, step := range []struct {
			b                 *browser
			text, shown, next string
		}{
			{inApp, "40", "usia", "pendidikan"},
			{chrome, "3", "pendidikan", "pekerjaan"},
			{inApp, "6", "pekerjaan", "u1"},
		} {
			s.now = s.now.Add(time.Minute)
			rs := answer(t, step.b, step.text, step.shown)
			if len(rs) != 1 || rs[0].Question != step.next || strings.Contains(texts(rs), "lanjutkan") {
				t.Fatalf("answer %d (%q to %s): %s; want it taken and %s asked", i+1, step.text, step.shown, texts(rs), step.next)
			}
		}
		if got, want := answers(), "jenis_kelamin=P usia=40 pendidikan=SMA pekerjaan=LAINNYA"; got != want {
			t.Errorf("answers %q, want %q", got, want)
		}

		// A browser still showing a question the other has since answered is told so, and
		// shown the question now asked; nothing is stored.
		rs := answer(t, chrome, "1", "pekerjaan")
		if len(rs) != 2 || !strings.Contains(rs[0].Text, "sudah lewat") || rs[1].Question != "u1" {
			t.Errorf("an answer to a question answered in the other browser: %s", texts(rs))
		}
		// A command typed in the other browser is that command.
		if rs := answer(t, inApp, "/bahasa en", "u1"); !strings.Contains(texts(rs), "Language switched") || last(rs).Question != "u1" {
			t.Errorf("/bahasa in the other browser: %s", texts(rs))
		}
		// A page merely loaded again still just resumes.
		if rs := chrome.look(); !strings.Contains(texts(rs), "continue your survey") || last(rs).Question != "u1" {
			t.Errorf("the page loaded again: %s", texts(rs))
		}
		if got, want := answers(), "jenis_kelamin=P usia=40 pendidikan=SMA pekerjaan=LAINNYA"; got != want {
			t.Errorf("answers %q, want %q", got, want)
		}
	})
}

// A survey out of time but not yet swept is closed when the other browser writes to it: its
// answer is not taken past the survey's time.
func TestAnAnswerInTheOtherBrowserAfterExpiryIsNotTaken(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		token := s.visit(7 * 24 * time.Hour)
		inApp, chrome := s.browser(token), s.browser(token)
		answer(t, inApp, "2", last(inApp.look()).Question)
		chrome.look()
		s.now = s.now.Add(25 * time.Hour)
		rs := answer(t, inApp, "40", "usia")
		if len(rs) != 1 || !strings.Contains(rs[0].Text, expiredText) {
			t.Errorf("an answer after the survey's time: %s; want the expiry notice alone", texts(rs))
		}
		var n int
		if err := s.db.Get(&n, s.db.Rebind("SELECT COUNT(*) FROM responses WHERE visit_token = ? AND status = 'partial' AND usia IS NULL"), token); err != nil || n != 1 {
			t.Errorf("%d partial responses without the late age (%v), want 1", n, err)
		}
		if _, err := s.e.SweepExpired(context.Background()); err != nil {
			t.Error(err)
		}
	})
}

func answer(t *testing.T, b *browser, text, question string) []bot.Reply {
	t.Helper()
	return b.do("POST", map[string]string{"text": text, "question": question})
}
