package bot_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// fakeSender records what it sends; fail decides the outcome of each try of a text.
type fakeSender struct {
	mu    sync.Mutex
	sent  map[string][]string // chat → texts, in the order they were sent
	tries map[string][]time.Time
	fail  func(text string, try int) error
}

func newFakeSender(fail func(text string, try int) error) *fakeSender {
	return &fakeSender{sent: map[string][]string{}, tries: map[string][]time.Time{}, fail: fail}
}

func (s *fakeSender) Send(ctx context.Context, chat string, r bot.Reply) error {
	s.mu.Lock()
	s.tries[r.Text] = append(s.tries[r.Text], time.Now())
	try := len(s.tries[r.Text])
	s.mu.Unlock()
	if s.fail != nil {
		if err := s.fail(r.Text, try); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.sent[chat] = append(s.sent[chat], r.Text)
	s.mu.Unlock()
	return nil
}

func (s *fakeSender) count() (n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, texts := range s.sent {
		n += len(texts)
	}
	return n
}

func (s *fakeSender) triesOf(text string) []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tries[text])
}

func (s *fakeSender) sentTo(chat string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent[chat])
}

func put(t *testing.T, db *storage.DB, chat string, texts ...string) {
	t.Helper()
	for _, text := range texts {
		body, _ := json.Marshal(bot.Reply{Text: text})
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			return tx.Enqueue(bot.ChannelTelegram, chat, string(body), db.Now().UnixMilli(), false)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// row is the outcome of an outbox row, found by its text.
type row struct {
	Attempts  int    `db:"attempts"`
	Sent      bool   `db:"sent"`
	Failed    bool   `db:"failed"`
	LastError string `db:"last_error"`
}

func rowOf(t *testing.T, db *storage.DB, text string) row {
	t.Helper()
	body, _ := json.Marshal(bot.Reply{Text: text})
	var r row
	err := db.Get(&r, db.Rebind(`SELECT attempts, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed, COALESCE(last_error, '') AS last_error FROM outbox WHERE body = ?`), string(body))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var fast = bot.Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100}

// startDispatcher runs a dispatcher with quick retries until the test ends.
func startDispatcher(t *testing.T, db *storage.DB, s bot.Sender) *bot.Dispatcher {
	d := &bot.Dispatcher{
		DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Poll: 20 * time.Millisecond, MaxAttempts: 3,
		Backoff: func(int) time.Duration { return 50 * time.Millisecond },
	}
	d.Register(bot.ChannelTelegram, s, fast)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return d
}

func texts(chat string, n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("%s-%02d", chat, i))
	}
	return out
}

