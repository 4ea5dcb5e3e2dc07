package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sukma/bot"
	"sukma/internal/logtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// fakeClock is a database clock that a test moves on; the dispatcher reads it from its own
// goroutines.
type fakeClock struct{ ms atomic.Int64 }

func newFakeClock(db *storage.DB, at time.Time) *fakeClock {
	c := &fakeClock{}
	c.ms.Store(at.UnixMilli())
	db.Now = c.now
	return c
}

func (c *fakeClock) now() time.Time           { return time.UnixMilli(c.ms.Load()) }
func (c *fakeClock) advance(by time.Duration) { c.ms.Add(by.Milliseconds()) }

// logBuffer collects the log of a dispatcher's goroutines.
type logBuffer = logtest.Buffer

// putForSubscriber writes a digest's message for subscriber sub, as the digest code does.
func putForSubscriber(t *testing.T, db *storage.DB, sub int64, chat, text string) {
	t.Helper()
	body, _ := json.Marshal(bot.Reply{Text: text})
	err := db.InTx(context.Background(), func(tx *storage.Tx) error {
		return tx.EnqueueForSubscriber(sub, bot.ChannelTelegram, chat, string(body), db.Now().UnixMilli())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// outage runs a dispatcher whose platform is unreachable until the clock reaches `until`,
// moving the clock on by step each time every message due has been tried, until nothing is
// left to send or the clock reaches end. It returns the dispatcher's log.
func outage(t *testing.T, db *storage.DB, clock *fakeClock, until, end time.Time, step time.Duration) string {
	t.Helper()
	s := newFakeSender(func(string, int) error {
		if clock.now().Before(until) {
			return fmt.Errorf("telegram: 500 Internal Server Error: %w", bot.ErrUnreachable)
		}
		return nil
	})
	logs := &logBuffer{}
	d := &bot.Dispatcher{
		DB: db, Logger: slog.New(slog.NewTextHandler(logs, nil)), Poll: 10 * time.Millisecond,
		Backoff: func(int) time.Duration { return step }, // MaxAttempts and DigestPatience: the defaults
	}
	d.Register(bot.ChannelTelegram, s, fast)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	// Unfinished messages due by the clock at most (all of them when due is 0).
	unfinished := func(due int64) int {
		var n int
		if err := db.Get(&n, db.Rebind("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND (next_at <= CAST(? AS BIGINT) OR 0 = CAST(? AS BIGINT))"), due, due); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for {
		eventually(t, 10*time.Second, "every message due tried", func() bool { return unfinished(clock.now().UnixMilli()) == 0 })
		if unfinished(0) == 0 || !clock.now().Before(end) {
			return logs.String()
		}
		clock.advance(step)
		d.Notify()
	}
}

func TestADigestOutlastsAnOutageOfHoursAndAReplyDoesNot(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		start := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
		clock := newFakeClock(db, start)
		putForSubscriber(t, db, 7, "head", "📊 Ringkasan SKM minggu lalu")
		put(t, db, "citizen", "Pertanyaan 1 dari 9")
		outage(t, db, clock, start.Add(6*time.Hour), start.Add(8*time.Hour), 5*time.Minute)
		if r := rowOf(t, db, "Pertanyaan 1 dari 9"); !r.Failed || r.Attempts != 12 {
			t.Errorf("the citizen's reply: %+v, want given up after 12 attempts (an hour)", r)
		}
		if r := rowOf(t, db, "📊 Ringkasan SKM minggu lalu"); !r.Sent || r.Attempts < 70 {
			t.Errorf("the digest: %+v, want sent once Telegram was back, six hours on", r)
		}
	})
}

func TestADigestIsGivenUpAfterADayWithAnErrorInTheLog(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		start := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
		clock := newFakeClock(db, start)
		putForSubscriber(t, db, 7, "head", "📊 Ringkasan SKM minggu lalu")
		log := outage(t, db, clock, start.Add(48*time.Hour), start.Add(48*time.Hour), time.Hour)
		var failedAt int64
		if err := db.Get(&failedAt, "SELECT COALESCE(failed_at, 0) FROM outbox"); err != nil {
			t.Fatal(err)
		}
		if at := time.UnixMilli(failedAt); failedAt == 0 || at.Sub(start) < 24*time.Hour || at.Sub(start) > 25*time.Hour {
			t.Errorf("the digest given up at %v, want 24 hours after it was written (%v)", at, start)
		}
		if !strings.Contains(log, "level=ERROR msg=\"outbox: giving up a digest or alert") || !strings.Contains(log, "subscriber=7") || !strings.Contains(log, "age=24h0m0s") {
			t.Errorf("the log says of it:\n%s\nwant an error naming the subscriber and how long it was tried", log)
		}
	})
}
