package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Once a chat is over, its answers say "ended": the page then takes no more answers. It is
// over when a message would only hear why no survey starts; not after /batal, nor after a
// survey that ran out of time unanswered, where a message starts the survey again. Opening
// the page again says the same.
func TestTheWebChatSaysWhenItIsOver(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		sweep := func(t *testing.T) {
			if _, err := s.e.SweepExpired(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		standing, err := s.db.EnsureStandingToken(context.Background(), s.unitID, func() string { return "standing-demo" })
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			do    func(t *testing.T, b *browser) // from a page opened on b's link, to the answer checked
			link  func() string                  // b's link; a visit valid for a week if nil
			ended bool
			last  string // in the text of the last reply of the look after it
		}{
			{"the thanks ends it", func(t *testing.T, b *browser) {
				for i, a := range fullSurvey {
					if b.say(a); b.ended != (i == len(fullSurvey)-1) {
						t.Fatalf("answer %d of %d: ended %v", i+1, len(fullSurvey), b.ended)
					}
				}
			}, nil, true, "tercatat"},
			{"a survey closed unfinished by a message out of time ends it", func(t *testing.T, b *browser) {
				b.say("1")
				b.say("40")
				s.now = s.now.Add(25 * time.Hour)
				b.say("3")
			}, nil, true, expiredText},
			{"a survey the sweeper closed unfinished ends it, on the page opened after", func(t *testing.T, b *browser) {
				b.say("1")
				s.now = s.now.Add(25 * time.Hour)
				sweep(t)
				b.look()
			}, nil, true, expiredText},
			{"a survey that ran out of time unanswered does not: a message starts it again", func(t *testing.T, b *browser) {
				s.now = s.now.Add(25 * time.Hour)
				b.say("1")
			}, nil, false, firstQuestion},
			{"/batal does not: a message starts the survey again", func(t *testing.T, b *browser) {
				b.say("1")
				b.say("/batal")
			}, nil, false, firstQuestion},
			{"a visit already rated in another browser ends it", func(t *testing.T, b *browser) {
				other := s.browser(b.token)
				other.look()
				for _, a := range fullSurvey {
					other.say(a)
				}
				b.say("1")
			}, nil, true, "sudah dinilai"},
			{"a link that expired ends it", func(t *testing.T, b *browser) {
				b.say("/batal")
				s.now = s.now.Add(8 * 24 * time.Hour)
				b.say("1")
			}, nil, true, "kedaluwarsa"},
			{"an unknown link ends it", func(t *testing.T, b *browser) {}, func() string { return "nosuchlink" }, true, "tidak dikenal"},
			{"a standing link's thanks ends it for the day", func(t *testing.T, b *browser) {
				for _, a := range fullSurvey {
					b.say(a)
				}
			}, func() string { return standing }, true, "hari ini"}, // the thanks, and opened again why
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				token := s.visit(7 * 24 * time.Hour)
				if tt.link != nil {
					token = tt.link()
				}
				b := s.browser(token)
				if b.look(); b.ended != (tt.link != nil && !strings.HasPrefix(token, "standing")) {
					t.Fatalf("the page opened: ended %v", b.ended)
				}
				tt.do(t, b)
				if b.ended != tt.ended {
					t.Errorf("ended %v, want %v", b.ended, tt.ended)
				}
				got := b.look()
				if b.ended != tt.ended || !strings.Contains(last(got).Text, tt.last) {
					t.Errorf("the page opened again: ended %v, last %q; want %v after %q", b.ended, last(got).Text, tt.ended, tt.last)
				}
			})
		}
		t.Run("the next day a standing link starts a survey again", func(t *testing.T) {
			s.now = s.now.Add(24 * time.Hour)
			b := s.browser(standing)
			if got := b.look(); b.ended || !isFirstQuestion(got) {
				t.Errorf("ended %v, last %q", b.ended, last(got).Text)
			}
		})
	})
}
