package bot_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sukma/bot"
	"sukma/internal/logtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// The outcomes of a send other than "sent" are written only while the message's claim is
// still the dispatcher's (storage.ErrLeaseLost). The dispatcher's own claim may take a message
// again while it still has it in hand, once its lease ran out: the outcome is then written for
// that newer claim.
// slowSender is a platform library that does not heed its context: its first send returns,
// refused, only after the message's lease ran out; the next ones at once.
type slowSender struct {
	first time.Duration
	mu    sync.Mutex
	tries int
}

func (s *slowSender) Send(ctx context.Context, chat string, r bot.Reply) error {
	s.mu.Lock()
	s.tries++
	try := s.tries
	s.mu.Unlock()
	if try == 1 {
		time.Sleep(s.first)
		return bot.ErrUnreachable
	}
	return nil
}

// A send that outlives its lease lets the dispatcher's own claim take the message again while
// it is still in hand. The outcome of that send is then written for the newer claim, the
// dispatcher's own: the message is retried at once, not left claimed until that lease too runs
// out.
func TestASendThatOutlivesItsLeaseIsRetriedUnderTheDispatchersNewerClaim(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		const lease = time.Second
		put(t, db, "c", "lambat")
		logs := &logtest.Buffer{}
		s := &slowSender{first: lease + 300*time.Millisecond}
		d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(logs, nil)), Poll: 20 * time.Millisecond,
			Lease: lease, MaxAttempts: 5, Backoff: func(int) time.Duration { return 10 * time.Millisecond }}
		d.Register(bot.ChannelTelegram, s, fast)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()
		// The refusal counts as an attempt: written, not refused for the lease.
		eventually(t, 10*time.Second, "the message sent at its second try", func() bool {
			return rowOf(t, db, "lambat").Sent
		})
		if r := rowOf(t, db, "lambat"); r.Attempts != 2 {
			t.Errorf("the message: %+v, want sent at its second attempt", r)
		}
		if strings.Contains(logs.String(), "not written") {
			t.Errorf("the first send's outcome was refused:\n%s", logs)
		}
	})
}

// stoppedAfterRelease is a platform whose first send blocks until released, then says the
// citizen blocked the bot (403).
type stoppedAfterRelease struct {
	started, release chan struct{}
	tries            atomic.Int32
}

func (s *stoppedAfterRelease) Send(ctx context.Context, chat string, r bot.Reply) error {
	if s.tries.Add(1) == 1 {
		close(s.started)
		<-s.release
	}
	return fmt.Errorf("403: %w", bot.ErrStopped)
}

// The same by the database's clock, for a give-up: a 403 written, and the message never sent
// again to a chat that blocked the bot.
func TestAGiveUpOfAMessageItsOwnDispatcherClaimedAgainIsWritten(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		clock := newFakeClock(db, time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC))
		put(t, db, "c", "halo")
		s := &stoppedAfterRelease{started: make(chan struct{}), release: make(chan struct{})}
		logs := &logtest.Buffer{}
		d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(logs, nil)), Poll: 10 * time.Millisecond, Lease: 30 * time.Second}
		d.Register(bot.ChannelTelegram, s, fast)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		defer func() { cancel(); <-done }()

		<-s.started
		var first int64
		if err := db.Get(&first, "SELECT claimed_until FROM outbox"); err != nil {
			t.Fatal(err)
		}
		// The send takes longer than the lease: the dispatcher's next claim takes the message
		// again, and passes it by as still its own.
		clock.advance(31 * time.Second)
		d.Notify()
		eventually(t, 5*time.Second, "the message claimed again", func() bool {
			var until int64
			_ = db.Get(&until, "SELECT COALESCE(claimed_until, 0) FROM outbox")
			return until > first
		})
		close(s.release)
		eventually(t, 5*time.Second, "the 403 written", func() bool { return rowOf(t, db, "halo").Failed })
		// A lease later nothing goes again to the chat that blocked the bot.
		clock.advance(31 * time.Second)
		d.Notify()
		time.Sleep(300 * time.Millisecond)
		if n := s.tries.Load(); n != 1 {
			t.Errorf("the message was tried %d times, want 1", n)
		}
		if strings.Contains(logs.String(), "not written") {
			t.Errorf("an outcome was refused:\n%s", logs)
		}
	})
}
