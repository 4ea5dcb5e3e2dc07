package storage_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// openSessions opens an active session in each Telegram chat, and returns them by chat.
func openSessions(t *testing.T, db *storage.DB, chats ...string) map[string]storage.Session {
	t.Helper()
	unit := newUnit(t, db, "BATCH")
	if _, err := db.PublishFlow(context.Background(), "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	out := map[string]storage.Session{}
	err := db.InTx(context.Background(), func(tx *storage.Tx) error {
		for _, c := range chats {
			rid, err := tx.Respondent("batch-"+c, 1000)
			if err != nil {
				return err
			}
			s := storage.Session{Channel: "telegram", ChatID: c, RespondentID: rid, UnitID: unit.ID,
				FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: 1000, UpdatedAt: 1000, ExpiresAt: 1e12}
			if s.ID, err = tx.CreateSession(s); err != nil {
				return err
			}
			s.State = storage.SessionActive
			out[c] = s
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func chat(id string) storage.ChatRef { return storage.ChatRef{Channel: "telegram", ChatID: id} }

func event(id string) storage.InboundEvent {
	return storage.InboundEvent{Channel: "telegram", EventID: id, At: 2000}
}

// answersOf reads a session's answers outside any batch.
func answersOf(t *testing.T, db *storage.DB, id int64) map[string]string {
	t.Helper()
	var got map[string]string
	if err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		got, err = tx.Answers(id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWriteBatchKeepsTheStepsWritesUntilFlush(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b")
		// A body with everything an array literal or JSON must escape.
		body := `{"text":"Apa \"kata\" Anda?\\n✓ {a,b} NULL"}`
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			w := tx.Batch()
			first, err := w.RecordEvents([]storage.InboundEvent{event("e1"), event("e2"), event("e1")})
			if err != nil {
				return err
			}
			if !slices.Equal(first, []bool{true, true, false}) {
				t.Errorf("RecordEvents = %v, want the second copy of e1 seen", first)
			}
			if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b"), chat("c"), chat("a")}); err != nil {
				return err
			}

			w.BeginStep(chat("a"), event("e1"))
			s, err := tx.ActiveSession("telegram", "a")
			if err != nil || s != sess["a"] {
				t.Fatalf("ActiveSession(a) = %+v, %v; want %+v", s, err, sess["a"])
			}
			s.Position, s.UpdatedAt = 1, 2000
			for _, e := range []error{tx.SaveAnswer(s.ID, "u1", "4", 2000), tx.UpdateSession(s),
				tx.Enqueue("telegram", "a", body, 2000, false)} {
				if e != nil {
					return e
				}
			}
			if err := w.EndStep(true); err != nil {
				return err
			}

			// b's step fails: what it kept goes, and its event is forgotten.
			w.BeginStep(chat("b"), event("e2"))
			if err := tx.SaveAnswer(sess["b"].ID, "u1", "1", 2000); err != nil {
				return err
			}
			if err := tx.Enqueue("telegram", "b", `{"text":"never"}`, 2000, false); err != nil {
				return err
			}
			if err := w.EndStep(false); err != nil {
				return err
			}

			w.BeginStep(chat("c"), storage.InboundEvent{})
			if _, err := tx.ActiveSession("telegram", "c"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("ActiveSession(c) = %v, want ErrNotFound", err)
			}
			if err := w.EndStep(true); err != nil {
				return err
			}

			// a's second step sees its first: the question moved on; then it skips u1 again
			// and answers u2.
			w.BeginStep(chat("a"), storage.InboundEvent{})
			if s, err = tx.ActiveSession("telegram", "a"); err != nil || s.Position != 1 {
				t.Errorf("second step of a: position %d, %v; want 1", s.Position, err)
			}
			if err := tx.DeleteAnswer(s.ID, "u1"); err != nil {
				return err
			}
			if err := tx.SaveAnswer(s.ID, "u2", "3", 2001); err != nil {
				return err
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			return w.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := answersOf(t, db, sess["a"].ID); !maps.Equal(got, map[string]string{"u2": "3"}) {
			t.Errorf("answers of a = %v, want u2 only", got)
		}
		if got := answersOf(t, db, sess["b"].ID); len(got) != 0 {
			t.Errorf("answers of the failed step = %v", got)
		}
		if got, err := db.Transcript(ctx, "telegram", "a"); err != nil || !slices.Equal(got, []string{body}) {
			t.Errorf("transcript of a = %q, %v; want the body exactly", got, err)
		}
		if got, _ := db.Transcript(ctx, "telegram", "b"); len(got) != 0 {
			t.Errorf("transcript of b = %q, want nothing", got)
		}
		// The failed step's event was forgotten, so that its redelivery runs; e1 stays.
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			first, err := tx.Batch().RecordEvents([]storage.InboundEvent{event("e1"), event("e2")})
			if err == nil && !slices.Equal(first, []bool{false, true}) {
				t.Errorf("events again: %v, want e1 seen and e2 new", first)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestWriteBatchDirectStepSeesEarlierStepsAndFailsAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b", "c", "e")
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			w := tx.Batch()
			if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b"), chat("c"), chat("d"), chat("e")}); err != nil {
				return err
			}
			w.BeginStep(chat("a"), storage.InboundEvent{})
			if err := tx.SaveAnswer(sess["a"].ID, "u1", "4", 2000); err != nil {
				return err
			}
			if err := w.EndStep(true); err != nil {
				return err
			}

			// b reads a's answers directly: a's kept write is there. Then it writes and fails.
			w.BeginStep(chat("b"), storage.InboundEvent{})
			if err := tx.SaveAnswer(sess["b"].ID, "u1", "2", 2000); err != nil {
				return err
			}
			got, err := tx.Answers(sess["a"].ID)
			if err != nil {
				return err
			}
			if !maps.Equal(got, map[string]string{"u1": "4"}) {
				t.Errorf("a direct step read %v, want a's kept answer", got)
			}
			if err := tx.SaveAnswer(sess["b"].ID, "u2", "2", 2000); err != nil {
				return err
			}
			if err := tx.Enqueue("telegram", "b", `{"text":"never"}`, 2000, false); err != nil {
				return err
			}
			if err := w.EndStep(false); err != nil {
				return err
			}

			// c runs directly (a statement on no table the batch keeps) and succeeds.
			w.BeginStep(chat("c"), storage.InboundEvent{})
			if _, err := tx.Respondent("batch-c2", 2000); err != nil {
				return err
			}
			if err := tx.SaveAnswer(sess["c"].ID, "u1", "3", 2000); err != nil {
				return err
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			// d takes e's session over (the same link opened in another browser); e's step,
			// after it, no longer finds it.
			w.BeginStep(chat("d"), storage.InboundEvent{})
			if err := tx.MoveSession(sess["e"].ID, "d", 2000); err != nil {
				return err
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			w.BeginStep(chat("e"), storage.InboundEvent{})
			if _, err := tx.ActiveSession("telegram", "e"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("the moved session is still found in its old chat: %v", err)
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			return w.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		for c, want := range map[string]map[string]string{"a": {"u1": "4"}, "b": {}, "c": {"u1": "3"}} {
			if got := answersOf(t, db, sess[c].ID); !maps.Equal(got, want) {
				t.Errorf("answers of %s = %v, want %v", c, got, want)
			}
		}
		if got, _ := db.Transcript(ctx, "telegram", "b"); len(got) != 0 {
			t.Errorf("the failed direct step's message was kept: %q", got)
		}
	})
}

// aAnsweredFirst begins a batch on chats a and b whose first step, a's, keeps an answer (u1 4).
func aAnsweredFirst(tx *storage.Tx, sess map[string]storage.Session) (*storage.WriteBatch, error) {
	w := tx.Batch()
	if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b")}); err != nil {
		return nil, err
	}
	w.BeginStep(chat("a"), storage.InboundEvent{})
	if err := tx.SaveAnswer(sess["a"].ID, "u1", "4", 2000); err != nil {
		return nil, err
	}
	return w, w.EndStep(true)
}

// bRunsDirectly follows aAnsweredFirst with b's step, which runs a statement of its own on no
// table the batch keeps (a respondent's upsert, as the start of a survey does).
func bRunsDirectly(tx *storage.Tx, sess map[string]storage.Session) (*storage.WriteBatch, error) {
	w, err := aAnsweredFirst(tx, sess)
	if err != nil {
		return nil, err
	}
	w.BeginStep(chat("b"), storage.InboundEvent{})
	_, err = tx.Respondent("batch-b2", 2000)
	return w, err
}

// A direct step whose statement sees none of the other steps' writes leaves them kept; when it
// then reads another's session, they are written inside its savepoint, and kept again if it
// fails.
func TestWriteBatchFailingDirectStepKeepsTheOtherStepsWrites(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b")
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			w, err := bRunsDirectly(tx, sess)
			if err != nil {
				return err
			}
			got, err := tx.Answers(sess["a"].ID)
			if err != nil {
				return err
			}
			if !maps.Equal(got, map[string]string{"u1": "4"}) {
				t.Errorf("b read a's answers as %v, want a's kept one", got)
			}
			if err := w.EndStep(false); err != nil {
				return err
			}
			return w.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := answersOf(t, db, sess["a"].ID); !maps.Equal(got, map[string]string{"u1": "4"}) {
			t.Errorf("answers of a = %v after b failed, want u1", got)
		}
	})
}

// A step that runs directly but writes only its own session (the start of a survey updates
// the session it opened) leaves the other steps' writes kept until the flush: one statement
// of each kind for the batch, not one more for each such step.
func TestWriteBatchDirectUpdateOfItsOwnSessionLeavesTheOthersKept(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b")
		stored := func(tx *storage.Tx) int {
			t.Helper()
			var n int
			if err := tx.Get(&n, tx.Rebind("SELECT COUNT(*) FROM answers WHERE session_id = ?"), sess["a"].ID); err != nil {
				t.Fatal(err)
			}
			return n
		}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			// b runs a statement of its own, then updates its session.
			w, err := bRunsDirectly(tx, sess)
			if err != nil {
				return err
			}
			s := sess["b"]
			s.Position, s.UpdatedAt = 3, 2000
			if err := tx.UpdateSession(s); err != nil {
				return err
			}
			if n := stored(tx); n != 0 {
				t.Errorf("after b's direct update of its own session, a's kept answer is written (%d rows), want it kept", n)
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			if n := stored(tx); n != 1 {
				t.Errorf("after the flush a has %d answers stored, want 1", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var pos int
		if err := db.Get(&pos, db.Rebind("SELECT position FROM sessions WHERE id = ?"), sess["b"].ID); err != nil || pos != 3 {
			t.Errorf("b's position = %d (%v), want 3", pos, err)
		}
	})
}

// A skip is one row of a batch statement, or the statement for one skip when it is the
// batch's only one: either way the skipped answers go and the others stay.
func TestWriteBatchForgetsTheSkippedAnswersOfOneChatOrOfMany(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b", "c")
		for _, s := range sess {
			if err := db.InTx(ctx, func(tx *storage.Tx) error {
				for _, q := range []string{"u1", "u2"} {
					if err := tx.SaveAnswer(s.ID, q, "4", 1500); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		skip := func(chats ...string) {
			t.Helper()
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				w := tx.Batch()
				refs := make([]storage.ChatRef, len(chats))
				for i, c := range chats {
					refs[i] = chat(c)
				}
				if err := w.LockSessions(refs); err != nil {
					return err
				}
				for _, c := range chats {
					w.BeginStep(chat(c), storage.InboundEvent{})
					if err := tx.DeleteAnswer(sess[c].ID, "u1"); err != nil {
						return err
					}
					if err := w.EndStep(true); err != nil {
						return err
					}
				}
				return w.Flush()
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		skip("a")      // one skip
		skip("b", "c") // two in one statement
		for _, c := range []string{"a", "b", "c"} {
			if got := answersOf(t, db, sess[c].ID); !maps.Equal(got, map[string]string{"u2": "4"}) {
				t.Errorf("answers of %s = %v, want u2 only", c, got)
			}
		}
	})
}
