package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Opened again on a day the citizen has rated the unit, the chat of its standing link says
// why it takes no more answers (rated today, again tomorrow), in the survey's language, after
// the old survey or its thanks. It says so once that day, however often the page is opened.
func TestAStandingLinkOpenedAgainOnTheDayItWasRatedSaysWhy(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		standing, err := s.db.EnsureStandingToken(context.Background(), s.unitID, func() string { return "standing-demo" })
		if err != nil {
			t.Fatal(err)
		}
		check := func(t *testing.T, b *browser, want string, before string) {
			t.Helper()
			got := b.look()
			if !b.ended || !strings.Contains(last(got).Text, want) || !strings.Contains(texts(got), before) {
				t.Fatalf("the page opened again: ended %v, %s; want %q after %q", b.ended, texts(got), want, before)
			}
			if again := b.look(); len(again) != len(got) || !b.ended {
				t.Errorf("opened a third time: %d messages, ended %v; the second time %d", len(again), b.ended, len(got))
			}
		}
		t.Run("after its thanks", func(t *testing.T) {
			b := s.browser(standing)
			b.look()
			for _, a := range fullSurvey {
				b.say(a)
			}
			check(t, b, "sudah menilai unit ini hari ini", "tercatat")
		})
		t.Run("in English", func(t *testing.T) {
			b := s.browser(standing)
			b.look()
			b.say("/bahasa en")
			for _, a := range fullSurvey {
				b.say(a)
			}
			check(t, b, "already rated this unit today", "recorded")
		})
		t.Run("after a survey cancelled there, the unit rated on a visit's link", func(t *testing.T) {
			b := s.browser(standing)
			b.look()
			b.say("1")
			b.say("/batal")
			visit := &browser{s: s, hc: b.hc, token: s.visit(time.Hour)} // the same browser
			visit.look()
			for _, a := range fullSurvey {
				visit.say(a)
			}
			check(t, b, "sudah menilai unit ini hari ini", "dibatalkan")
		})
		t.Run("not when the unit was not rated: the survey starts again", func(t *testing.T) {
			b := s.browser(standing)
			b.look()
			b.say("/batal")
			if got := b.look(); b.ended || !isFirstQuestion(got) {
				t.Errorf("ended %v, %s", b.ended, texts(got))
			}
		})
	})
}
