package telegram_test

import (
	"strings"
	"testing"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// An edit is not read: the citizen, who believes it corrected an answer, hears plainly that it
// did not and how to change one, in the survey's language, however long ago the message was
// first sent.
func TestAnEditedMessageIsSaidToBeUnread(t *testing.T) {
	cases := []struct {
		name     string
		language string // a /bahasa argument, or "" for Indonesian
		sent     int64  // seconds before the edit
		want     string
	}{
		{"an edit of an answer just sent", "", 0, "Pesan yang diedit tidak kami baca"},
		{"an edit of an answer sent an hour ago", "", 3600, "Pesan yang diedit tidak kami baca"},
		{"an edit in an English survey", "en", 60, "An edited message is not read"},
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
				first := telegramtest.TextUpdate(42, "2")
				asked := lastOf(h.say(first))
				id := first["message"].(map[string]any)["message_id"].(int)
				got := h.say(telegramtest.EditedUpdate(42, id, "1", c.sent))
				if len(got) != 1 || !strings.HasPrefix(got[0].Text, c.want) || !strings.Contains(got[0].Text, "/") ||
					!strings.HasSuffix(got[0].Text, "\n\n"+asked.Text) {
					t.Fatalf("the edit got %+v, want %q, how to start over, and the open question again", got, c.want)
				}
				var n int
				if err := db.Get(&n, "SELECT COUNT(*) FROM answers"); err != nil || n != 1 {
					t.Errorf("%d answers (%v), want the first one alone", n, err)
				}
			})
		})
	}
}
