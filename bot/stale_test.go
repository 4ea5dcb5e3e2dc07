package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// sendDated delivers a text from chat on Telegram, dated by Telegram (in whole seconds) at
// written, and returns the replies' texts in one string. What the bot wrote before it has been
// sent, as the dispatcher sends it at once when Telegram takes it.
func (f *fixture) sendDated(chat, text string, written time.Time) string {
	f.t.Helper()
	f.deliver()
	return f.sendDatedUndelivered(chat, text, written)
}

// deliver marks every message the bot wrote as sent.
func (f *fixture) deliver() {
	f.t.Helper()
	if _, err := f.db.Exec(f.db.Rebind("UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL"), f.now.UnixMilli()); err != nil {
		f.t.Fatal(err)
	}
}

// sendDatedUndelivered is sendDated while the bot's messages wait unsent: Telegram is down,
// or holds them back.
func (f *fixture) sendDatedUndelivered(chat, text string, written time.Time) string {
	f.t.Helper()
	return f.handleTelegram(bot.Inbound{ChatID: chat, Text: text, Time: written.Truncate(time.Second)})
}

// handleTelegram hands in to the engine as a message of in.ChatID on Telegram, and returns the
// replies' texts in one string.
func (f *fixture) handleTelegram(in bot.Inbound) string {
	f.t.Helper()
	f.n++
	in.Channel, in.UserID, in.EventID = bot.ChannelTelegram, "u"+in.ChatID, fmt.Sprint(f.n)
	replies, err := f.e.Handle(context.Background(), in)
	if err != nil {
		f.t.Fatalf("Handle(%q): %v", in.Text, err)
	}
	var texts []string
	for _, r := range replies {
		texts = append(texts, r.Text)
	}
	return strings.Join(texts, "\n")
}

func (f *fixture) countAnswers() int {
	f.t.Helper()
	var n int
	if err := f.db.Get(&n, "SELECT COUNT(*) FROM answers"); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// eachEngine runs fn with the engine as it runs one step at a time and as it commits many
// together.
func eachEngine(t *testing.T, fn func(t *testing.T, f *fixture)) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, batch := range []int{0, 8} {
			t.Run(fmt.Sprint("batch", batch), func(t *testing.T) {
				f := newFixture(t, freshDB(t, db))
				f.e.Batch = bot.Batching{Max: batch, Workers: 2}
				fn(t, f)
			})
		}
	})
}

// A citizen who got no reply (the bot was down) sends their answer again. Back up, the bot
// reads both: the first answers the question, and the second, written before the next
// question was asked, is not taken as its answer.
func TestAnAnswerSentAgainWhileTheBotWasDownIsNotTakenForTheNext(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		t0 := f.now
		f.sendDated("c1", "/start "+f.visit(), t0.Add(-300*time.Millisecond))
		f.now = t0.Add(10 * time.Second)
		f.sendDated("c1", "2", f.now.Add(-200*time.Millisecond)) // jenis kelamin
		// Down from t0+15s to t0+60s; the citizen answered their age at t0+20s and again at t0+25s.
		f.now = t0.Add(60 * time.Second)
		if got := f.sendDated("c1", "35", t0.Add(20*time.Second)); !strings.Contains(got, "Pendidikan") {
			t.Fatalf("the first 35 got %q, want the education question", got)
		}
		got := f.sendDated("c1", "35", t0.Add(25*time.Second))
		if !strings.Contains(got, "sudah lewat") || !strings.Contains(got, "Pendidikan") {
			t.Errorf("the second 35 got %q, want it refused as meant for a past question, and the question asked again", got)
		}
		if n := f.countAnswers(); n != 2 {
			t.Errorf("%d answers stored, want 2 (gender and age)", n)
		}
		// Read now, the question is answered.
		f.now = t0.Add(70 * time.Second)
		if got := f.sendDated("c1", "5", f.now.Add(-time.Second)); strings.Contains(got, "sudah lewat") || f.countAnswers() != 3 {
			t.Errorf("an answer written after the question got %q with %d answers stored, want it taken", got, f.countAnswers())
		}
	})
}

// A correction typed while the bot was down, after a wrong answer, is meant for the question
// still asked: it is taken.
func TestACorrectionSentWhileTheBotWasDownIsTaken(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		t0 := f.now
		f.sendDated("c1", "/start "+f.visit(), t0)
		f.now = t0.Add(60 * time.Second)
		if got := f.sendDated("c1", "tiga", t0.Add(20*time.Second)); !strings.Contains(got, "Jenis kelamin") {
			t.Fatalf("a wrong answer got %q, want the question again", got)
		}
		if got := f.sendDated("c1", "2", t0.Add(25*time.Second)); strings.Contains(got, "sudah lewat") || f.countAnswers() != 1 {
			t.Errorf("the correction got %q with %d answers stored, want it taken", got, f.countAnswers())
		}
	})
}

// The server's clock may be minutes off the platform's: its dates are then all "old" (or
// all in the future), and not one answer is refused for it.
func TestASkewedServerClockRefusesNoAnswer(t *testing.T) {
	for _, skew := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		t.Run(fmt.Sprint(skew), func(t *testing.T) {
			eachEngine(t, func(t *testing.T, f *fixture) {
				written := func() time.Time { return f.now.Add(-skew - 300*time.Millisecond) }
				f.sendDated("c1", "/start "+f.visit(), written())
				for i, a := range fullSurvey {
					f.now = f.now.Add(time.Duration(2+i%3) * time.Second) // the citizen reads, then answers
					if got := f.sendDated("c1", a, written()); strings.Contains(got, "sudah lewat") {
						t.Fatalf("answer %d (%q) got %q", i+1, a, got)
					}
				}
				if n := f.countResponses(storage.ResponseComplete); n != 1 {
					t.Errorf("%d complete responses, want 1", n)
				}
			})
		})
	}
}

// The same skewed server, and the bot down for a while: the second "35" is still told apart,
// by the lead of the server's clock the session has seen.
func TestAnAnswerSentAgainIsToldApartOnASkewedServer(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		skew := 10 * time.Minute // the server's clock is ahead
		t0 := f.now
		platform := func(d time.Duration) time.Time { return t0.Add(-skew + d) }
		f.sendDated("c1", "/start "+f.visit(), platform(-300*time.Millisecond))
		f.now = t0.Add(10 * time.Second)
		f.sendDated("c1", "2", platform(9*time.Second+800*time.Millisecond))
		f.now = t0.Add(60 * time.Second)
		f.sendDated("c1", "35", platform(20*time.Second))
		if got := f.sendDated("c1", "35", platform(25*time.Second)); !strings.Contains(got, "sudah lewat") {
			t.Errorf("the second 35 got %q, want it refused", got)
		}
		if n := f.countAnswers(); n != 2 {
			t.Errorf("%d answers stored, want 2", n)
		}
	})
}
