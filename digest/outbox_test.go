package digest_test

import (
	"context"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A digest's and an alert's messages are written as their subscriber's: the dispatcher tries
// them for hours during an outage (bot.Dispatcher.DigestPatience), where a reply to a citizen
// is given up after minutes.
func TestDigestsAndAlertsAreWrittenAsTheirSubscribers(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sub := f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Language: "id", Alerts: true})
		s := f.service()
		if err := s.ScanAlerts(ctx); err != nil { // the cursor starts here
			t.Fatal(err)
		}
		f.respond(f.unit.ID, f.now, [9]int{4, 4, 1, 4, 4, 4, 4, 4, 4}, "", "warga1")
		for _, wait := range []time.Duration{0, 11 * time.Second} { // seen, then settled
			f.now = f.now.Add(wait)
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := s.FlushAlerts(ctx, f.now); err != nil || n != 1 {
			t.Fatalf("FlushAlerts = %d, %v; want one alert", n, err)
		}
		if n, err := s.SendNow(ctx, f.now, nil); err != nil || n != 1 {
			t.Fatalf("SendNow = %d, %v; want one digest", n, err)
		}
		var marks []int64
		if err := db.Select(&marks, "SELECT COALESCE(subscriber_id, 0) FROM outbox ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		if len(marks) < 2 {
			t.Fatalf("outbox has %d messages, want the alert and the digest", len(marks))
		}
		for i, m := range marks {
			if m != sub.ID {
				t.Errorf("message %d of %d is marked for subscriber %d, want %d", i+1, len(marks), m, sub.ID)
			}
		}
	})
}
