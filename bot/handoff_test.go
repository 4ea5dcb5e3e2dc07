package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// recorder is a Sender that records what it sends, and fails the first try of the texts in
// failOnce as an unreachable platform.
type recorder struct {
	mu       sync.Mutex
	sent     map[string][]string
	failOnce map[string]bool
}

func (r *recorder) Send(_ context.Context, chat string, m Reply) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failOnce[m.Text] {
		delete(r.failOnce, m.Text)
		return ErrUnreachable
	}
	r.sent[chat] = append(r.sent[chat], m.Text)
	return nil
}

func (r *recorder) to(chat string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.sent[chat])
}

// handingOff runs a dispatcher for the Telegram channel until the test ends, and an engine
// that hands it the replies of its batches.
func handingOff(t *testing.T, db *storage.DB, poll time.Duration, failOnce ...string) (*Engine, *Dispatcher, *recorder) {
	r := &recorder{sent: map[string][]string{}, failOnce: map[string]bool{}}
	for _, text := range failOnce {
		r.failOnce[text] = true
	}
	d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: poll,
		Backoff: func(int) time.Duration { return 50 * time.Millisecond }}
	t.Cleanup(runDispatcher(t, d, r, unlimited))
	return engineFor(db, d), d, r
}

// engineFor is a batching engine that hands the replies of its batches to d.
func engineFor(db *storage.DB, d *Dispatcher) *Engine {
	e := newBatchEngine(db)
	e.Dispatch = d
	return e
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %s", what)
		}
	}
}

func unsent(t *testing.T, db *storage.DB) int {
	t.Helper()
	var n int
	if err := db.Get(&n, `SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL`); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestABatchHandsItsRepliesToTheDispatcher(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		// The dispatcher looks at the outbox once, as it starts: whatever it sends after
		// that, it was handed.
		e, _, r := handingOff(t, db, time.Hour)
		batch := []*batchJob{job("a", "e1", "a1", nil), job("b", "e2", "b1", nil), job("a", "e3", "a2", nil)}
		e.runBatch(batch)
		waitFor(t, "every reply sent and recorded", func() bool {
			return slices.Equal(r.to("a"), []string{"a1", "a2"}) && slices.Equal(r.to("b"), []string{"b1"}) && unsent(t, db) == 0
		})
		// The next message of a chat whose reply is delivered is handed over too.
		e.runBatch([]*batchJob{job("a", "e4", "a3", nil)})
		waitFor(t, "a's next reply sent", func() bool { return slices.Equal(r.to("a"), []string{"a1", "a2", "a3"}) })
	})
}

func TestAHandedMessageThatCannotGoHoldsItsChatBack(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e, _, r := handingOff(t, db, 20*time.Millisecond, "a1")
		e.runBatch([]*batchJob{job("a", "e1", "a1", nil), job("a", "e2", "a2", nil), job("b", "e3", "b1", nil)})
		waitFor(t, "b's reply sent", func() bool { return slices.Equal(r.to("b"), []string{"b1"}) })
		// a1 waits to be tried again; a reply written meanwhile goes after it.
		e.runBatch([]*batchJob{job("a", "e4", "a3", nil)})
		waitFor(t, "a's replies sent, a1 again first", func() bool { return len(r.to("a")) == 3 })
		if got := r.to("a"); !slices.Equal(got, []string{"a1", "a2", "a3"}) {
			t.Errorf("chat a got %q, want its order kept", got)
		}
		waitFor(t, "every reply recorded", func() bool { return unsent(t, db) == 0 })
	})
}

// turnstile is a Sender that lets one send through at a time, when the test says so, and
// tells the test which send waits.
type turnstile struct {
	waiting chan string
	pass    chan struct{}
}

