package storage_test

import (
	"context"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// respond inserts complete responses of a unit on a day, with a complaint text each.
func respond(t *testing.T, db *storage.DB, unitID int64, day int, perbaikan string, scores ...[9]int) {
	t.Helper()
	before, err := db.MaxResponseID(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var rows []row
	for _, s := range scores {
		rows = append(rows, row{unit: unitID, status: "complete", day: day, scores: s})
	}
	insertRows(t, db, rows)
	if perbaikan != "" {
		if _, err := db.Exec(db.Rebind("UPDATE responses SET perbaikan = ?, saran = ? WHERE id > ?"), perbaikan, "saran "+perbaikan, before); err != nil {
			t.Fatal(err)
		}
	}
}

func TestADigestIsClaimedOncePerSubscriberAndPeriod(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		s, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: "1", Schedule: "0 7 * * 1", Language: "id"})
		if err != nil {
			t.Fatal(err)
		}
		claim := func(from int) bool {
			var ok bool
			if err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				ok, err = tx.ClaimDigest(s.ID, from, from+6, 1)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !claim(20261116) {
			t.Error("the first claim failed")
		}
		if claim(20261116) {
			t.Error("the second claim of the same period succeeded")
		}
		if !claim(20261123) {
			t.Error("the next period could not be claimed")
		}
		if done, err := db.DigestClaimed(ctx, s.ID, 20261116, 20261122); !done || err != nil {
			t.Errorf("DigestClaimed = %v, %v", done, err)
		}
		// A period sent by hand that starts on the same day is another period.
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			ok, err := tx.ClaimDigest(s.ID, 20261116, 20261118, 1)
			if err == nil && !ok {
				t.Error("a shorter period starting on the same day could not be claimed")
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if done, err := db.DigestClaimed(ctx, s.ID, 20261116, 20261130); done || err != nil {
			t.Errorf("DigestClaimed of a longer period starting on the same day = %v, %v", done, err)
		}
	})
}

func TestSuggestionsAreTheNewestTextsOfThePeriod(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		respond(t, db, u.ID, 20261110, "lama", all(4))
		respond(t, db, u.ID, 20261117, "antre", all(4))
		respond(t, db, u.ID, 20261118, "", all(3))
		respond(t, db, u.ID, 20261119, "parkir", all(2))
		got, err := db.Suggestions(ctx, storage.Filter{UnitIDs: []int64{u.ID}, FromDay: 20261116, ToDay: 20261122}, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Perbaikan != "parkir" || got[1].Saran != "saran antre" || got[0].Unit != "Unit A" {
			t.Errorf("suggestions %+v", got)
		}
	})
}

func TestAlertCursorAndQueue(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		respond(t, db, u.ID, 20261117, "kotor", all(1), all(4))
		cur, err := db.Cursor(ctx, "alerts.cursor", func() (int64, error) { return 0, nil })
		if err != nil || cur != 0 {
			t.Fatalf("cursor %d, %v", cur, err)
		}
		s, _ := db.CreateSubscriber(ctx, storage.NewSubscriber{UnitID: &u.ID, Channel: "telegram", Address: "1", Schedule: "0 7 * * 1", Language: "id", Alerts: true})
		var rs []storage.ResponseScores
		err = db.InTx(ctx, func(tx *storage.Tx) (err error) {
			if rs, err = tx.ResponsesAfter(cur); err != nil {
				return err
			}
			if ok, err := tx.AdvanceCursor("alerts.cursor", cur, rs[len(rs)-1].ID); !ok || err != nil {
				t.Errorf("advance: %v, %v", ok, err)
			}
			if ok, _ := tx.AdvanceCursor("alerts.cursor", cur, 99); ok {
				t.Error("a stale cursor advanced")
			}
			return tx.QueueAlert(s.ID, rs[0].ID)
		})
		if err != nil || len(rs) != 2 || rs[0].Scores[0] != 1 || rs[0].Perbaikan != "kotor" || rs[0].Saran != "saran kotor" || !rs[0].Complete {
			t.Fatalf("responses %+v, %v", rs, err)
		}
		if ids, _ := db.SubscribersWithPendingAlerts(ctx); len(ids) != 1 || ids[0] != s.ID {
			t.Errorf("pending %v", ids)
		}
		now := time.Now().UnixMilli()
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			if ok, _ := tx.ClaimAlertSlot(s.ID, now, now-600000); !ok {
				t.Error("the first alert slot was not claimed")
			}
			if ok, _ := tx.ClaimAlertSlot(s.ID, now+1000, now-599000); ok {
				t.Error("a second alert within ten minutes was allowed")
			}
			taken, err := tx.TakePendingAlerts(s.ID)
			if len(taken) != 1 || taken[0].UnitName != "Unit A" || taken[0].Scores[8] != 1 || taken[0].Saran != "saran kotor" {
				t.Errorf("taken %+v", taken)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if ids, _ := db.SubscribersWithPendingAlerts(ctx); len(ids) != 0 {
			t.Errorf("still pending %v", ids)
		}
	})
}

// A partial response is queued when it reports misconduct (the digest package decides), and
// the alert must say the survey was left unfinished.
func TestAQueuedPartialResponseIsTakenAsPartial(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		insertRows(t, db, []row{{unit: u.ID, status: storage.ResponsePartial, day: 20261117, scores: [9]int{3, 2}}})
		s, _ := db.CreateSubscriber(ctx, storage.NewSubscriber{UnitID: &u.ID, Channel: "telegram", Address: "1", Schedule: "0 7 * * 1", Language: "id", Alerts: true})
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			rs, err := tx.ResponsesAfter(0)
			if err != nil || len(rs) != 1 || rs[0].Complete {
				t.Fatalf("responses %+v, %v", rs, err)
			}
			if err := tx.QueueAlert(s.ID, rs[0].ID); err != nil {
				return err
			}
			taken, err := tx.TakePendingAlerts(s.ID)
			if len(taken) != 1 || taken[0].Complete || taken[0].Scores[1] != 2 || taken[0].UnitName != "Unit A" {
				t.Errorf("taken %+v", taken)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
