package telegram_test

import (
	"strings"
	"testing"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// Right after the thank-you, a "makasih" or the last answer sent twice is about the survey just
// finished: it hears, in that survey's language, that the answers are recorded, not the help
// on how to start a survey, which reads as if they had not counted.
func TestAMessageSoonAfterTheSurveyHearsItIsRecorded(t *testing.T) {
	cases := []struct {
		name     string
		language string // a /bahasa argument, or "" for Indonesian
		later    string // the message after the thank-you
		ago      int    // minutes since the survey was completed
		want     string
	}{
		{"a thank-you right after the survey", "", "makasih", 0, "jawaban Anda sudah tercatat"},
		{"the last answer sent twice", "", fullSurvey[len(fullSurvey)-1], 1, "jawaban Anda sudah tercatat"},
		{"a thank-you after an English survey", "en", "thank you", 5, "your answers are recorded"},
		{"a message the next day gets the help", "", "halo", 24 * 60, "pindai kode QR"},
		{"a message after an English survey two hours ago gets the help", "en", "thank you", 120, "pindai kode QR"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				h := newHarness(t, db)
				h.poll()
				h.say(telegramtest.TextUpdate(42, "/start "+h.visit()))
				if c.language != "" {
					h.say(telegramtest.TextUpdate(42, "/bahasa "+c.language))
				}
				for _, a := range fullSurvey {
					h.say(telegramtest.TextUpdate(42, a))
				}
				if _, err := db.Exec(db.Rebind("UPDATE outbox SET created_at = created_at - ?"), int64(c.ago)*60_000); err != nil {
					t.Fatal(err)
				}
				got := h.say(telegramtest.TextUpdate(42, c.later))
				if len(got) != 1 || !strings.Contains(got[0].Text, c.want) {
					t.Fatalf("%q got %+v, want one message with %q", c.later, got, c.want)
				}
				if c.ago < 60 {
					again := h.say(telegramtest.TextUpdate(42, c.later))
					if len(again) != 1 || again[0].Text != got[0].Text {
						t.Errorf("a second %q got %+v, want the same", c.later, again)
					}
				}
			})
		})
	}
}
