package bot

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The outbox's backlog, read from the database when /metrics is scraped: what a dispatcher
// has not sent yet, and how long the oldest of it has waited. A backlog that grows, or ages,
// means a channel that is down or throttled, or a dispatcher that does not run.
var (
	backlogPending = prometheus.NewDesc("sukma_outbox_pending",
		"Outbox messages waiting to be sent (not sent, not given up), by channel.", []string{"channel"}, nil)
	backlogAge = prometheus.NewDesc("sukma_outbox_oldest_pending_seconds",
		"Age of the oldest outbox message waiting to be sent, by channel (0 with none).", []string{"channel"}, nil)
)

// backlogSource is the dispatcher whose database and channels /metrics reports: the one
// that runs (one a process).
var backlogSource atomic.Pointer[Dispatcher]

func init() { prometheus.MustRegister(backlogCollector{}) }

type backlogCollector struct{}

func (backlogCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- backlogPending
	ch <- backlogAge
}

func (backlogCollector) Collect(ch chan<- prometheus.Metric) {
	d := backlogSource.Load()
	if d == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	bs, err := d.DB.OutboxBacklog(ctx)
	if err != nil {
		d.Logger.Warn("metrics: outbox backlog", "error", err)
		return
	}
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
