package digest

import (
	"context"
	"log/slog"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// alertCursor is the settings key of the last response id the alerts looked at.
const alertCursor = "digest.alerts.cursor"

func (s *Service) threshold() int {
	if s.AlertThreshold > 0 {
		return s.AlertThreshold
	}
	return AlertThreshold
}

func (s *Service) every() time.Duration {
	if s.AlertEvery > 0 {
		return s.AlertEvery
	}
	return 10 * time.Minute
}

// ScanAlerts reads the responses stored since the last scan and queues each alarming one
// (see Alarming) for every subscriber with alerts on that covers its unit. The rule is
// applied here only: FlushAlerts sends whatever is queued, so responses queued under an
// earlier rule still go out. The cursor is advanced in the same transaction with a
// compare-and-set: of two replicas, one queues. On the first run the cursor starts at the
// newest response: history raises no alerts.
func (s *Service) ScanAlerts(ctx context.Context) error {
	for {
		cursor, err := s.DB.Cursor(ctx, alertCursor, func() (int64, error) { return s.DB.MaxResponseID(ctx) })
		if err != nil {
			return err
		}
		subs, err := s.DB.FindSubscribers(ctx)
		if err != nil {
			return err
		}
		last, err := s.settledID(ctx)
		if err != nil {
			return err
		}
		var rs []storage.ResponseScores
		err = s.DB.InTx(ctx, func(tx *storage.Tx) error {
			if rs, err = tx.ResponsesAfter(cursor); err != nil {
				return err
			}
			rs = upTo(rs, last)
			if len(rs) == 0 {
				return nil
			}
			if ok, err := tx.AdvanceCursor(alertCursor, cursor, rs[len(rs)-1].ID); err != nil || !ok {
				rs = nil // another replica took them
				return err
			}
			for _, r := range rs {
				if !Alarming(r, s.threshold()) {
					continue
				}
				for _, sub := range subs {
					if sub.Alerts && covers(sub, r) {
						if err := tx.QueueAlert(sub.ID, r.ID); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
		if err != nil || len(rs) < 500 {
			return err
		}
	}
}

// alertSettle is how long after a response is visible the scan may pass it. On PostgreSQL
// ids are drawn when a row is inserted, not when it commits: a response with a lower id may
// still be committing when a higher one is visible, and a cursor moved past the higher one
// would never see it. Every id visible at some moment was drawn before it, by a step that
// commits within milliseconds: alertSettle later, every id up to the highest then visible
// is committed, or never will be.
const alertSettle = 10 * time.Second

type seenID struct {
	at time.Time
	id int64
}

// settledID notes the newest response id now and returns the newest noted at least
// alertSettle ago: the scan may pass every id up to it. The moments are this process's
// clock: the responses' own times are the platform's, and those of a backlog worked off
// after a restart are minutes or hours old when their rows are written.
func (s *Service) settledID(ctx context.Context) (int64, error) {
	newest, err := s.DB.MaxResponseID(ctx)
	if err != nil {
		return 0, err
	}
	now := s.DB.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen = append(s.seen, seenID{now, newest})
	var settled int64
	i := 0
	for ; i < len(s.seen) && !s.seen[i].at.After(now.Add(-alertSettle)); i++ {
		settled = s.seen[i].id
	}
	if i > 1 {
		s.seen = s.seen[i-1:] // the newest settled one is enough
	}
	return settled, nil
}

// upTo cuts rs (ordered by id) before the first response with an id above last.
func upTo(rs []storage.ResponseScores, last int64) []storage.ResponseScores {
	for i, r := range rs {
		if r.ID > last {
			return rs[:i]
		}
	}
	return rs
}

// covers reports whether a subscriber follows the response's unit.
func covers(sub storage.Subscriber, r storage.ResponseScores) bool {
	switch {
	case sub.UnitID != nil:
		return *sub.UnitID == r.UnitID
	case sub.AgencyID != nil:
		return *sub.AgencyID == r.AgencyID
	}
	return true
}

// FlushAlerts sends one alert to each subscriber with queued responses whose last alert is
// older than AlertEvery; the others wait, and their responses go out together later.
func (s *Service) FlushAlerts(ctx context.Context, now time.Time) (int, error) {
	ids, err := s.DB.SubscribersWithPendingAlerts(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		sub, err := s.DB.FindSubscriberByID(ctx, id)
		if err != nil {
			continue // unsubscribed meanwhile: its queue went with it
		}
		err = s.DB.InTx(ctx, func(tx *storage.Tx) error {
			ok, err := tx.ClaimAlertSlot(id, now.UnixMilli(), now.Add(-s.every()).UnixMilli())
			if err != nil || !ok {
				return err
			}
			rs, err := tx.TakePendingAlerts(id)
			if err != nil || len(rs) == 0 {
				return err
			}
			name := describeScope(sub, langOf(sub.Language))
			if sub.UnitID == nil && sub.AgencyID == nil {
				name = ""
			}
			text := AlertText(name, rs, s.threshold(), s.Location, sub.Language, s.dashboardURL(sub, nil))
			sent++
			return enqueue(tx, sub, []bot.Reply{{Text: text}}, now)
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// RunAlerts scans and flushes alerts every interval until ctx ends.
func (s *Service) RunAlerts(ctx context.Context, every time.Duration) {
	run(ctx, every, func() {
		if err := s.ScanAlerts(ctx); err != nil {
			s.logger().Error("digest: alerts scan", slog.Any("err", err))
		}
		if _, err := s.FlushAlerts(ctx, s.DB.Now()); err != nil {
			s.logger().Error("digest: alerts", slog.Any("err", err))
		}
	})
}
