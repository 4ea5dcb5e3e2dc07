package telegram_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A citizen whose answer got no reply while the bot was down sends it again. Both wait at
// Telegram; when the bot polls again, the first answers the question and the second, dated
// before the next question was asked, is told it was not counted: it does not answer a
// question the citizen never saw.
func TestAnAnswerSentTwiceDuringAnOutageAnswersOneQuestion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		// The survey began a minute ago: the server's clock (and Telegram's dates) read then.
		var ago atomic.Int64
		ago.Store(int64(time.Minute))
		db.Now = func() time.Time { return time.Now().Add(-time.Duration(ago.Load())) }
		dated := func(text string, ago time.Duration) map[string]any {
			u := telegramtest.TextUpdate(7, text)
			u["message"].(map[string]any)["date"] = time.Now().Add(-ago).Unix()
			return u
		}
		h := newHarness(t, db)
		stop := h.poll()
		h.say(dated("/start "+h.visit(), time.Minute))
		h.say(dated("2", time.Minute))
		stop() // the bot goes down; half a minute ago the citizen answered, and five seconds later again
		h.api.Push(dated("35", 30*time.Second))
		second := h.api.Push(dated("35", 25*time.Second))
		ago.Store(0) // now
		before := len(h.api.Sent())
		h.poll()
		h.waitFor("both answers confirmed", func() bool { return h.api.Confirmed(second) })
		h.settle()
		h.wantEducationThenNotCounted(before)
		if n := h.count("SELECT COUNT(*) FROM answers"); n != 2 {
			t.Errorf("%d answers stored, want 2 (gender, age)", n)
		}
	})
}

// Telegram holds the bot's replies back (HTTP 429, its flood limit: a busy province). A
// citizen answered their age, sees no reply, and sends it again. The second is dated after the
// education question was asked, but that question waits unsent: it is told it was not counted,
// and does not answer a question the citizen has not seen.
func TestAnAnswerSentAgainWhileTelegramHoldsTheRepliesBackAnswersOneQuestion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.say(telegramtest.TextUpdate(7, "/start "+h.visit()))
		h.say(telegramtest.TextUpdate(7, "2"))
		h.api.Fail("sendMessage", 429, 2, 1) // the next message waits two seconds
		before, calls := len(h.api.Sent()), h.api.Calls("sendMessage")
		first := h.api.Push(telegramtest.TextUpdate(7, "35"))
		h.waitFor("the education question held back", func() bool {
			return h.api.Confirmed(first) && h.api.Calls("sendMessage") > calls
		})
		second := h.api.Push(telegramtest.TextUpdate(7, "35"))
		h.waitFor("the second 35 confirmed", func() bool { return h.api.Confirmed(second) })
		h.settle()
		h.wantEducationThenNotCounted(before)
		if n := h.count("SELECT COUNT(*) FROM answers"); n != 2 {
			t.Errorf("%d answers stored, want 2 (gender, age): the second 35 answered the education question", n)
		}
	})
}

// sentSince is the texts of the messages sent since the before-th, one string.
func (h *harness) sentSince(before int) string {
	var texts []string
	for _, m := range h.api.Sent()[before:] {
		texts = append(texts, m.Text)
	}
	return strings.Join(texts, "\n---\n")
}

// wantEducationThenNotCounted checks the messages sent since the before-th: the education
// question, then that the second "35", written before it arrived, was not counted. Said
// while the question had not gone out, that is a note alone (not the question again, which
// the citizen may have answered by then); once it has (the dispatcher was quicker than the
// second "35"), the question comes again.
func (h *harness) wantEducationThenNotCounted(before int) {
	h.t.Helper()
	const education = "Pendidikan terakhir Anda?"
	note := education + "\n---\n" + `Pesan Anda "35" terkirim sebelum pertanyaan di atas sampai, jadi tidak kami catat sebagai jawabannya.`
	again := education + "\n---\n" + "Jawaban itu untuk pertanyaan yang sudah lewat, jadi tidak kami catat. Mari lanjutkan:\n---\n" + education
	if got := h.sentSince(before); got != note && got != again {
		h.t.Errorf("replies:\n%s\nwant the education question, then the second 35 not counted", got)
	}
}

// A citizen answers their job "4", and at once taps send again. Telegram numbers the second
// "4" right after the first, before the next question, though it reaches the bot only after
// that question went out, within the same second (a slow network: dates cannot tell). The
// numbers can: the second "4" does not answer the first element, which it would fit.
func TestAnAnswerSentTwiceInARowIsToldApartByItsNumber(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.say(telegramtest.TextUpdate(7, "/start "+h.visit()))
		for _, a := range []string{"2", "35", "5"} {
			h.say(telegramtest.TextUpdate(7, a))
		}
		first, second := telegramtest.TextUpdate(7, "4"), telegramtest.TextUpdate(7, "4")
		h.api.Number(first)
		h.api.Number(second)
		if got := h.say(first); len(got) == 0 || !strings.Contains(got[len(got)-1].Text, "persyaratan") {
			t.Fatalf("the first 4 got %v, want the first element's question", got)
		}
		before := len(h.api.Sent())
		h.say(second)
		if got := h.sentSince(before); !strings.Contains(got, "sudah lewat") || !strings.Contains(got, "persyaratan") {
			t.Errorf("the second 4 got:\n%s\nwant it not counted, and the first element asked again", got)
		}
		if n := h.count("SELECT COUNT(*) FROM answers"); n != 4 {
			t.Errorf("%d answers stored, want 4 (gender, age, education, job): the second 4 answered the first element", n)
		}
	})
}

// A citizen presses "3" on the first element and, the spinner hanging, types "3" too. The
// typed "3" is numbered before the next question, though it reaches the bot after it: it
// does not answer it.
func TestAButtonPressedAndTypedAgainAnswersOneQuestion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.say(telegramtest.TextUpdate(7, "/start "+h.visit()))
		var asked []telegramtest.Message
		for _, a := range []string{"2", "35", "5", "4"} {
			asked = h.say(telegramtest.TextUpdate(7, a))
		}
		u1 := asked[len(asked)-1]
		if !strings.Contains(u1.Text, "persyaratan") || len(u1.Buttons) < 3 {
			t.Fatalf("the first element's question is %+v", u1)
		}
		typed := telegramtest.TextUpdate(7, "3")
		h.api.Number(typed) // written before the next question was sent
		if got := h.say(telegramtest.ButtonUpdate(u1, u1.Buttons[2].Data)); len(got) == 0 || !strings.Contains(got[len(got)-1].Text, "prosedur") {
			t.Fatalf("the press got %v, want the second element's question", got)
		}
		before := len(h.api.Sent())
		h.say(typed)
		if got := h.sentSince(before); !strings.Contains(got, "sudah lewat") {
			t.Errorf("the typed 3 got:\n%s\nwant it not counted", got)
		}
		if n := h.count("SELECT COUNT(*) FROM answers"); n != 5 {
			t.Errorf("%d answers stored, want 5: the typed 3 answered the second element", n)
		}
	})
}