func (ts *turnstile) Send(ctx context.Context, _ string, m Reply) error {
	ts.waiting <- m.Text
	select {
	case <-ts.pass:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// A chat's second message written in one batch, by the step of its first (a survey's opening:
// the introduction, then the first question) or by the chat's next step, is not claimed with
// the first: until the first is sent, it is not being sent, and counts as not seen
// (Outgoing.Waiting), as it did when every message waited for a claim.
func TestASecondReplyWaitsUnseenWhileTheFirstIsSent(t *testing.T) {
	twoReplies := func(s *step) error {
		s.replies = append(s.replies, Reply{Text: "q1"}, Reply{Text: "q2"})
		return nil
	}
	for name, batch := range map[string]func() []*batchJob{
		"one step":  func() []*batchJob { return []*batchJob{job("c", "e1", "", twoReplies)} },
		"two steps": func() []*batchJob { return []*batchJob{job("c", "e1", "q1", nil), job("c", "e2", "q2", nil)} },
	} {
		t.Run(name, func(t *testing.T) { secondReplyWaitsUnseen(t, batch) })
	}
}

func secondReplyWaitsUnseen(t *testing.T, batch func() []*batchJob) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ts := &turnstile{waiting: make(chan string), pass: make(chan struct{})}
		d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: time.Hour}
		stop := runDispatcher(t, d, ts, unlimited)
		defer stop()
		e := engineFor(db, d)
		e.runBatch(batch())
		waiting := func() []string {
			t.Helper()
			var ms []storage.Outgoing
			err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
				ms, err = tx.RecentOutgoing(ChannelTelegram, "c", db.Now().UnixMilli())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range ms {
				var r Reply
				if err := json.Unmarshal([]byte(m.Body), &r); err != nil {
					t.Fatal(err)
				}
				if m.Waiting {
					out = append(out, r.Text)
				}
			}
			return out
		}
		for _, want := range []struct {
			sending string
			waiting []string
		}{
			{"q1", []string{"q2"}},
			{"q2", nil},
		} {
			select {
			case got := <-ts.waiting:
				if got != want.sending {
					t.Fatalf("sending %q, want %q", got, want.sending)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("after 10 s, %s is not being sent", want.sending)
			}
			if got := waiting(); !slices.Equal(got, want.waiting) {
				t.Errorf("while %s is being sent, waiting %q; want %q", want.sending, got, want.waiting)
			}
			ts.pass <- struct{}{}
		}
		waitFor(t, "both recorded sent", func() bool { return unsent(t, db) == 0 })
	})
}

// gate is a Sender that holds every send until the test opens it, and counts the sends under
// way at once.
type gate struct {
	open          chan struct{}
	once          sync.Once
	mu            sync.Mutex
	now, most, in int
}

var unlimited = Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100}

// runDispatcher runs d for Telegram through s; stop ends it.
func runDispatcher(t *testing.T, d *Dispatcher, s Sender, l Limits) (stop func()) {
	t.Helper()
	d.Register(ChannelTelegram, s, l)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	for !d.Sends(ChannelTelegram) {
		time.Sleep(time.Millisecond)
	}
	return func() { cancel(); <-done }
}

func (g *gate) Send(context.Context, string, Reply) error {
	g.mu.Lock()
	g.now++
	g.in++
	g.most = max(g.most, g.now)
	g.mu.Unlock()
	<-g.open
	g.mu.Lock()
	g.now--
	g.mu.Unlock()
	return nil
}

// release lets every send through, once.
func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func (g *gate) counts() (in, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.in, g.most
}

// threeSendingSevenWaiting runs a dispatcher of Concurrency 3 whose sends wait at a gate, and
// hands it the replies of ten chats (a1…j1): three being sent, seven waiting for a slot.
func threeSendingSevenWaiting(t *testing.T, db *storage.DB) (*gate, *Dispatcher) {
	t.Helper()
	g := &gate{open: make(chan struct{})}
	d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: time.Hour, Concurrency: 3}
	stop := runDispatcher(t, d, g, unlimited)
	t.Cleanup(func() { g.release(); stop() })
	var batch []*batchJob
	for i := range 10 {
		c := string(rune('a' + i))
		batch = append(batch, job(c, "e"+c, c+"1", nil))
	}
	engineFor(db, d).runBatch(batch)
	waitFor(t, "three sends under way", func() bool { in, _ := g.counts(); return in >= 3 })
	return g, d
}

// A replica that dies may send again what it was sending and had not recorded: handed
// messages count towards Concurrency as claimed ones do.
func TestHandedMessagesKeepToTheDispatchersConcurrency(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		g, _ := threeSendingSevenWaiting(t, db)
		time.Sleep(50 * time.Millisecond) // room for a fourth, if it were let through
		if in, _ := g.counts(); in != 3 {
			t.Fatalf("%d sends started, want the dispatcher's 3", in)
		}
		g.release()
		waitFor(t, "every reply sent and recorded", func() bool { in, _ := g.counts(); return in == 10 && unsent(t, db) == 0 })
		if _, most := g.counts(); most > 3 {
			t.Errorf("%d sends at once, want at most 3", most)
		}
	})
}

