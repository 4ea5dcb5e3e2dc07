package bot

import (
	"context"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// The replies the engine hands over do not take the claim's room. With every send under way
// and more handed replies waiting their turn, a message that waits for a claim (a survey's
// first question, written after its introduction) is claimed at once and goes in turn, where
// it used to wait until the handed ones were all recorded (seconds, at 1,000 citizens). The
// sends at once stay within Concurrency.
func TestHandedRepliesLeaveTheClaimItsRoom(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		g, d := threeSendingSevenWaiting(t, db)

		// Written outside the engine's batches, as a message behind another of its chat is:
		// no claim but the dispatcher's takes it.
		if err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			return tx.Enqueue(ChannelTelegram, "z", `{"text":"z1"}`, db.Now().UnixMilli(), false)
		}); err != nil {
			t.Fatal(err)
		}
		d.Notify()
		waitFor(t, "z's message claimed while ten handed replies are in flight", func() bool {
			var until *int64
			if err := db.Get(&until, db.Rebind(`SELECT claimed_until FROM outbox WHERE chat_id = ?`), "z"); err != nil {
				t.Fatal(err)
			}
			return until != nil
		})
		if in, _ := g.counts(); in != 3 {
			t.Errorf("%d sends started before the gate opened, want the dispatcher's 3", in)
		}
		g.release()
		waitFor(t, "every message sent and recorded", func() bool { in, _ := g.counts(); return in == 11 && unsent(t, db) == 0 })
		if _, most := g.counts(); most > 3 {
			t.Errorf("%d sends at once, want at most 3", most)
		}
	})
}
