package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// /metrics tells an operator what waits in the outbox, by channel, and for how long: a
// platform that is down shows as a backlog that grows and ages.
func TestMetricsShowTheOutboxBacklog(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		for i := range 3 {
			at := now.Add(-time.Duration(90-i) * time.Second).UnixMilli()
			if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Enqueue("down", fmt.Sprint(i), `{"text":"a"}`, at, false) }); err != nil {
				t.Fatal(err)
			}
		}
		d := &bot.Dispatcher{DB: db, Poll: time.Hour, Backoff: func(int) time.Duration { return time.Hour }}
		d.Register("down", newFakeSender(func(string, int) error { return bot.ErrUnreachable }), bot.Limits{PerSecond: 100, PerChat: 100})
		d.Register("idle", newFakeSender(nil), bot.Limits{PerSecond: 100, PerChat: 100})
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { d.Run(runCtx); close(done) }()
		defer func() { cancel(); <-done }()

		want := `
# HELP sukma_outbox_oldest_pending_seconds Age of the oldest outbox message waiting to be sent, by channel (0 with none).
# TYPE sukma_outbox_oldest_pending_seconds gauge
sukma_outbox_oldest_pending_seconds{channel="down"} 90
sukma_outbox_oldest_pending_seconds{channel="idle"} 0
# HELP sukma_outbox_pending Outbox messages waiting to be sent (not sent, not given up), by channel.
# TYPE sukma_outbox_pending gauge
sukma_outbox_pending{channel="down"} 3
sukma_outbox_pending{channel="idle"} 0
`
		var err error
		for range 100 { // until the dispatcher runs
			if err = testutil.GatherAndCompare(prometheus.DefaultGatherer, strings.NewReader(want), "sukma_outbox_pending", "sukma_outbox_oldest_pending_seconds"); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			t.Error(err)
		}
	})
}

// A message the engine cannot store (the database is gone) is counted for /metrics.
func TestMessagesTheEngineCouldNotStoreAreCounted(t *testing.T) {
	db := storagetest.SQLite(t)
	e := &bot.Engine{DB: db, Secret: []byte("s"), Location: time.UTC}
	before := stepErrors(t, "metrics-test")
	db.Close()
	if _, err := e.Handle(context.Background(), bot.Inbound{Channel: "metrics-test", ChatID: "1", UserID: "1", Text: "halo"}); err == nil {
		t.Fatal("Handle on a closed database: no error")
	}
	if got := stepErrors(t, "metrics-test"); got != before+1 {
		t.Errorf("sukma_engine_step_errors_total went from %v to %v, want one more", before, got)
	}
}

func stepErrors(t *testing.T, channel string) float64 {
	t.Helper()
	families, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "sukma_engine_step_errors_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "channel" && l.GetValue() == channel {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// A PostgreSQL that stops answering (a frozen network) must not hang /metrics: the scrape
// answers within its two seconds, says the database is down, and leaves the backlog out.
func TestMetricsAnswerWhileTheDatabaseIsSilent(t *testing.T) {
	proxy, proxied := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t))
	db := storagetest.Open(t, proxied)
	d := &bot.Dispatcher{DB: db, Poll: time.Hour, Backoff: func(int) time.Duration { return time.Hour }}
	d.Register("silent", newFakeSender(nil), bot.Limits{PerSecond: 100, PerChat: 100})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { proxy.Freeze(false); cancel(); <-done }()

	up := func(want float64) {
		t.Helper()
		gathered := make(chan error, 1)
		began := time.Now()
		go func() {
			gathered <- testutil.GatherAndCompare(prometheus.DefaultGatherer, strings.NewReader(fmt.Sprintf(`
# HELP sukma_database_up 1 when the database answered this scrape's read of the outbox within 2 seconds, else 0 (and the outbox backlog is left out).
# TYPE sukma_database_up gauge
sukma_database_up %v
`, want)), "sukma_database_up")
		}()
		select {
		case err := <-gathered:
			if err != nil {
				t.Error(err)
			}
			if took := time.Since(began); took > 3*time.Second {
				t.Errorf("the scrape took %v, want at most about 2 seconds", took)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the scrape still waits on the silent database after 10 seconds")
		}
	}
	for range 100 { // until the dispatcher runs
		if n, _ := testutil.GatherAndCount(prometheus.DefaultGatherer, "sukma_outbox_pending"); n > 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	up(1)
	proxy.Freeze(true)
	up(0)
	up(0) // and again, the first read still stuck
	if n, err := testutil.GatherAndCount(prometheus.DefaultGatherer, "sukma_outbox_pending"); err != nil || n != 0 {
		t.Errorf("the backlog with the database silent: %d series, %v; want it left out", n, err)
	}
	proxy.Freeze(false)
	for range 100 { // back when the database answers
		if err := testutil.GatherAndCompare(prometheus.DefaultGatherer, strings.NewReader(`
# HELP sukma_database_up 1 when the database answered this scrape's read of the outbox within 2 seconds, else 0 (and the outbox backlog is left out).
# TYPE sukma_database_up gauge
sukma_database_up 1
`), "sukma_database_up"); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Error("sukma_database_up stayed 0 after the database answered again")
}
