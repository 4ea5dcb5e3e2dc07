package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestSubscribersAreCreatedListedAndDeleted(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		s, err := db.CreateSubscriber(ctx, storage.NewSubscriber{UnitID: &u.ID, Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Language: "id", Alerts: true})
		if err != nil {
			t.Fatal(err)
		}
		if s.UnitCode != "A" || s.UnitName != "Unit A" || !s.Alerts || s.Schedule != "0 7 * * 1" || s.LastAlertAt != nil {
			t.Errorf("created %+v", s)
		}
		if _, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "whatsapp", Address: "628123", Schedule: "0 7 1 * *", Language: "en"}); err != nil {
			t.Fatal(err)
		}
		all, err := db.FindSubscribers(ctx)
		if err != nil || len(all) != 2 || all[1].UnitID != nil || all[1].Alerts {
			t.Fatalf("listed %+v, %v", all, err)
		}
		if err := db.DeleteSubscriber(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSubscriber(ctx, s.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("second delete: %v, want ErrNotFound", err)
		}
		if _, err := db.FindSubscriberByID(ctx, s.ID); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("find deleted: %v, want ErrNotFound", err)
		}
	})
}

func TestASubscriptionCodeIsRedeemedOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		for _, c := range []string{"GOODCODE", "OLDCODE1"} {
			exp := now.Add(7 * 24 * time.Hour)
			if c == "OLDCODE1" {
				exp = now.Add(-time.Minute)
			}
			if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: c, Schedule: "0 7 * * 1", Language: "id", Alerts: true, ExpiresAt: exp.UnixMilli()}); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: "GOODCODE", Schedule: "x", ExpiresAt: 1}); !errors.Is(err, storage.ErrConflict) {
			t.Errorf("duplicate code: %v, want ErrConflict", err)
		}
		redeem := func(code string) (storage.SubscriptionCode, error) {
			var c storage.SubscriptionCode
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				c, err = tx.RedeemSubscriptionCode(code, now.UnixMilli())
				return err
			})
			return c, err
		}
		tests := []struct {
			name, code string
			want       error
		}{
			{"a fresh code is redeemed", "GOODCODE", nil},
			{"the same code a second time is refused as used", "GOODCODE", storage.ErrCodeUsed},
			{"an expired code is refused as expired", "OLDCODE1", storage.ErrCodeExpired},
			{"an unknown code is not found", "NOSUCHCD", storage.ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, err := redeem(tt.code)
				if !errors.Is(err, tt.want) {
					t.Fatalf("redeem %s: %v, want %v", tt.code, err, tt.want)
				}
				if tt.want == nil && (!c.Alerts || c.Schedule != "0 7 * * 1") {
					t.Errorf("redeemed %+v", c)
				}
			})
		}
	})
}

func TestUnsubscribeRemovesEverySubscriptionOfTheChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		// Chat 7 follows the province and a unit: two subscriptions, as one may have each once.
		for _, n := range []storage.NewSubscriber{{Address: "7"}, {Address: "7", UnitID: &u.ID}, {Address: "8"}} {
			n.Channel, n.Schedule, n.Language = "telegram", "0 7 * * 1", "id"
			if _, err := db.CreateSubscriber(ctx, n); err != nil {
				t.Fatal(err)
			}
		}
		var n int64
		err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
			n, err = tx.Unsubscribe("telegram", "7")
			return err
		})
		left, _ := db.FindSubscribers(ctx)
		if err != nil || n != 2 || len(left) != 1 || left[0].Address != "8" {
			t.Errorf("unsubscribed %d, %v; left %+v", n, err, left)
		}
	})
}