func TestDispatcher(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		t.Run("the messages of a chat go out in order and every chat is served", func(t *testing.T) {
			s := newFakeSender(func(string, int) error { time.Sleep(time.Millisecond); return nil })
			for _, chat := range []string{"a", "b", "c"} {
				put(t, db, chat, texts(chat, 6)...)
			}
			startDispatcher(t, db, s)
			eventually(t, 5*time.Second, "18 messages sent", func() bool { return s.count() == 18 })
			for _, chat := range []string{"a", "b", "c"} {
				if got := s.sentTo(chat); !slices.Equal(got, texts(chat, 6)) {
					t.Errorf("chat %s got %v", chat, got)
				}
				// The send returns before its row is marked: wait for the mark.
				eventually(t, 5*time.Second, "row "+chat+"-06 marked sent", func() bool { return rowOf(t, db, chat+"-06").Sent })
				if r := rowOf(t, db, chat+"-06"); r.Attempts != 1 {
					t.Errorf("row %s-06 = %+v, want sent after one attempt", chat, r)
				}
			}
		})

		t.Run("a throttled message waits for retry_after and holds back only its chat", func(t *testing.T) {
			s := newFakeSender(func(text string, try int) error {
				if text == "d1" && try == 1 {
					return &bot.ErrThrottled{RetryAfter: 400 * time.Millisecond}
				}
				return nil
			})
			put(t, db, "d", "d1", "d2")
			put(t, db, "e", "e1", "e2")
			startDispatcher(t, db, s)
			eventually(t, 5*time.Second, "4 messages sent", func() bool { return s.count() == 4 })
			tries := s.triesOf("d1")
			if len(tries) != 2 || tries[1].Sub(tries[0]) < 400*time.Millisecond {
				t.Errorf("d1 tried at %v, want twice, 400ms apart", tries)
			}
			if got := s.sentTo("d"); !slices.Equal(got, []string{"d1", "d2"}) {
				t.Errorf("chat d got %v, want d1 before d2", got)
			}
			if e2 := s.triesOf("e2"); len(e2) != 1 || !e2[0].Before(tries[1]) {
				t.Errorf("e2 went out at %v, not before the retry of d1 at %v", e2, tries[1])
			}
			if r := rowOf(t, db, "d1"); !r.Sent || r.Attempts != 1 {
				t.Errorf("d1 = %+v, want sent, the throttled try not counted", r)
			}
		})

		t.Run("an unreachable platform is retried with backoff and given up after the last attempt", func(t *testing.T) {
			s := newFakeSender(func(text string, try int) error {
				if text == "f1" {
					return fmt.Errorf("telegram: 502 bad gateway: %w", bot.ErrUnreachable)
				}
				return nil
			})
			put(t, db, "f", "f1", "f2")
			startDispatcher(t, db, s)
			eventually(t, 5*time.Second, "f1 given up", func() bool { return rowOf(t, db, "f1").Failed })
			tries := s.triesOf("f1")
			if len(tries) != 3 {
				t.Fatalf("f1 tried %d times, want 3", len(tries))
			}
			for i := 1; i < len(tries); i++ {
				if gap := tries[i].Sub(tries[i-1]); gap < 50*time.Millisecond {
					t.Errorf("try %d came %s after the one before, want at least the 50ms backoff", i+1, gap)
				}
			}
			if r := rowOf(t, db, "f1"); r.Attempts != 3 || !strings.Contains(r.LastError, "502 bad gateway") {
				t.Errorf("f1 = %+v, want 3 attempts and the last error", r)
			}
			eventually(t, 5*time.Second, "f2 sent after f1 was given up", func() bool { return rowOf(t, db, "f2").Sent })
		})

		t.Run("a chat that blocked the bot is marked failed and never tried again", func(t *testing.T) {
			s := newFakeSender(func(text string, try int) error {
				if text == "g1" {
					return fmt.Errorf("telegram: Forbidden: bot was blocked by the user: %w", bot.ErrStopped)
				}
				return nil
			})
			put(t, db, "g", "g1")
			startDispatcher(t, db, s)
			eventually(t, 5*time.Second, "g1 failed", func() bool { return rowOf(t, db, "g1").Failed })
			time.Sleep(200 * time.Millisecond)
			if n := len(s.triesOf("g1")); n != 1 {
				t.Errorf("g1 tried %d times, want once", n)
			}
			if r := rowOf(t, db, "g1"); r.Sent || !strings.Contains(r.LastError, "blocked") {
				t.Errorf("g1 = %+v, want failed with the reason", r)
			}
		})

		t.Run("a message the platform refuses is given up at once", func(t *testing.T) {
			s := newFakeSender(func(text string, try int) error {
				if text == "h1" {
					return fmt.Errorf("telegram: message is too long: %w", bot.ErrBadRequest)
				}
				return nil
			})
			put(t, db, "h", "h1")
			startDispatcher(t, db, s)
			eventually(t, 5*time.Second, "h1 failed", func() bool { return rowOf(t, db, "h1").Failed })
			if n := len(s.triesOf("h1")); n != 1 {
				t.Errorf("h1 tried %d times, want once", n)
			}
		})

		t.Run("a nudge sends a new message without waiting for the next poll", func(t *testing.T) {
			s := newFakeSender(nil)
			d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: time.Hour}
			d.Register(bot.ChannelTelegram, s, fast)
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { d.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			time.Sleep(50 * time.Millisecond) // the first look at the outbox has passed
			put(t, db, "i", "i1")
			start := time.Now()
			d.Notify()
			eventually(t, time.Second, "i1 sent", func() bool { return len(s.sentTo("i")) == 1 })
			if took := time.Since(start); took > 500*time.Millisecond {
				t.Errorf("i1 took %s after the nudge", took)
			}
		})
	})
}

func TestTwoDispatchersOnOneDatabaseNeverSendAMessageTwice(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			dbs := [2]*storage.DB{storagetest.Open(t, u), storagetest.Open(t, u)}
			const chats, each = 12, 8
			for c := range chats {
				put(t, dbs[0], fmt.Sprint("chat", c), texts(fmt.Sprint("chat", c), each)...)
			}
			// One sender shared by both, so a message sent by either is seen once or twice.
			s := newFakeSender(func(string, int) error { time.Sleep(time.Millisecond); return nil })
			startDispatcher(t, dbs[0], s)
			startDispatcher(t, dbs[1], s)
			eventually(t, 20*time.Second, "every message sent", func() bool { return s.count() >= chats*each })
			time.Sleep(100 * time.Millisecond)
			if n := s.count(); n != chats*each {
				t.Errorf("%d messages sent, want %d: some went twice", n, chats*each)
			}
			for c := range chats {
				chat := fmt.Sprint("chat", c)
				if got := s.sentTo(chat); !slices.Equal(got, texts(chat, each)) {
					t.Errorf("%s got %v", chat, got)
				}
			}
		})
	}
}