// leaseChecker is a Sender that checks, as each send starts, that the message's claim has the
// time left that the dispatcher promises: half of the lease to send, a quarter to record it.
type leaseChecker struct {
	t     *testing.T
	db    *storage.DB
	lease time.Duration
	sleep map[string]time.Duration
	fail  map[string]bool // sent, then refused as by an unreachable platform
	mu    sync.Mutex
	sent  []string
	tried []string
}

func (c *leaseChecker) Send(ctx context.Context, _ string, r Reply) error {
	var until int64
	if err := c.db.Get(&until, c.db.Rebind(`SELECT claimed_until FROM outbox WHERE id = ?`), OutboxID(ctx)); err != nil {
		c.t.Error(err)
	}
	if left := time.UnixMilli(until).Sub(c.db.Now()); left < c.lease*3/4-50*time.Millisecond {
		c.t.Errorf("%s: a send started with %v of its %v lease left", r.Text, left.Round(time.Millisecond), c.lease)
	}
	time.Sleep(c.sleep[r.Text])
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tried = append(c.tried, r.Text)
	if c.fail[r.Text] {
		return ErrUnreachable
	}
	c.sent = append(c.sent, r.Text)
	return nil
}

func (c *leaseChecker) texts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sent)
}

// The waits before a send (for the chat's rate, for a slot) share one quarter of the lease:
// waited one after the other in full, the send could end after the lease, when another
// replica may claim the message and send it again.
func TestEveryWaitBeforeASendEndsWithinAQuarterOfTheLease(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		const lease = 2 * time.Second
		c := &leaseChecker{t: t, db: db, lease: lease, sleep: map[string]time.Duration{"x1": 700 * time.Millisecond}}
		d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: 20 * time.Millisecond,
			Lease: lease, Concurrency: 1}
		stop := runDispatcher(t, d, c, Limits{PerSecond: 1000, Burst: 100, PerChat: 2.5, PerChatBurst: 1})
		defer stop()
		e := engineFor(db, d)
		e.runBatch([]*batchJob{job("y", "e1", "y0", nil)}) // chat y's one token for 0.4 s
		waitFor(t, "y0 sent and recorded", func() bool { return len(c.texts()) == 1 && unsent(t, db) == 0 })
		e.runBatch([]*batchJob{job("x", "e2", "x1", nil)}) // the one slot, for 0.7 s
		// y1 waits for chat y's rate, then for the slot: past a quarter of its lease in all.
		e.runBatch([]*batchJob{job("y", "e3", "y1", nil)})
		waitFor(t, "every reply sent and recorded", func() bool { return len(c.texts()) == 3 && unsent(t, db) == 0 })
		if got := c.texts(); !slices.Equal(got, []string{"y0", "x1", "y1"}) {
			t.Errorf("sent %q", got)
		}
	})
}

// Once shutdown begins, a message waiting for a slot is not sent, not even when the slot comes
// free: shutdown waits for the sends under way only.
func TestShutdownStartsNoNewSends(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		// Each send takes 100 ms and fails, which frees its slot at once: the first holds
		// the one slot as shutdown begins.
		c := &leaseChecker{t: t, db: db, lease: 30 * time.Second, sleep: map[string]time.Duration{}, fail: map[string]bool{}}
		var batch []*batchJob
		for i := range 10 {
			text := fmt.Sprintf("m%d", i)
			c.sleep[text], c.fail[text] = 100*time.Millisecond, true
			batch = append(batch, job(text, "e"+text, text, nil))
		}
		d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: time.Hour, Concurrency: 1}
		stop := runDispatcher(t, d, c, unlimited)
		e := engineFor(db, d)
		e.runBatch(batch)
		time.Sleep(50 * time.Millisecond) // one under way, the others waiting for the slot
		stop()
		c.mu.Lock()
		tried := slices.Clone(c.tried)
		c.mu.Unlock()
		if len(tried) != 1 {
			t.Errorf("tried %q, want only the one under way as shutdown began", tried)
		}
		if n := unsent(t, db); n != 10 {
			t.Errorf("%d messages unsent after shutdown, want all 10", n)
		}
	})
}
