package digest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sukma/bot"
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

// A head who sends /berhenti gets no digest that was waiting to go (queued during an outage):
// only the messages of a survey answered in the same chat, and the answer to /berhenti.
func TestBerhentiDropsTheDigestsWaitingButNotTheSurvey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		s := f.service()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Language: "id"})
		if n, err := s.SendNow(ctx, f.now, nil); err != nil || n != 1 {
			t.Fatalf("SendNow = %d, %v; want one digest", n, err)
		}
		question, _ := json.Marshal(bot.Reply{Text: "Pertanyaan 1 dari 9"})
		if err := db.InTx(ctx, func(tx *storage.Tx) error {
			return tx.Enqueue(bot.ChannelTelegram, "42", string(question), f.now.UnixMilli(), false)
		}); err != nil {
			t.Fatal(err)
		}
		rs, err := f.engine(s).Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42", Text: "/berhenti", EventID: "1"})
		if err != nil || len(rs) != 1 || !strings.Contains(rs[0].Text, "Langganan dihentikan") {
			t.Fatalf("/berhenti: %+v, %v", rs, err)
		}
		var waiting []string
		if err := db.Select(&waiting, "SELECT body FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL ORDER BY id"); err != nil {
			t.Fatal(err)
		}
		if len(waiting) != 2 || waiting[0] != string(question) || !strings.Contains(waiting[1], "Langganan dihentikan") {
			t.Errorf("waiting to be sent: %q; want the survey's question and the answer to /berhenti", waiting)
		}
	})
}