// Limits that hold messages longer than their lease (WhatsApp's 20 a minute, a burst of
// digests): a message waits for them only within its lease, and is otherwise put back, due
// when they allow it. Waiting past the lease, it could be claimed and sent by another replica
// too.
func TestMessagesHeldByTheRateLimitsAreNeverSentTwice(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			u := url(t)
			const chats = 12
			s := newFakeSender(nil)
			slow := bot.Limits{PerSecond: 4, Burst: 1, PerChat: 4, PerChatBurst: 1}
			for i := range 2 {
				db := storagetest.Open(t, u)
				if i == 0 {
					for c := range chats {
						put(t, db, fmt.Sprint("chat", c), fmt.Sprint("msg", c))
					}
				}
				d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 10 * time.Millisecond, Lease: 300 * time.Millisecond}
				d.Register(bot.ChannelTelegram, s, slow)
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan struct{})
				go func() { d.Run(ctx); close(done) }()
				t.Cleanup(func() { cancel(); <-done })
			}
			eventually(t, 20*time.Second, "every message sent", func() bool { return s.count() >= chats })
			time.Sleep(200 * time.Millisecond)
			if n := s.count(); n != chats {
				t.Errorf("%d messages sent, want %d: some went twice", n, chats)
			}
		})
	}
}

// blockingSender is a platform that takes its time: a send returns when released, or fails
// when its context ends first, as an HTTP request does.
type blockingSender struct{ started, release chan struct{} }

func (s blockingSender) Send(ctx context.Context, chat string, r bot.Reply) error {
	close(s.started)
	select {
	case <-s.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A send under way when shutdown begins finishes and is recorded: cut off, it may have
// reached the platform all the same, and would go again after the restart.
func TestASendUnderWayAtShutdownFinishesAndIsRecorded(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		put(t, db, "c", "kata terakhir")
		s := blockingSender{make(chan struct{}), make(chan struct{})}
		d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 10 * time.Millisecond}
		d.Register(bot.ChannelTelegram, s, fast)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		<-s.started
		cancel()
		time.Sleep(20 * time.Millisecond)
		close(s.release)
		<-done
		if r := rowOf(t, db, "kata terakhir"); !r.Sent {
			t.Errorf("the message sent during shutdown: %+v, want it recorded as sent", r)
		}
	})
}

func TestAnUnregisteredChannelIsNoLongerSent(t *testing.T) {
	db := storagetest.SQLite(t)
	ctx := context.Background()
	if err := db.InTx(ctx, func(tx *storage.Tx) error { return tx.Enqueue("x", "1", `{"text":"a"}`, 0, false) }); err != nil {
		t.Fatal(err)
	}
	d := &bot.Dispatcher{DB: db, Poll: 5 * time.Millisecond}
	s := newFakeSender(nil)
	d.Register("x", s, bot.Limits{PerSecond: 100, PerChat: 100})
	d.Unregister("x")
	runCtx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	d.Run(runCtx)
	if n := s.count(); n != 0 {
		t.Errorf("%d messages sent on an unregistered channel", n)
	}
	d.Register("x", s, bot.Limits{PerSecond: 100, PerChat: 100})
	runCtx, cancel = context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	d.Run(runCtx)
	if n := s.count(); n != 1 {
		t.Errorf("%d messages sent once registered again, want 1", n)
	}
}

// A message its dispatcher holds back for the rate limits (one a second per chat on
// Telegram) is claimed but not yet on its way: meanwhile it counts as unseen, so that a typed
// answer is not taken for the question it asks (storage.Outgoing.Waiting).
func TestAMessageHeldForTheRateLimitsCountsAsUnseen(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newFakeSender(nil)
		d := &bot.Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 10 * time.Millisecond, Lease: 20 * time.Second}
		d.Register(bot.ChannelTelegram, s, bot.Limits{PerSecond: 100, Burst: 10, PerChat: 0.5, PerChatBurst: 1})
		put(t, db, "c1", "first", "second")
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		newest := func() storage.Outgoing {
			var ms []storage.Outgoing
			err := db.InTx(context.Background(), func(tx *storage.Tx) error {
				var err error
				ms, err = tx.RecentOutgoing(bot.ChannelTelegram, "c1", db.Now().UnixMilli())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) == 0 {
				return storage.Outgoing{}
			}
			return ms[0]
		}
		eventually(t, 5*time.Second, "the first sent", func() bool { return s.count() == 1 })
		eventually(t, 5*time.Second, "the second claimed, and due when the rate limit allows", func() bool {
			var held int
			if err := db.Get(&held, db.Rebind("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND claimed_until IS NOT NULL AND next_at > ?"), db.Now().UnixMilli()); err != nil {
				t.Fatal(err)
			}
			return held == 1
		})
		if m := newest(); !m.Waiting || !strings.Contains(m.Body, "second") {
			t.Errorf("the second message, claimed and held for the rate limit: %+v, want it waiting", m)
		}
		eventually(t, 5*time.Second, "the second sent", func() bool { return s.count() == 2 })
	})
}
