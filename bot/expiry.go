package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"sukma/storage"
)

// expire closes an open session that ran out of time. Its answers, if any, are kept as a
// partial response, which never counts in the index; the visit is used up by it. It reports
// whether the session had answers: one without leaves its visit as it was.
func (e *Engine) expire(ctx context.Context, tx *storage.Tx, sess storage.Session, now int64) (answered bool, err error) {
	answers, err := tx.Answers(sess.ID)
	if err != nil {
		return false, err
	}
	if len(answers) > 0 && !storage.IsPreviewFlowID(sess.FlowID) {
		if sess.VisitToken != "" {
			// A visit has one response. A session opened on a visit that another then
			// completed (possible before starts locked the visit) ends without one.
			if v, err := tx.LockVisit(sess.VisitToken); err == nil && v.UsedAt != nil {
				return true, tx.EndSession(sess.ID, storage.SessionExpired, now)
			} else if err != nil && !errors.Is(err, storage.ErrNotFound) {
				return true, err
			}
		}
		flow, err := e.flows.get(tx, sess.FlowID, sess.FlowVersion)
		if err != nil {
			return true, err
		}
		r := flatten(sess, flow, answers, storage.ResponsePartial, now, e.Location)
		if err := tx.InsertResponse(r); err != nil {
			return true, err
		}
		// Counted before the commit: a sweep that then fails over-counts, rarely.
		metricResponses.WithLabelValues(storage.ResponsePartial).Inc()
		if sess.VisitToken != "" {
			if err := tx.MarkVisitUsed(sess.VisitToken, now); err != nil {
				return true, err
			}
		}
	}
	return len(answers) > 0, tx.EndSession(sess.ID, storage.SessionExpired, now)
}

// expiredNotice tells the chat of a session the sweeper closed, in the words a message that
// finds it expired hears (Engine.handle), through the outbox: the dispatcher pushes it on
// Telegram and WhatsApp, and the web chat, which has no push, gives it with its next answer.
func expiredNotice(tx *storage.Tx, sess storage.Session, answered bool, now int64) error {
	key := "expired"
	if sess.Channel == ChannelWeb && !answered {
		key = "expiredRestart" // and the page's next message starts the survey again
	}
	body, err := json.Marshal(Reply{Text: say(sess.Language, key)})
	if err != nil {
		return err
	}
	return tx.Enqueue(sess.Channel, sess.ChatID, string(body), now, false)
}

// SweepExpired closes every session that ran out of time, tells its chat, and returns how
// many it closed. A session that cannot be closed is reported and passed over: it must not
// keep the sessions after it open.
func (e *Engine) SweepExpired(ctx context.Context) (int, error) {
	now := e.DB.Now().UnixMilli()
	ids, err := e.DB.ExpiredSessions(ctx, now)
	if err != nil {
		return 0, err
	}
	closed := 0
	var errs []error
	for _, id := range ids {
		if ctx.Err() != nil {
			break
		}
		ended := false
		err := e.DB.InTx(ctx, func(tx *storage.Tx) error {
			sess, err := tx.FindSession(id)
			if err != nil || sess.State != storage.SessionActive || sess.ExpiresAt >= now {
				return err // taken care of meanwhile, by a message or another replica
			}
			answered, err := e.expire(ctx, tx, sess, now)
			if err != nil {
				return err
			}
			ended = true
			return expiredNotice(tx, sess, answered, now)
		})
		switch {
		case err == nil && ended:
			closed++
		case err != nil && !errors.Is(err, storage.ErrNotFound):
			errs = append(errs, fmt.Errorf("session %d: %w", id, err))
		}
	}
	return closed, errors.Join(errs...)
}

// Retention is how long sent messages (with their chat ids) and the record of processed
// inbound events are kept: long enough for a web transcript and any platform redelivery.
const Retention = 30 * 24 * time.Hour

// RunSweeper closes expired sessions every interval, and purges what Retention allows,
// until ctx is done.
func (e *Engine) RunSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := e.SweepExpired(ctx); err != nil && ctx.Err() == nil {
				e.Logger.Error("expiry sweep", slog.Any("err", err))
			} else if n > 0 {
				e.Logger.Info("expired sessions closed as partial", slog.Int("sessions", n))
			}
			if _, err := e.DB.Purge(ctx, e.DB.Now().Add(-Retention).UnixMilli()); err != nil && ctx.Err() == nil {
				e.Logger.Error("purge of old messages", slog.Any("err", err))
			}
		}
	}
}

// restarts reports whether notices, taken for a web chat, say only that its survey ran out of
// time before any answer: the message that takes them starts the survey again, as one that
// finds the survey so is answered (Engine.handle).
func restarts(notices []Reply) bool {
	for _, n := range notices {
		if n.Text != say("id", "expiredRestart") && n.Text != say("en", "expiredRestart") {
			return false
		}
	}
	return len(notices) > 0
}
