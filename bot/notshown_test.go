package bot_test

import (
	"context"
	"strings"
	"sukma/storage"
	"testing"
	"time"
)

// Telegram holds the bot's replies back (a busy province: the flood limit) or is down. A
// citizen who answered the education question sees no reply and, five seconds later, sends
// "3" again. Its date is after the next question was asked, but that question waits unsent:
// the citizen has not seen it, and "3" is not taken as its answer.
func TestAnAnswerSentAgainBeforeTheNextQuestionArrivesIsNotTakenForIt(t *testing.T) {
	eachEngine(t, func(t *testing.T, f *fixture) {
		say := func(text string, delivered bool) string {
			f.now = f.now.Add(5 * time.Second) // written well after the last question was asked
			if delivered {
				return f.sendDated("c1", text, f.now)
			}
			return f.sendDatedUndelivered("c1", text, f.now)
		}
		say("/start "+f.visit(), true)
		say("2", true)
		say("35", true)
		if got := say("3", true); !strings.Contains(got, "pekerjaan") {
			t.Fatalf("the education answer got %q, want the occupation question", got)
		}
		// The occupation question waits unsent; the citizen sends their "3" again. It is turned
		// away with a note, which arrives after the question, and the question is not asked
		// again: a second asking after the citizen answered the first would read as a refusal.
		if got := say("3", false); got != `Pesan Anda "3" terkirim sebelum pertanyaan di atas sampai, jadi tidak kami catat sebagai jawabannya.` {
			t.Errorf("a 3 sent again before the occupation question arrived got %q, want it turned away in a note alone", got)
		}
		if n := f.countAnswers(); n != 3 {
			t.Errorf("%d answers stored, want 3: the 3 sent again answered the occupation question", n)
		}
		// Delivered now; the citizen answers it.
		if got := say("4", true); !strings.Contains(got, "persyaratan") {
			t.Errorf("the occupation answer got %q, want the first element", got)
		}

		// A citizen who saw a question, wrote something else and then the answer before the
		// re-prompt arrived, answered the question they saw: the re-prompt waiting is not it.
		say("x", true) // U1 re-prompted: not an option
		if got := say("3", false); strings.Contains(got, "sudah lewat") || !strings.Contains(got, "prosedur") {
			t.Errorf("an answer sent before the re-prompt arrived got %q, want it taken", got)
		}
		if n := f.countAnswers(); n != 5 {
			t.Errorf("%d answers stored, want 5", n)
		}

		// A question being sent now (claimed by a sender) is taken as shown: its answer may
		// come before the sender has recorded it sent.
		if _, err := f.db.Exec(f.db.Rebind("UPDATE outbox SET claimed_until = ? WHERE sent_at IS NULL"), f.now.Add(time.Minute).UnixMilli()); err != nil {
			t.Fatal(err)
		}
		if got := say("4", false); strings.Contains(got, "sudah lewat") || !strings.Contains(got, "waktu pelayanan") {
			t.Errorf("an answer to a question being sent got %q, want it taken", got)
		}

		// One its sender claimed but holds back for the rate limits is not being sent yet: the
		// citizen has not seen it.
		var id int64
		if err := f.db.Get(&id, "SELECT MAX(id) FROM outbox"); err != nil {
			t.Fatal(err)
		}
		claim := storage.OutboxMessage{ID: id, ClaimedUntil: f.now.Add(time.Minute).UnixMilli()}
		if _, err := f.db.Exec(f.db.Rebind("UPDATE outbox SET claimed_until = ? WHERE id = ?"), claim.ClaimedUntil, id); err != nil {
			t.Fatal(err)
		}
		if err := f.db.DelayOutbox(context.Background(), claim, f.now.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if got := say("4", false); !strings.Contains(got, "sebelum pertanyaan di atas") || f.countAnswers() != 6 {
			t.Errorf("an answer to a question held back for the rate limits got %q with %d answers stored, want it turned away and 6", got, f.countAnswers())
		}
	})
}
