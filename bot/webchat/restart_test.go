package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A web chat whose survey ended with nothing kept (cancelled, or out of time before any
// answer) says that a message starts it again, and the next message does: the page never
// leaves a citizen at a notice with no question. Telegram's /batal still says to scan the QR
// code again, as there a new survey needs its link.
func TestAWebChatEndedWithNothingKeptStartsAgain(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		t.Run("after /batal", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("1")
			if rs := b.say("/batal"); !strings.Contains(last(rs).Text, "kirim pesan apa saja di sini untuk memulai lagi") || strings.Contains(texts(rs), "pindai") {
				t.Errorf("/batal: %s; want how to start again here", texts(rs))
			}
			if rs := b.say("halo"); !isFirstQuestion(rs) {
				t.Errorf("a message after /batal: %s; want the survey started again", texts(rs))
			}
		})
		t.Run("out of time before any answer, found by the message", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			s.now = s.now.Add(25 * time.Hour)
			rs := b.say("1")
			if !strings.Contains(texts(rs), "dimulai lagi dari awal") || !isFirstQuestion(rs) || b.ended {
				t.Errorf("a tap after the survey's time: %s (ended %v); want the restart notice, then the first question", texts(rs), b.ended)
			}
		})
		t.Run("out of time before any answer, closed by the sweeper", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			s.now = s.now.Add(25 * time.Hour)
			if _, err := s.e.SweepExpired(context.Background()); err != nil {
				t.Fatal(err)
			}
			rs := b.say("1")
			if !strings.Contains(texts(rs), "dimulai lagi dari awal") || !isFirstQuestion(rs) || b.ended {
				t.Errorf("a tap after the sweep: %s (ended %v); want the restart notice, then the first question", texts(rs), b.ended)
			}
		})
	})
}
