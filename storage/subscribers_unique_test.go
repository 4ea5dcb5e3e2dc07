package storage_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestAnAddressSubscribesToAScopeOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "A")
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "B", Name: "Unit B", Agency: "DINKES"}); err != nil {
			t.Fatal(err)
		}
		agency, err := db.FindAgencyByCode(ctx, "DINKES")
		if err != nil {
			t.Fatal(err)
		}
		scopes := map[string]storage.NewSubscriber{
			"a unit":              {UnitID: &u.ID},
			"an agency":           {AgencyID: &agency.ID},
			"the province":        {},
			"a unit, on WhatsApp": {UnitID: &u.ID}, // the same unit, on another channel below
		}
		for name, n := range scopes {
			n.Channel, n.Address, n.Schedule, n.Language = "telegram", "42", "0 7 * * 1", "id"
			if name == "a unit, on WhatsApp" {
				n.Channel, n.Address = "whatsapp", "6281234567890"
			}
			first, err := db.CreateSubscriber(ctx, n)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			n.Schedule = "0 7 1 * *" // another schedule is the same subscription all the same
			if _, err := db.CreateSubscriber(ctx, n); !errors.Is(err, storage.ErrConflict) {
				t.Errorf("%s, twice: %v, want ErrConflict", name, err)
			}
			found, err := db.FindSubscriberOfScope(ctx, n.Channel, n.Address, n.UnitID, n.AgencyID)
			if err != nil || found.ID != first.ID {
				t.Errorf("%s: FindSubscriberOfScope = %+v, %v; want subscriber %d", name, found, err, first.ID)
			}
		}
		if _, err := db.FindSubscriberOfScope(ctx, "telegram", "43", nil, nil); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("another address: %v, want ErrNotFound", err)
		}
		if all, err := db.FindSubscribers(ctx); err != nil || len(all) != len(scopes) {
			t.Errorf("%d subscribers, %v; want %d", len(all), err, len(scopes))
		}
	})
}

func TestSubscribingTogetherMakesOneSubscriber(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Language: "id"})
			})
		}
		wg.Wait()
		created := 0
		for _, err := range errs {
			switch {
			case err == nil:
				created++
			case !errors.Is(err, storage.ErrConflict):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if all, _ := db.FindSubscribers(ctx); created != 1 || len(all) != 1 {
			t.Errorf("%d created, %d stored; want 1 and 1", created, len(all))
		}
	})
}

func TestSubscribingAgainChangesTheSubscription(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		subscribe := func(schedule, lang string, alerts bool) storage.Subscriber {
			t.Helper()
			var id int64
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				id, err = tx.Subscribe(storage.NewSubscriber{Channel: "whatsapp", Address: "6281234567890", Schedule: schedule, Language: lang, Alerts: alerts})
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			s, err := db.FindSubscriberByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		first := subscribe("0 7 * * 1", "id", false)
		now = now.Add(time.Hour)
		same := subscribe("0 7 * * 1", "en", true)
		if same.ID != first.ID || same.Language != "en" || !same.Alerts || same.CreatedAt != first.CreatedAt {
			t.Errorf("subscribed again on the same schedule: %+v, want subscriber %d in English with alerts, as old as before", same, first.ID)
		}
		now = now.Add(time.Hour)
		// A new schedule counts from now: its earlier periods were never due to this chat.
		monthly := subscribe("0 7 1 * *", "id", false)
		if monthly.ID != first.ID || monthly.Schedule != "0 7 1 * *" || monthly.CreatedAt != now.UnixMilli() {
			t.Errorf("subscribed again monthly: %+v, want subscriber %d, monthly, created now", monthly, first.ID)
		}
		if all, _ := db.FindSubscribers(ctx); len(all) != 1 {
			t.Errorf("%d subscribers, want 1", len(all))
		}
	})
}

