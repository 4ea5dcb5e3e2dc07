package digest

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"sukma/bot"
	"sukma/scoring"
	"sukma/storage"
)

// Service sends digests and alerts through the outbox.
type Service struct {
	DB       *storage.DB
	Location *time.Location // SUKMA_TIMEZONE: schedules and local days
	// PublicURL is the base of the dashboard link, without a trailing slash.
	PublicURL string
	Logger    *slog.Logger
	// AlertThreshold is the score at or below which an element raises an alert (default
	// AlertThreshold); AlertEvery the least time between two alerts to one subscriber
	// (default 10 minutes): responses in between wait and go out together.
	AlertThreshold int
	AlertEvery     time.Duration

	mu   sync.Mutex
	seen []seenID // the newest response id, as ScanAlerts saw it at each scan (see settledID)
}

// TrendPeriods is how many periods the chart's trend shows, this one included.
const TrendPeriods = 6

func (s *Service) logger() *slog.Logger {
	if s.Logger == nil {
		return slog.Default()
	}
	return s.Logger
}

// scopeOf returns a subscriber's scope, name and the units it covers (nil: every unit).
func scopeOf(sub storage.Subscriber, units []storage.Unit) (Scope, string, []storage.Unit) {
	switch {
	case sub.UnitID != nil:
		for _, u := range units {
			if u.ID == *sub.UnitID {
				return ScopeUnit, u.Name, []storage.Unit{u}
			}
		}
		return ScopeUnit, sub.UnitName, []storage.Unit{{ID: *sub.UnitID, Code: sub.UnitCode, Name: sub.UnitName}}
	case sub.AgencyID != nil:
		var in []storage.Unit
		for _, u := range units {
			if u.AgencyCode == sub.AgencyCode {
				in = append(in, u)
			}
		}
		return ScopeAgency, sub.AgencyName, in
	}
	return ScopeProvince, "", units
}

// Load reads the Data of a subscriber's digest for period p.
func (s *Service) Load(ctx context.Context, sub storage.Subscriber, units []storage.Unit, p Period) (Data, error) {
	scope, name, in := scopeOf(sub, units)
	d := Data{Scope: scope, Name: name, Period: p, Dashboard: s.dashboardURL(sub, &p),
		Ongoing: p.ToDay() >= Day(s.DB.Now().In(s.Location))}
	ids := make([]int64, 0, len(in))
	for _, u := range in {
		ids = append(ids, u.ID)
	}
	if scope == ScopeProvince {
		ids = nil
	} else if len(ids) == 0 {
		ids = []int64{-1} // an agency without units counts nothing, not everything
	}
	filter := func(p Period) storage.Filter {
		return storage.Filter{UnitIDs: ids, FromDay: p.FromDay(), ToDay: p.ToDay()}
	}
	var err error
	for _, q := range trendPeriods(sub.Schedule, p, s.Location) {
		var t scoring.Tally
		if t, err = s.DB.Tally(ctx, filter(q)); err != nil {
			return d, err
		}
		d.Trend = append(d.Trend, TrendPoint{q, t})
	}
	d.Tally, d.Previous = d.Trend[TrendPeriods-1].Tally, d.Trend[TrendPeriods-2].Tally
	if d.Suggestions, err = s.DB.Suggestions(ctx, filter(p), maxSuggestions); err != nil {
		return d, err
	}
	if scope == ScopeUnit {
		d.Population = in[0].Population
		if at := in[0].RetiredAt; at != nil {
			d.Retired = time.UnixMilli(*at).In(s.Location)
		}
		return d, nil
	}
	byUnit, err := s.DB.TallyByUnit(ctx, filter(p))
	if err != nil {
		return d, err
	}
	tallies := map[int64]scoring.Tally{}
	for _, t := range byUnit {
		tallies[t.UnitID] = t.Tally
	}
	for _, u := range in {
		if u.RetiredAt != nil && tallies[u.ID].Respondents == 0 {
			continue
		}
		d.Units = append(d.Units, UnitData{Code: u.Code, Name: u.Name, Population: u.Population, Tally: tallies[u.ID]})
	}
	return d, nil
}

// Tick sends every digest that fell due since its subscriber's last: for each subscriber
// whose schedule fired (after it subscribed), the period just ended, and up to CatchUp-1
// before it that were missed, are each claimed in digests_sent and enqueued in the same
// transaction, so that of several replicas ticking together exactly one sends each. It
// returns how many digests it enqueued.
func (s *Service) Tick(ctx context.Context, now time.Time) (int, error) {
	return s.send(ctx, now, nil, false)
}

// SendNow enqueues every subscriber's digest for period p (nil: the period just ended by
// each schedule) at once, also when it was sent before: a manual resend. The period is
// recorded as sent, so the scheduler does not send it again.
func (s *Service) SendNow(ctx context.Context, now time.Time, p *Period) (int, error) {
	return s.send(ctx, now, p, true)
}

// SendPeriod enqueues the digest for period p to every subscriber that has not had it.
func (s *Service) SendPeriod(ctx context.Context, now time.Time, p Period) (int, error) {
	return s.send(ctx, now, &p, false)
}

