package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// job makes a queued step of chat that answers text, or runs fn if not nil.
func job(chat, event, text string, fn func(*step) error) *batchJob {
	if fn == nil {
		fn = func(s *step) error {
			s.replies = append(s.replies, Reply{Text: text})
			return nil
		}
	}
	in := Inbound{Channel: ChannelTelegram, ChatID: chat, UserID: chat, EventID: event, Time: time.UnixMilli(1_700_000_000_000)}
	return &batchJob{ctx: context.Background(), in: in, fn: fn, done: make(chan struct{})}
}

func newBatchEngine(db *storage.DB) *Engine {
	return &Engine{DB: db, Secret: []byte("k"), Location: time.UTC, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Batch: Batching{Max: 16, Workers: 2}}
}

func transcript(t *testing.T, e *Engine, chat string) []string {
	t.Helper()
	rs, err := e.Transcript(context.Background(), ChannelTelegram, chat)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, r := range rs {
		texts = append(texts, r.Text)
	}
	return texts
}

func TestBatchFailingStepRollsBackAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newBatchEngine(db)
		var tries atomic.Int32
		// b1 writes, then fails on a broken statement (which aborts a PostgreSQL transaction
		// up to the savepoint) the first time, and succeeds alone; c1 always fails.
		flaky := func(s *step) error {
			if err := s.tx.Enqueue(ChannelTelegram, "b", `{"text":"junk"}`, s.now, false); err != nil {
				return err
			}
			if tries.Add(1) == 1 {
				_, err := s.tx.ExecContext(context.Background(), "SELECT * FROM no_such_table")
				return err
			}
			s.replies = append(s.replies, Reply{Text: "b1"})
			return nil
		}
		broken := func(*step) error { return errors.New("broken step") }
		batch := []*batchJob{job("a", "e1", "a1", nil), job("b", "e2", "", flaky), job("c", "e3", "", broken),
			job("a", "e4", "a2", nil), job("b", "e5", "b2", nil)}
		e.runBatch(batch)
		for i, j := range batch {
			<-j.done
			if (j.err != nil) != (i == 2) {
				t.Errorf("step %d: err = %v", i, j.err)
			}
		}
		if got := transcript(t, e, "a"); !slices.Equal(got, []string{"a1", "a2"}) {
			t.Errorf("chat a: %q", got)
		}
		// b1 ran again alone after the batch, and b2 after it: the chat's order holds.
		if got := transcript(t, e, "b"); !slices.Equal(got, []string{"junk", "b1", "b2"}) {
			t.Errorf("chat b: %q, want the junk and b1 of the second try, then b2", got)
		}
		if got := transcript(t, e, "c"); len(got) != 0 {
			t.Errorf("chat c: %q, want nothing", got)
		}
		// The failed step's event was rolled back with it, so a redelivery is handled.
		again := job("c", "e3", "c1", nil)
		e.runBatch([]*batchJob{again})
		if got := transcript(t, e, "c"); again.err != nil || !slices.Equal(got, []string{"c1"}) {
			t.Errorf("redelivered c1: err %v, transcript %q", again.err, got)
		}
	})
}

func TestBatchPanickingStepFailsAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newBatchEngine(db)
		boom := job("b", "e2", "", func(*step) error { panic("boom") })
		batch := []*batchJob{job("a", "e1", "a1", nil), boom, job("b", "e3", "b2", nil)}
		e.runBatch(batch)
		if batch[0].err != nil || batch[2].err != nil || boom.err == nil || !strings.Contains(boom.err.Error(), "boom") {
			t.Fatalf("errors %v, %v, %v; want only the panicking step's", batch[0].err, boom.err, batch[2].err)
		}
		if got := append(transcript(t, e, "a"), transcript(t, e, "b")...); !slices.Equal(got, []string{"a1", "b2"}) {
			t.Errorf("transcripts %q", got)
		}
	})
}

func TestBatchDuplicateEventCountsOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newBatchEngine(db)
		var runs atomic.Int32
		count := func(s *step) error {
			runs.Add(1)
			s.replies = append(s.replies, Reply{Text: "once"})
			return nil
		}
		first, dup := job("a", "e1", "", count), job("a", "e1", "", count)
		e.runBatch([]*batchJob{first, dup})
		if first.err != nil || dup.err != nil {
			t.Fatal(first.err, dup.err)
		}
		if runs.Load() != 1 || len(first.s.replies) != 1 || len(dup.s.replies) != 0 {
			t.Errorf("runs %d, replies %d and %d; want the event handled once", runs.Load(), len(first.s.replies), len(dup.s.replies))
		}
		if got := transcript(t, e, "a"); !slices.Equal(got, []string{"once"}) {
			t.Errorf("transcript %q", got)
		}
	})
}

// Ten messages of each of twenty chats queued at once, taken by two workers: every step
// commits, each chat's in its arrival order, and the queue ends empty.
func TestBatchOrderWithinChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newBatchEngine(db)
		const chats, per = 20, 10
		b := &e.batch
		b.mu.Lock() // hold the workers back so that the queue fills up
		var jobs []*batchJob
		for i := range per {
			for c := range chats {
				j := job(string(rune('A'+c)), "", string(rune('0'+i)), nil)
				jobs = append(jobs, j)
				b.queue = append(b.queue, j)
			}
		}
		b.running = 2
		go e.work()
		go e.work()
		b.mu.Unlock()
		for _, j := range jobs {
			<-j.done
			if j.err != nil {
				t.Fatal(j.err)
			}
		}
		for c := range chats {
			chat := string(rune('A' + c))
			if got := transcript(t, e, chat); len(got) != per || !slices.IsSorted(got) {
				t.Errorf("chat %s: %q, want 0…9 in order", chat, got)
			}
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		if b.running != 0 || len(b.queue) != 0 || len(b.busy) != 0 {
			t.Errorf("after the batches: %d running, %d queued, %d chats busy", b.running, len(b.queue), len(b.busy))
		}
	})
}

// Handle with batching on keeps its contract: the replies of the step, once committed.
func TestBatchHandle(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		e := newBatchEngine(db)
		done := make(chan error)
		for c := range 30 {
			go func() {
				in := Inbound{Channel: ChannelTelegram, ChatID: string(rune('a' + c)), UserID: "u", Text: "halo", EventID: string(rune('a' + c))}
				rs, err := e.Handle(context.Background(), in)
				if err == nil && len(rs) == 0 {
					err = errors.New("no reply")
				}
				done <- err
			}()
		}
		for range 30 {
			if err := <-done; err != nil {
				t.Fatal(err)
			}
		}
	})
}
