package telegram_test

import (
	"strings"
	"testing"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A swipe-to-reply names the message replied to: one to an earlier question means to change
// that answer, and stored it would answer the question now asked, unseen.
func TestAReplyToAnEarlierQuestionIsNotTakenAsTheCurrentAnswer(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.say(telegramtest.TextUpdate(42, "/start "+h.visit()))
		age := lastOf(h.say(telegramtest.TextUpdate(42, "2")))        // asks the age
		schooling := lastOf(h.say(telegramtest.TextUpdate(42, "35"))) // asks the schooling
		answer := func(id string) string {
			var v []string
			if err := db.Select(&v, "SELECT value FROM answers WHERE question_id = '"+id+"'"); err != nil {
				t.Fatal(err)
			}
			return strings.Join(v, ",")
		}

		t.Run("a reply to the earlier question is refused, and the question still open asked again", func(t *testing.T) {
			got := h.say(telegramtest.ReplyUpdate(42, "4", age))
			if len(got) != 1 || !strings.Contains(got[0].Text, "membalas pertanyaan sebelumnya") ||
				!strings.Contains(got[0].Text, "/ulang") || !strings.HasSuffix(got[0].Text, "\n\n"+schooling.Text) {
				t.Fatalf("a reply to the age question got %+v, want a note and the schooling question again", got)
			}
			if a := answer("pendidikan"); a != "" {
				t.Errorf("the reply was stored as the schooling %q", a)
			}
			if a := answer("usia"); a != "35" {
				t.Errorf("the age is %q, want 35 as answered", a)
			}
		})
		t.Run("a reply to the question now asked is its answer", func(t *testing.T) {
			got := h.say(telegramtest.ReplyUpdate(42, "4", schooling))
			if a := answer("pendidikan"); a == "" || len(got) != 1 || got[0].Text == schooling.Text {
				t.Fatalf("a reply to the schooling question got %+v and stored %q, want it stored and the next question", got, a)
			}
		})
		t.Run("a reply to the citizen's own message is an answer", func(t *testing.T) {
			own := telegramtest.TextUpdate(42, "halo")
			h.say(own) // a re-prompt of the job question
			n := own["message"].(map[string]any)["message_id"].(int)
			reply := telegramtest.TextUpdate(42, "4")
			reply["message"].(map[string]any)["reply_to_message"] = map[string]any{"message_id": n, "date": 1,
				"from": map[string]any{"id": 42, "is_bot": false, "first_name": "Warga"}, "chat": map[string]any{"id": 42, "type": "private"}, "text": "halo"}
			h.say(reply)
			if a := answer("pekerjaan"); a == "" {
				t.Errorf("a reply to the citizen's own message was not stored as the answer")
			}
		})
	})
}
