package storage_test

import (
	"context"
	"maps"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A step that reads its own session's answers (a question asked only after a condition, the
// answers read back before the response is stored) sees its kept answers and skips over the
// stored ones, in the order it made them, and goes on keeping its writes: nothing is written
// until the flush, and a failed step leaves nothing behind.
func TestAStepReadsItsOwnAnswersWithItsKeptWritesOverThem(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		sess := openSessions(t, db, "a", "b")
		for _, s := range sess {
			if err := db.InTx(ctx, func(tx *storage.Tx) error {
				for q, v := range map[string]string{"u1": "1", "u2": "2"} {
					if err := tx.SaveAnswer(s.ID, q, v, 1500); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		stored := func(tx *storage.Tx, id int64) map[string]string {
			t.Helper()
			var rows []struct {
				Q string `db:"question_id"`
				V string `db:"value"`
			}
			if err := tx.Select(&rows, tx.Rebind("SELECT question_id, value FROM answers WHERE session_id = ?"), id); err != nil {
				t.Fatal(err)
			}
			m := map[string]string{}
			for _, r := range rows {
				m[r.Q] = r.V
			}
			return m
		}
		before := map[string]string{"u1": "1", "u2": "2"}
		want := map[string]string{"u2": "3", "u3": "4"}
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			w := tx.Batch()
			if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b")}); err != nil {
				return err
			}
			w.BeginStep(chat("a"), storage.InboundEvent{})
			id := sess["a"].ID
			for _, e := range []error{tx.SaveAnswer(id, "u3", "1", 2000), tx.DeleteAnswer(id, "u1"),
				tx.SaveAnswer(id, "u2", "3", 2000), tx.SaveAnswer(id, "u3", "4", 2000)} {
				if e != nil {
					return e
				}
			}
			got, err := tx.Answers(id)
			if err != nil {
				return err
			}
			if !maps.Equal(got, want) {
				t.Errorf("a's step read its answers as %v, want %v", got, want)
			}
			s := sess["a"]
			s.Position, s.UpdatedAt = 4, 2000
			if err := tx.UpdateSession(s); err != nil {
				return err
			}
			if got := stored(tx, id); !maps.Equal(got, before) {
				t.Errorf("after a's read, its stored answers are %v, want %v: its writes still kept", got, before)
			}
			if err := w.EndStep(true); err != nil {
				return err
			}

			// b reads its answers, then fails: nothing of it stays.
			w.BeginStep(chat("b"), storage.InboundEvent{})
			if err := tx.SaveAnswer(sess["b"].ID, "u5", "2", 2000); err != nil {
				return err
			}
			if got, err := tx.Answers(sess["b"].ID); err != nil || got["u5"] != "2" {
				t.Errorf("b's step read its answers as %v (%v), want its kept u5", got, err)
			}
			if err := w.EndStep(false); err != nil {
				return err
			}
			return w.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := answersOf(t, db, sess["a"].ID); !maps.Equal(got, want) {
			t.Errorf("a's answers after the batch = %v, want %v, as its step read them", got, want)
		}
		if got := answersOf(t, db, sess["b"].ID); !maps.Equal(got, before) {
			t.Errorf("b's answers after its step failed = %v, want %v", got, before)
		}
		var pos int
		if err := db.Get(&pos, db.Rebind("SELECT position FROM sessions WHERE id = ?"), sess["a"].ID); err != nil || pos != 4 {
			t.Errorf("a's position = %d (%v), want 4", pos, err)
		}
	})
}