func (s *Service) send(ctx context.Context, now time.Time, only *Period, force bool) (int, error) {
	subs, err := s.DB.FindSubscribers(ctx)
	if err != nil {
		return 0, err
	}
	units, err := s.DB.FindUnits(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, sub := range subs {
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
		n, err := s.sendOne(ctx, sub, units, now, only, force)
		sent += n
		if err != nil {
			// One subscriber's failure must not hold back the others.
			s.logger().Error("digest: send", slog.Int64("subscriber", sub.ID), slog.Any("err", err))
		}
	}
	return sent, nil
}

// SendOneNow writes one subscriber's digest for the period just ended by its schedule to the
// outbox at once, also when it was sent before (the admin's "send a test digest now"), and
// records the period as sent. It reports false when the schedule has not fired yet.
func (s *Service) SendOneNow(ctx context.Context, sub storage.Subscriber) (bool, error) {
	units, err := s.DB.FindUnits(ctx)
	if err != nil {
		return false, err
	}
	n, err := s.sendOne(ctx, sub, units, s.DB.Now(), nil, true)
	return n > 0, err
}

// CatchUp is how many periods a subscriber's scheduled digests reach back: after a server
// was down over several fires, the digests of the last CatchUp periods that were never sent
// go out, oldest first; older ones are left, not to bury a head in a burst of them.
const CatchUp = 3

// sendOne enqueues a subscriber's digests: for period only if given, else for the periods
// due by its schedule (the last one only when forced). It returns how many it enqueued.
func (s *Service) sendOne(ctx context.Context, sub storage.Subscriber, units []storage.Unit, now time.Time, only *Period, force bool) (int, error) {
	periods := []Period{}
	if only != nil {
		periods = append(periods, *only)
	} else {
		sched, err := ParseSchedule(sub.Schedule)
		if err != nil {
			return 0, err
		}
		back := CatchUp
		if force {
			back = 1
		}
		for t := now; len(periods) < back; {
			p, fired := PeriodEnded(sched, t, s.Location)
			if fired.IsZero() || (!force && fired.UnixMilli() < sub.CreatedAt) {
				break // not due since the subscriber subscribed
			}
			if len(periods) == 0 || periods[0].FromDay() != p.FromDay() { // several fires a day end one period
				periods = append([]Period{p}, periods...)
			}
			t = fired.Add(-time.Second)
		}
	}
	sent := 0
	for _, p := range periods {
		ok, err := s.sendPeriod(ctx, sub, units, now, p, force)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

// sendPeriod enqueues a subscriber's digest for p unless it was sent before (or force).
func (s *Service) sendPeriod(ctx context.Context, sub storage.Subscriber, units []storage.Unit, now time.Time, p Period, force bool) (bool, error) {
	if !force {
		// A cheap check first: the digest is built only when it may be sent.
		if done, err := s.DB.DigestClaimed(ctx, sub.ID, p.FromDay(), p.ToDay()); err != nil || done {
			return false, err
		}
	}
	d, err := s.Load(ctx, sub, units, p)
	if err != nil {
		return false, err
	}
	replies, err := Replies(d, sub.Language)
	if err != nil {
		return false, err
	}
	// A unit retired before the period began takes no surveys: its empty digest would only
	// repeat, week after week, what the digest of the period it was retired in said once. The
	// period is claimed all the same, so that it is not built again every minute. A digest
	// sent by hand (force) still goes out.
	quiet := !force && !d.Retired.IsZero() && Day(d.Retired) < p.FromDay() && d.Tally.Respondents == 0
	sent := false
	err = s.DB.InTx(ctx, func(tx *storage.Tx) error {
		claimed, err := tx.ClaimDigest(sub.ID, p.FromDay(), p.ToDay(), now.UnixMilli())
		if err != nil || (!claimed && !force) || quiet {
			return err
		}
		sent = true
		return enqueue(tx, sub, replies, now)
	})
	return sent, err
}

func enqueue(tx *storage.Tx, sub storage.Subscriber, replies []bot.Reply, now time.Time) error {
	for i, r := range replies {
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		// A millisecond apart keeps the chart before the text that follows it. Marked as the
		// subscriber's: tried for hours in an outage, dropped when the subscription ends.
		if err := tx.EnqueueForSubscriber(sub.ID, sub.Channel, sub.Address, string(body), now.UnixMilli()+int64(i)); err != nil {
			return err
		}
	}
	return nil
}

// RunScheduler ticks every interval (a minute) until ctx ends.
func (s *Service) RunScheduler(ctx context.Context, every time.Duration) {
	run(ctx, every, func() {
		if n, err := s.Tick(ctx, s.DB.Now()); err != nil {
			s.logger().Error("digest: scheduler", slog.Any("err", err))
		} else if n > 0 {
			s.logger().Info("digest: digests enqueued", slog.Int("count", n))
		}
	})
}

// run calls fn now and then every interval until ctx ends.
func run(ctx context.Context, every time.Duration, fn func()) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		fn()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// describeScope names what a subscriber follows: a unit, an agency, or every unit.
func describeScope(sub storage.Subscriber, l lang) string {
	switch {
	case sub.UnitID != nil:
		return sub.UnitName
	case sub.AgencyID != nil:
		return sub.AgencyName
	}
	return l.t("province")
}
