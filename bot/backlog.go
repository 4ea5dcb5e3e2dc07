package bot

import (
	"context"
	"errors"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"sukma/storage"
)

// The outbox's backlog, read from the database when /metrics is scraped: what a dispatcher
// has not sent yet, and how long the oldest of it has waited. A backlog that grows, or ages,
// means a channel that is down or throttled, or a dispatcher that does not run.
var (
	backlogPending = prometheus.NewDesc("sukma_outbox_pending",
		"Outbox messages waiting to be sent (not sent, not given up), by channel.", []string{"channel"}, nil)
	backlogAge = prometheus.NewDesc("sukma_outbox_oldest_pending_seconds",
		"Age of the oldest outbox message waiting to be sent, by channel (0 with none).", []string{"channel"}, nil)
	databaseUp = prometheus.NewDesc("sukma_database_up",
		"1 when the database answered this scrape's read of the outbox within 2 seconds, else 0 (and the outbox backlog is left out).", nil, nil)
)

// backlogTimeout bounds the scrape's read of the outbox.
const backlogTimeout = 2 * time.Second

// backlogReading is set while a read of the backlog runs. A database that stopped answering
// holds the read past its context (lib/pq waits for the server): the scrapes after it do not
// start another, each holding a connection of the pool, until it returns.
var backlogReading atomic.Bool

// backlogSource is the dispatcher whose database and channels /metrics reports: the one
// that runs (one a process).
var backlogSource atomic.Pointer[Dispatcher]

func init() { prometheus.MustRegister(backlogCollector{}) }

type backlogCollector struct{}

func (backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- backlogPending
	ch <- backlogAge
	ch <- databaseUp
}

func (backlogCollector) Collect(ch chan<- prometheus.Metric) {
	d := backlogSource.Load()
	if d == nil {
		return
	}
	bs, err := readBacklog(d)
	if err != nil {
		d.Logger.Warn("metrics: outbox backlog", "error", err)
		ch <- prometheus.MustNewConstMetric(databaseUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(databaseUp, prometheus.GaugeValue, 1)
	seen := map[string]bool{}
	now := d.DB.Now()
	for _, b := range bs {
		seen[b.Channel] = true
		ch <- prometheus.MustNewConstMetric(backlogPending, prometheus.GaugeValue, float64(b.Pending), b.Channel)
		ch <- prometheus.MustNewConstMetric(backlogAge, prometheus.GaugeValue, max(0, now.Sub(time.UnixMilli(b.OldestAt)).Seconds()), b.Channel)
	}
	d.mu.Lock()
	var idle []string
	for name := range d.channels {
		if !seen[name] {
			idle = append(idle, name)
		}
	}
	d.mu.Unlock()
	for _, name := range idle { // a registered channel with nothing waiting
		ch <- prometheus.MustNewConstMetric(backlogPending, prometheus.GaugeValue, 0, name)
		ch <- prometheus.MustNewConstMetric(backlogAge, prometheus.GaugeValue, 0, name)
	}
}

// readBacklog reads the outbox's backlog within backlogTimeout, or fails: the read runs
// beside the scrape, as /healthz's check does, so that the scrape answers in time.
func readBacklog(d *Dispatcher) ([]storage.Backlog, error) {
	if !backlogReading.CompareAndSwap(false, true) {
		return nil, errors.New("the database has not answered the previous scrape's read yet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), backlogTimeout)
	type result struct {
		bs  []storage.Backlog
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer cancel()
		bs, err := d.DB.OutboxBacklog(ctx)
		// Cleared before the result is given: a scrape right after this one reads again,
		// rather than finding this read still under way.
		backlogReading.Store(false)
		done <- result{bs, err}
	}()
	select {
	case r := <-done:
		return r.bs, r.err
	case <-ctx.Done():
		return nil, errors.New("the database did not answer within 2 seconds")
	}
}
