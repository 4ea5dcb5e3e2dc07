package telegram_test

import (
	"testing"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// The toast on a spent button is in the survey's language, while it is open and right after
// it is completed; Indonesian when the chat's language is not known.
func TestAnOldButtonsNoticeIsInTheSurveysLanguage(t *testing.T) {
	cases := []struct {
		name     string
		language string // a /bahasa argument, or "" for Indonesian
		want     string
	}{
		{"an Indonesian survey", "", "Tombol ini sudah tidak berlaku"},
		{"an English survey", "en", "This button is no longer valid"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				h := newHarness(t, db)
				h.poll()
				first := lastOf(h.say(telegramtest.TextUpdate(42, "/start "+h.visit())))
				if c.language != "" {
					first = lastOf(h.say(telegramtest.TextUpdate(42, "/bahasa "+c.language)))
				}
				h.say(telegramtest.ButtonUpdate(first, first.Buttons[1].Data))
				h.say(telegramtest.ButtonUpdate(first, first.Buttons[0].Data))
				if got := lastAnswer(h.api.Answers()); got != c.want {
					t.Errorf("a second press during the survey was answered %q, want %q", got, c.want)
				}
				for _, a := range fullSurvey[1:] {
					h.say(telegramtest.TextUpdate(42, a))
				}
				h.say(telegramtest.ButtonUpdate(first, first.Buttons[0].Data))
				if got := lastAnswer(h.api.Answers()); got != c.want {
					t.Errorf("a press after the survey was answered %q, want %q", got, c.want)
				}
			})
		})
	}
}
