package bot

import (
	"context"
	"encoding/json"
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
	d.Register(ChannelTelegram, r, Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for !d.Sends(ChannelTelegram) {
		time.Sleep(time.Millisecond)
	}
	e := newBatchEngine(db)
	e.Dispatch = d
	return e, d, r
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
		e, d, r := handingOff(t, db, 20*time.Millisecond, "a1")
		e.runBatch([]*batchJob{job("a", "e1", "a1", nil), job("a", "e2", "a2", nil), job("b", "e3", "b1", nil)})
		waitFor(t, "b's reply sent", func() bool { return slices.Equal(r.to("b"), []string{"b1"}) })

		// A batch that counted on a1 and a2 being in hand, committed after a1 failed: its
		// message is not sent ahead of them.
		var ids []int64
		if err := db.Select(&ids, db.Rebind(`SELECT id FROM outbox WHERE chat_id = ?`), "a"); err != nil {
			t.Fatal(err)
		}
		var claimed []storage.OutboxMessage
		body, _ := json.Marshal(Reply{Text: "a3"})
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			w := tx.Batch()
			w.ClaimFor(inHand{d, ids})
			w.BeginStep(storage.ChatRef{Channel: ChannelTelegram, ChatID: "a"}, storage.InboundEvent{})
			if err := tx.Enqueue(ChannelTelegram, "a", string(body), db.Now().UnixMilli(), false); err != nil {
				return err
			}
			if err := w.EndStep(true); err != nil {
				return err
			}
			if err := w.Flush(); err != nil {
				return err
			}
			claimed = w.Claimed()
			return nil
		})
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claimed %v, %v; want a3", claimed, err)
		}
		d.Hand(claimed)
		waitFor(t, "a's replies sent, a1 again first", func() bool { return len(r.to("a")) == 3 })
		if got := r.to("a"); !slices.Equal(got, []string{"a1", "a2", "a3"}) {
			t.Errorf("chat a got %q, want its order kept", got)
		}
		waitFor(t, "every reply recorded", func() bool { return unsent(t, db) == 0 })
	})
}

// inHand is a Claimer that says it has ids in hand.
type inHand struct {
	*Dispatcher
	ids []int64
}

func (h inHand) InHand() []int64 { return h.ids }

// gate is a Sender that holds every send until the test opens it, and counts the sends under
// way at once.
type gate struct {
	open          chan struct{}
	mu            sync.Mutex
	now, most, in int
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

func (g *gate) counts() (in, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.in, g.most
}

// A replica that dies may send again what it was sending and had not recorded: handed
// messages count towards Concurrency as claimed ones do.
func TestHandedMessagesKeepToTheDispatchersConcurrency(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		g := &gate{open: make(chan struct{})}
		d := &Dispatcher{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Poll: time.Hour, Concurrency: 3}
		d.Register(ChannelTelegram, g, Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		var opened sync.Once
		open := func() { opened.Do(func() { close(g.open) }) }
		defer func() { open(); cancel(); <-done }()
		for !d.Sends(ChannelTelegram) {
			time.Sleep(time.Millisecond)
		}
		e := newBatchEngine(db)
		e.Dispatch = d
		var batch []*batchJob
		for i := range 10 {
			c := string(rune('a' + i))
			batch = append(batch, job(c, "e"+c, c+"1", nil))
		}
		e.runBatch(batch)
		waitFor(t, "three sends under way", func() bool { in, _ := g.counts(); return in >= 3 })
		time.Sleep(50 * time.Millisecond) // room for a fourth, if it were let through
		if in, _ := g.counts(); in != 3 {
			t.Fatalf("%d sends started, want the dispatcher's 3", in)
		}
		open()
		waitFor(t, "every reply sent and recorded", func() bool { in, _ := g.counts(); return in == 10 && unsent(t, db) == 0 })
		if _, most := g.counts(); most > 3 {
			t.Errorf("%d sends at once, want at most 3", most)
		}
	})
}
