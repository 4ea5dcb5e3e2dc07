package storage_test

import (
	"context"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A subscription that ends takes its digests and alerts not sent yet (queued during an
// outage, say) with it, in the same transaction; not the replies of a survey the chat
// answers, nor another subscription's messages.
func TestAnEndedSubscriptionTakesItsUnsentMessagesWithIt(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		var subs []storage.Subscriber
		// Chat 42 follows a unit and the province; chat 43 the province.
		for _, n := range []storage.NewSubscriber{{Address: "42", UnitID: &u.ID}, {Address: "42"}, {Address: "43"}} {
			n.Channel, n.Schedule, n.Language = "telegram", "0 7 * * 1", "id"
			s, err := db.CreateSubscriber(ctx, n)
			if err != nil {
				t.Fatal(err)
			}
			subs = append(subs, s)
		}
		write := func(sub int64, chat, body string, sent bool) {
			t.Helper()
			err := db.InTx(ctx, func(tx *storage.Tx) error {
				if sub == 0 {
					return tx.Enqueue("telegram", chat, body, 1, sent)
				}
				return tx.EnqueueForSubscriber(sub, "telegram", chat, body, 1)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		write(subs[0].ID, "42", "unit digest", false)
		write(0, "42", "survey question", false)
		write(subs[1].ID, "42", "province digest", false)
		write(subs[2].ID, "43", "digest of 43", false)
		unsent := func() map[string]bool {
			t.Helper()
			var bodies []string
			if err := db.Select(&bodies, "SELECT body FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"); err != nil {
				t.Fatal(err)
			}
			m := map[string]bool{}
			for _, b := range bodies {
				m[b] = true
			}
			return m
		}
		if err := db.DeleteSubscriber(ctx, subs[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := unsent(); got["unit digest"] || !got["survey question"] || !got["province digest"] || !got["digest of 43"] {
			t.Errorf("after deleting the unit's subscriber, unsent: %v; want all but the unit digest", got)
		}
		err := db.InTx(ctx, func(tx *storage.Tx) error { _, err := tx.Unsubscribe("telegram", "42"); return err })
		if err != nil {
			t.Fatal(err)
		}
		if got := unsent(); len(got) != 2 || !got["survey question"] || !got["digest of 43"] {
			t.Errorf("after chat 42 unsubscribed, unsent: %v; want the survey question and chat 43's digest", got)
		}
		var reason string
		if err := db.Get(&reason, "SELECT COALESCE(last_error, '') FROM outbox WHERE body = 'unit digest'"); err != nil || reason == "" {
			t.Errorf("the dropped digest's reason: %q, %v; want one for an admin", reason, err)
		}
	})
}
