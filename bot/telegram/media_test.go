package telegram_test

import (
	"strings"
	"testing"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A photo's caption is what the citizen wrote; the photo itself is not read, and one without a
// caption, like a sticker or a voice note, is told that only text or a button is.
func TestAPhotosCaptionIsReadAsItsText(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.say(telegramtest.TextUpdate(42, "/start "+h.visit()))
		t.Run("a photo without a caption at a question with buttons says only text or a button is read", func(t *testing.T) {
			asked := lastOf(h.api.Sent())
			got := h.say(telegramtest.PhotoUpdate(42, ""))
			if len(got) != 1 || !strings.HasPrefix(got[0].Text, "Foto, stiker, pesan suara, dan berkas tidak dapat kami baca") ||
				!strings.HasSuffix(got[0].Text, "\n\n"+asked.Text) {
				t.Fatalf("a photo got %+v, want the question again, saying only text or a button is read", got)
			}
		})
		var open telegramtest.Message // what should be improved (perbaikan), a free-text question
		for _, a := range fullSurvey[:13] {
			open = lastOf(h.say(telegramtest.TextUpdate(42, a)))
		}
		t.Run("a sticker at a text question says only text is read", func(t *testing.T) {
			got := h.say(telegramtest.StickerUpdate(42))
			if len(got) != 1 || !strings.Contains(got[0].Text, "tidak dapat kami baca") || !strings.HasSuffix(got[0].Text, "\n\n"+open.Text) {
				t.Fatalf("a sticker got %+v, want a re-prompt saying only text is read", got)
			}
		})
		t.Run("a photo with a caption answers with the caption", func(t *testing.T) {
			got := h.say(telegramtest.PhotoUpdate(42, "Ruang tunggu panas, AC mati"))
			var stored []string
			if err := db.Select(&stored, "SELECT value FROM answers WHERE question_id = 'perbaikan'"); err != nil {
				t.Fatal(err)
			}
			if len(stored) != 1 || stored[0] != "Ruang tunggu panas, AC mati" || len(got) != 1 || got[0].Text == open.Text {
				t.Errorf("the captioned photo got %+v and stored %q, want the caption stored and the next question", got, stored)
			}
		})
	})
}