// TestDuplicateSubscribersAreMergedIntoTheNewest runs the migration that made a subscription
// unique on a database that already holds duplicates, as one made before it would.
func TestDuplicateSubscribersAreMergedIntoTheNewest(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u := url(t)
			db := storagetest.Open(t, u)
			unit := newUnit(t, db, "A")
			respond(t, db, unit.ID, 20261130, "antre lama", all(1))
			response, err := db.MaxResponseID(ctx)
			if err != nil {
				t.Fatal(err)
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.ExecContext(ctx, db.Rebind(q), args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			// Back to the schema before the unique index, which let these in; the migration
			// that made it (PostgreSQL's 0009, SQLite's 0008) runs again below.
			exec("DROP INDEX subscribers_one_per_scope")
			migration, err := storage.MigrationSQL(db.Dialect, map[storage.Dialect]int{storage.Postgres: 9, storage.SQLite: 8}[db.Dialect])
			if err != nil {
				t.Fatal(err)
			}
			insert := func(id int64, unitID any, channel, address, schedule string, lastAlert any) {
				exec(`INSERT INTO subscribers (id, unit_id, channel, address, schedule, language, alerts, created_at, last_alert_at)
				      VALUES (?, ?, ?, ?, ?, 'id', ?, ?, ?)`, id, unitID, channel, address, schedule, id == 2, id, lastAlert)
			}
			insert(1, unit.ID, "telegram", "42", "0 7 * * 1", 500) // the oldest: weekly
			insert(2, unit.ID, "telegram", "42", "0 7 1 * *", nil) // the newest: monthly, alerts
			insert(3, nil, "whatsapp", "6281234567890@s.whatsapp.net", "0 7 * * 1", nil)
			insert(4, nil, "whatsapp", "+6281234567890", "0 7 * * 1", nil)
			insert(5, nil, "whatsapp", "081234567890", "0 7 * * 1", nil)
			insert(6, nil, "telegram", "42", "0 7 * * 1", nil) // the province: not a duplicate of 1
			exec("INSERT INTO digests_sent (subscriber_id, period_from, period_to, claimed_at, sent_at) VALUES (1, 20261101, 20261130, 1, 1)")
			exec("INSERT INTO digests_sent (subscriber_id, period_from, period_to, claimed_at, sent_at) VALUES (2, 20261101, 20261130, 2, 2)")
			exec("INSERT INTO digests_sent (subscriber_id, period_from, period_to, claimed_at, sent_at) VALUES (1, 20261123, 20261129, 1, 1)")
			exec("INSERT INTO alerts_pending (subscriber_id, response_id) VALUES (1, ?)", response)
			if db.Dialect == storage.Postgres {
				exec("SELECT setval(pg_get_serial_sequence('subscribers', 'id'), 6)")
			}

			exec(migration)
			again := db
			subs, err := again.FindSubscribers(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range subs {
				got = append(got, s.Channel+" "+s.Address+" "+s.Schedule)
			}
			want := []string{"telegram 42 0 7 1 * *", "whatsapp 6281234567890 0 7 * * 1", "telegram 42 0 7 * * 1"}
			if len(subs) != 3 || subs[0].ID != 2 || subs[1].ID != 5 || subs[2].ID != 6 || !slices.Equal(got, want) {
				t.Fatalf("subscribers %v (ids %d…), want %v with ids 2, 5, 6", got, subs[0].ID, want)
			}
			if !subs[0].Alerts || subs[0].LastAlertAt == nil || *subs[0].LastAlertAt != 500 {
				t.Errorf("the kept subscriber: alerts %v, last alert %v; want its own alerts and the latest alert of the others", subs[0].Alerts, subs[0].LastAlertAt)
			}
			for _, p := range [][2]int{{20261101, 20261130}, {20261123, 20261129}} {
				if done, err := again.DigestClaimed(ctx, 2, p[0], p[1]); !done || err != nil {
					t.Errorf("digest %v of the removed duplicate is not recorded for the kept one: %v, %v", p, done, err)
				}
			}
			var pending []int64
			if err := again.SelectContext(ctx, &pending, "SELECT subscriber_id FROM alerts_pending"); err != nil || len(pending) != 1 || pending[0] != 2 {
				t.Errorf("pending alerts of %v, %v; want the kept subscriber's", pending, err)
			}
			if _, err := again.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "whatsapp", Address: "6281234567890", Schedule: "0 7 * * 1", Language: "id"}); !errors.Is(err, storage.ErrConflict) {
				t.Errorf("after the migration, a duplicate: %v, want ErrConflict", err)
			}
		})
	}
}
