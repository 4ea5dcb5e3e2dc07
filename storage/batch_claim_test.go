package storage_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// claimer is a dispatcher as a batch sees it: it sends Telegram, and has inHand in hand.
type claimer struct {
	until  time.Time
	inHand []int64
}

func (c claimer) Sends(channel string) bool { return channel == "telegram" }
func (c claimer) LeaseEnd() time.Time       { return c.until }
func (c claimer) InHand() []int64           { return c.inHand }

func TestABatchClaimsTheMessagesItWritesForItsDispatcher(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		sess := openSessions(t, db, "a", "b", "c", "d", "f")
		// b has a message still to send, written before; so has c, but the dispatcher has
		// sent it, and not yet recorded it sent.
		enqueue(t, db, "telegram", "b", "b0", now)
		enqueue(t, db, "telegram", "c", "c0", now)
		if _, err := db.ClaimOutbox(ctx, "telegram", now, 30*time.Second, 10); err != nil {
			t.Fatal(err)
		}
		c0 := lastOutbox(t, db, "c")
		c := claimer{until: now.Add(30 * time.Second), inHand: []int64{c0}}

		var claimed []storage.OutboxMessage
		var queued []storage.ChatRef
		at := now.UnixMilli()
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			w := tx.Batch()
			w.ClaimFor(c)
			if err := w.LockSessions([]storage.ChatRef{chat("a"), chat("b"), chat("c"), chat("d"), chat("f")}); err != nil {
				return err
			}
			step := func(chatID string, ok bool, do ...func() error) error {
				w.BeginStep(chat(chatID), storage.InboundEvent{})
				for _, f := range do {
					if err := f(); err != nil {
						return err
					}
				}
				return w.EndStep(ok)
			}
			say := func(channel, chatID, body string, delivered bool) func() error {
				return func() error { return tx.Enqueue(channel, chatID, body, at, delivered) }
			}
			// A step that runs a statement of its own, reading another's answers: the
			// messages kept before it are still written, and claimed, at the flush.
			direct := func() error { _, err := tx.Answers(sess["a"].ID); return err }
			for _, err := range []error{
				step("a", true, say("telegram", "a", "a1", false), say("telegram", "a", "a2", false)),
				step("b", true, say("telegram", "b", "b1", false)),
				step("c", true, say("telegram", "c", "c1", false)),
				step("d", true, direct, say("whatsapp", "d", "d1", false), say("web", "d", "d2", true)),
				step("f", false, say("telegram", "f", "never", false), direct),
			} {
				if err != nil {
					return err
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			claimed, queued = w.Claimed(), tx.Queued()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := bodies(claimed); !slices.Equal(got, []string{"a:a1", "c:c1"}) {
			t.Errorf("claimed %v, want a's first message and c's, after the one in hand", got)
		}
		want := []storage.ChatRef{chat("a"), chat("b"), {Channel: "whatsapp", ChatID: "d"}}
		if !slices.Equal(queued, want) {
			t.Errorf("queued %v, want a's second message, b's (after b0) and the channel the dispatcher does not send", queued)
		}
		// Claimed as a claim would: nobody else claims them before the lease ends, then they
		// come in each chat's order.
		got, err := db.ClaimOutbox(ctx, "telegram", now.Add(29*time.Second), 30*time.Second, 10)
		if err != nil || len(got) != 0 {
			t.Errorf("claim within the lease = %v, %v; want nothing", bodies(got), err)
		}
		got, err = db.ClaimOutbox(ctx, "telegram", now.Add(31*time.Second), 30*time.Second, 10)
		if err != nil || !slices.Equal(bodies(got), []string{"b:b0", "c:c0", "a:a1"}) {
			t.Errorf("claim after the lease = %v, %v; want each chat's oldest", bodies(got), err)
		}
		if got, _ := db.Transcript(ctx, "telegram", "f"); len(got) != 0 {
			t.Errorf("the failed step's message was written: %q", got)
		}
	})
}

// lastOutbox returns the id of the newest message of a Telegram chat.
func lastOutbox(t *testing.T, db *storage.DB, chatID string) int64 {
	t.Helper()
	var id int64
	err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		id, err = tx.LastOutboxID("telegram", chatID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
