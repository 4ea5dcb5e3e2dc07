package bot_test

import (
	"strings"
	"testing"
	"time"

	"sukma/bot"
)

// sendNumbered delivers a text from chat on Telegram, numbered n as Telegram numbers a chat's
// messages, and dated now: the dates tell nothing here. What the bot wrote before it has been
// sent.
func (f *fixture) sendNumbered(chat, text string, n int64) string {
	f.t.Helper()
	f.deliver()
	return f.handleTelegram(bot.Inbound{ChatID: chat, Text: text, MessageID: n, Time: f.now.Truncate(time.Second)})
}

// A citizen answers their job "4" twice in a row, the second before the next question
// reaches them (within the same second: the dates cannot tell). "4" would be a valid answer
// to that question, the first element, but the second "4" is numbered right after the
// first: nothing, so not the question, came between. It is not taken, and neither is a
// third. Sent after the question, an answer is.
func TestAnAnswerSentTwiceInARowAnswersOneQuestion(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1) // greeting and question: 2, 3
		for i, a := range fullSurvey[:3] {           // gender, age, education: each after its question
			f.sendNumbered("c1", a, int64(5+2*i))
		}
		if got := f.sendNumbered("c1", "4", 11); !strings.Contains(got, "persyaratan") {
			t.Fatalf("the first 4 got %q, want the first element's question", got)
		}
		for _, n := range []int64{12, 13} {
			got := f.sendNumbered("c1", "4", n)
			if !strings.Contains(got, "sudah lewat") || !strings.Contains(got, "persyaratan") {
				t.Errorf("4 numbered %d got %q, want it refused as meant for a past question, and the question asked again", n, got)
			}
		}
		if n := f.countAnswers(); n != 4 {
			t.Fatalf("%d answers stored, want 4 (gender, age, education, job)", n)
		}
		// The question went out as 14 (and its re-asks after it): "3" is 17.
		if got := f.sendNumbered("c1", "3", 17); strings.Contains(got, "sudah lewat") || f.countAnswers() != 5 {
			t.Errorf("an answer numbered after the question got %q with %d answers stored, want it taken", got, f.countAnswers())
		}
	})
}

// A citizen presses "3" on the first element; the spinner hangs, so they type "3" as well.
// Telegram numbers the typed "3" right after the question pressed, before the next one: it
// is not taken as the next answer, which it would fit.
func TestAButtonPressedAndTypedAgainAnswersOneQuestion(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1)
		for i, a := range fullSurvey[:4] { // each answered after its question
			f.sendNumbered("c1", a, int64(4+2*i))
		}
		// The first element's question went out as 11; the citizen presses its "3".
		f.deliver()
		press := bot.Inbound{ChatID: "c1", Option: 3, Button: lastOutboxID(t, f.db, "c1"), MessageID: 11, Time: f.now.Truncate(time.Second)}
		if got := f.handleTelegram(press); !strings.Contains(got, "prosedur") {
			t.Fatalf("the press got %q, want the second element's question", got)
		}
		if got := f.sendNumbered("c1", "3", 12); !strings.Contains(got, "sudah lewat") || f.countAnswers() != 5 {
			t.Errorf("3 typed after the press got %q with %d answers stored, want it refused and 5", got, f.countAnswers())
		}
	})
}

// The same double tap, the next question still on its way (Telegram paces a chat at one
// message a second): the second "4" is turned away in a note that arrives after that
// question, and the question is not asked again. Asked again, after the citizen had answered
// it, it read as a refusal of their answer; they answered it again, and that answer went to
// the question after, held back by the rate limits: every later answer one question off.
func TestADoubleTapBeforeTheNextQuestionArrivesShiftsNoAnswer(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1)
		for i, a := range fullSurvey[:4] {
			f.sendNumbered("c1", a, int64(4+2*i))
		}
		f.sendNumbered("c1", "4", 12) // U1; U2 is on its way
		got := f.handleTelegram(bot.Inbound{ChatID: "c1", Text: "4", MessageID: 13, Time: f.now.Truncate(time.Second)})
		if !strings.Contains(got, `Pesan Anda "4" terkirim sebelum pertanyaan di atas sampai`) || strings.Contains(got, "prosedur") {
			t.Errorf("the second 4 got %q, want a note alone, not U2 again", got)
		}
		// U2 (14) and the note (15) arrive; the citizen answers U2, then each question once.
		for i, a := range fullSurvey[5:] {
			f.sendNumbered("c1", a, int64(16+2*i))
		}
		var stored string
		err := f.db.Get(&stored, `SELECT u1 || ',' || u2 || ',' || u3 || ',' || u4 || ',' || u5 || ',' || u6 || ',' || u7 || ',' || u8 || ',' || u9 || ',' || perbaikan || ',' || saran FROM responses`)
		// As a survey answered once each (engine_test): the flow asks U9 before U8.
		if want := "4,4,2,3,4,3,4,4,3,Antrean terlalu lama,Tambah loket"; err != nil || stored != want {
			t.Errorf("stored %s (%v), want %s", stored, err, want)
		}
	})
}

// "4", "/bantuan", "4", all before the next question arrives: the command between them does
// not let the copy through.
func TestACommandBetweenTwoCopiesOfAnAnswerLetsNeitherThrough(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1)
		for i, a := range fullSurvey[:5] { // the profile and U1, each after its question
			f.sendNumbered("c1", a, int64(4+2*i))
		}
		f.sendNumbered("c1", "/bantuan", 13)
		if got := f.sendNumbered("c1", "4", 14); !strings.Contains(got, "sudah lewat") || f.countAnswers() != 5 {
			t.Errorf("the copy after /bantuan got %q with %d answers stored, want it refused and 5", got, f.countAnswers())
		}
	})
}

// A message numbered before the one that led to the question (delivered late: webhook
// updates can overtake each other) was written before it: it is not taken.
func TestAnAnswerDeliveredLateIsNotTakenForTheNext(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1)
		f.sendNumbered("c1", "2", 10)
		if got := f.sendNumbered("c1", "2", 8); !strings.Contains(got, "sudah lewat") {
			t.Errorf("a message numbered before the gender answer got %q, want it refused", got)
		}
		if n := f.countAnswers(); n != 1 {
			t.Errorf("%d answers stored, want 1", n)
		}
	})
}

// Numbers only ever refuse what they prove: a gap between two messages (the question, or
// anything else between) lets the answer through; a message the platform did not number (a
// pressed button, an edit), or a question asked by one, is judged as before.
func TestNumbersRefuseOnlyWhatTheyProve(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		f.sendNumbered("c1", "/start "+f.visit(), 1)
		if got := f.sendNumbered("c1", "2", 3); strings.Contains(got, "sudah lewat") || f.countAnswers() != 1 {
			t.Fatalf("an answer with a message between got %q, want it taken", got)
		}
		if got := f.sendNumbered("c1", "35", 0); strings.Contains(got, "sudah lewat") || f.countAnswers() != 2 {
			t.Fatalf("an unnumbered answer got %q, want it taken", got)
		}
		// The education question was asked by an unnumbered message: nothing is known of its
		// number.
		if got := f.sendNumbered("c1", "3", 4); strings.Contains(got, "sudah lewat") || f.countAnswers() != 3 {
			t.Errorf("an answer to a question asked by an unnumbered message got %q, want it taken", got)
		}
	})
}
