package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// recentOf reads what RecentOutgoing returns, as "body waiting" pairs.
func recentOf(t *testing.T, tx *storage.Tx, chatID string, now time.Time) []string {
	t.Helper()
	ms, err := tx.RecentOutgoing("telegram", chatID, now.UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		w := "shown"
		if m.Waiting {
			w = "waiting"
		}
		out = append(out, m.Body+" "+w)
	}
	return out
}

// A batch reads the newest message of all its chats in one statement, and the recent messages
// only of those whose newest waits: what each chat gets is what it would get alone.
func TestABatchReadsRecentMessagesOnlyOfTheChatsWhoseNewestWaits(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
		lease := 30 * time.Second
		openSessions(t, db, "a", "b", "c")
		// a: a1 sent, a2 waits. b: b1 is being sent (claimed). c: nothing yet.
		enqueue(t, db, "telegram", "a", "a1", now)
		enqueue(t, db, "telegram", "b", "b1", now)
		claimed, err := db.ClaimOutbox(ctx, "telegram", now, lease, 10)
		if err != nil || len(claimed) != 2 {
			t.Fatalf("claim = %v, %v; want a1 and b1", bodies(claimed), err)
		}
		if err := db.MarkOutboxSentMany(ctx, []int64{claimed[0].ID}, now); err != nil {
			t.Fatal(err)
		}
		enqueue(t, db, "telegram", "a", "a2", now)

		type seen struct {
			recent, later []string // at now, and once b1's lease ran out
			last          int64
		}
		read := func(tx *storage.Tx, chatID string) seen {
			var s seen
			s.recent = recentOf(t, tx, chatID, now)
			s.later = recentOf(t, tx, chatID, now.Add(2*lease))
			id, err := tx.LastOutboxID("telegram", chatID)
			if err != nil {
				t.Fatal(err)
			}
			s.last = id
			return s
		}
		chats := []string{"a", "b", "c"}
		batched, alone := map[string]seen{}, map[string]seen{}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			w := tx.Batch()
			if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b"), chat("c")}); err != nil {
				return err
			}
			for _, c := range chats {
				w.BeginStep(chat(c), storage.InboundEvent{})
				batched[c] = read(tx, c)
				if err := w.EndStep(true); err != nil {
					return err
				}
			}
			return w.Flush()
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			for _, c := range chats {
				alone[c] = read(tx, c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		var a2 int64
		db.Get(&a2, db.Rebind("SELECT id FROM outbox WHERE body = ?"), "a2")
		want := map[string]seen{
			"a": {recent: []string{"a2 waiting", "a1 shown"}, later: []string{"a2 waiting", "a1 shown"}, last: a2},
			"b": {later: []string{"b1 waiting"}, last: claimed[1].ID},
			"c": {},
		}
		for _, c := range chats {
			for how, got := range map[string]seen{"in a batch": batched[c], "alone": alone[c]} {
				w := want[c]
				if !slices.Equal(got.recent, w.recent) || !slices.Equal(got.later, w.later) || got.last != w.last {
					t.Errorf("chat %s %s: recent %q, once the lease ran out %q, last id %d; want %q, %q, %d",
						c, how, got.recent, got.later, got.last, w.recent, w.later, w.last)
				}
			}
		}
	})
}
