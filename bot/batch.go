package bot

import (
	"context"
	"fmt"
	"sync"
	"time"

	"sukma/storage"
)

// Batching is the engine's group commit: the steps of messages that arrive while other
// steps are being written are run together in one transaction, with a few statements for all
// of them (storage.WriteBatch), and their callers return once it has committed. Nothing changes for a caller: its answer is
// committed before Handle returns, a redelivered event counts once, a step that fails rolls
// back alone and is run again in a transaction of its own.
//
// Batches never share a chat: the messages of a chat queued behind a running batch wait for
// it, then go in arrival order in the next one, so the order of a chat is its arrival order
// and two batches never wait for each other's session locks.
type Batching struct {
	// Max is the most steps in one transaction; 0 or 1 turns batching off (one transaction
	// per message). A step that runs statements of its own (opening or completing a survey)
	// takes a savepoint: PostgreSQL tracks 64 subtransactions per transaction cheaply, and
	// the built-in survey has two such steps in 17.
	Max int
	// Workers is how many batches run at once (default 1): on PostgreSQL a few, so that
	// one batch's round trips overlap another's; on SQLite 1, its one writer.
	Workers int
	// Wait is how long a batch that is not full waits for more steps before it starts
	// (default 0: it takes what is queued, which under load is plenty).
	Wait time.Duration
}

// batchState is the queue of the group commit.
type batchState struct {
	mu      sync.Mutex
	queue   []*batchJob
	running int
	busy    map[string]bool // chats of the running batches
}

type batchJob struct {
	ctx   context.Context
	in    Inbound
	fn    func(*step) error
	s     *step
	err   error
	again bool // run alone after the batch
	done  chan struct{}
}

func chatKey(in Inbound) string { return in.Channel + "\x00" + in.ChatID }

// enqueue queues a step for e's batches, starting a worker if fewer than Workers run.
func (e *Engine) enqueue(ctx context.Context, in Inbound, fn func(*step) error) ([]Reply, error) {
	j := &batchJob{ctx: ctx, in: in, fn: fn, done: make(chan struct{})}
	b := &e.batch
	b.mu.Lock()
	b.queue = append(b.queue, j)
	if b.running < max(e.Batch.Workers, 1) {
		b.running++
		go e.work()
	}
	b.mu.Unlock()
	<-j.done // not ctx.Done: the step may be in a transaction that is about to commit
	if j.err != nil {
		return nil, j.err
	}
	if j.s.oldButton {
		return nil, j.s.oldButtonErr()
	}
	return j.s.out(), nil
}

// work runs batches while there are steps it may take, then ends.
func (e *Engine) work() {
	b := &e.batch
	var batch []*batchJob
	for {
		if e.Batch.Wait > 0 {
			b.mu.Lock()
			short := len(b.queue) < e.Batch.Max
			b.mu.Unlock()
			if short {
				time.Sleep(e.Batch.Wait)
			}
		}
		b.mu.Lock()
		for _, j := range batch {
			delete(b.busy, chatKey(j.in))
		}
		batch = e.take(batch[:0])
		if len(batch) == 0 {
			b.running--
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		e.runBatch(batch)
	}
}

// take moves up to Max queued steps into batch, in arrival order, skipping the chats of other
// running batches (and every later message of a skipped chat). b.mu is held.
func (e *Engine) take(batch []*batchJob) []*batchJob {
	b := &e.batch
	if b.busy == nil {
		b.busy = map[string]bool{}
	}
	skipped := map[string]bool{}
	rest := b.queue[:0]
	for _, j := range b.queue {
		k := chatKey(j.in)
		if len(batch) >= e.Batch.Max || skipped[k] || (b.busy[k] && !inBatch(batch, k)) {
			skipped[k] = true
			rest = append(rest, j)
			continue
		}
		b.busy[k] = true
		batch = append(batch, j)
	}
	clear(b.queue[len(rest):])
	b.queue = rest
	return batch
}

func inBatch(batch []*batchJob, k string) bool {
	for _, j := range batch {
		if chatKey(j.in) == k {
			return true
		}
	}
	return false
}

// runBatch runs the steps of a batch in one transaction, through a storage.WriteBatch: the
// events and the sessions of all its chats are recorded and read in one statement each, and
// the steps' answers, positions and replies written in one statement each after them. A step
// that fails is undone alone, and it and the later steps of its chat are run again after the
// commit, each in a transaction of its own and in order.
func (e *Engine) runBatch(batch []*batchJob) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	committing := false
	var claimed []storage.OutboxMessage
	var queued []storage.ChatRef
	err := e.DB.InTx(ctx, func(tx *storage.Tx) error {
		w := tx.Batch()
		if d := e.Dispatch; d != nil {
			w.ClaimFor(d)
		}
		var run []*batchJob
		var events []storage.InboundEvent
		var chats []storage.ChatRef
		for _, j := range batch {
			j.s, j.err, j.again = e.newStep(j.in), nil, false
			if err := j.ctx.Err(); err != nil {
				j.err = fmt.Errorf("bot: %s chat: %w", j.in.Channel, err)
				continue
			}
			run = append(run, j)
			chats = append(chats, storage.ChatRef{Channel: j.in.Channel, ChatID: j.in.ChatID})
			if j.in.EventID != "" {
				events = append(events, storage.InboundEvent{Channel: j.in.Channel, EventID: j.in.EventID, At: j.s.now})
			}
		}
		first, err := w.RecordEvents(events)
		if err != nil {
			return err
		}
		if err := w.LockSessions(chats); err != nil {
			return err
		}
		failedChat := map[string]bool{}
		for _, j := range run {
			var event storage.InboundEvent
			if j.in.EventID != "" {
				isNew := first[0]
				event, events, first = events[0], events[1:], first[1:]
				if !isNew {
					continue // a redelivery: no replies, nothing written
				}
				j.s.recorded = true
			}
			k := chatKey(j.in)
			if failedChat[k] {
				// After a failed step of its chat: not run, and its event forgotten.
				w.BeginStep(storage.ChatRef{Channel: j.in.Channel, ChatID: j.in.ChatID}, event)
				j.again = true
				if err := w.EndStep(false); err != nil {
					return err
				}
				continue
			}
			w.BeginStep(storage.ChatRef{Channel: j.in.Channel, ChatID: j.in.ChatID}, event)
			err := runRecovered(tx, j)
			if err := w.EndStep(err == nil); err != nil {
				return err
			}
			if err != nil {
				failedChat[k] = true
				j.again = j.err == nil // a step that panicked is not tried again
			}
		}
		if err := w.Flush(); err != nil {
			return err
		}
		claimed, queued = w.Claimed(), tx.Queued()
		committing = true
		metricBatchSteps.Observe(float64(len(run)))
		return nil
	})
	if d := e.Dispatch; d != nil && err == nil {
		d.Hand(claimed)
		d.Queued(queued)
	}
	for _, j := range batch {
		switch {
		case j.again, err != nil && !committing && j.err == nil:
			// Nothing of it was written: it runs alone, after the earlier steps of its chat.
			var replies []Reply
			replies, j.err = e.runAlone(j.ctx, j.in, j.fn)
			j.s = &step{replies: replies}
		case j.err != nil: // cancelled before it ran, or panicked
		case err != nil:
			// The commit failed, and perhaps did not: the caller hears of it as without
			// batching, and a redelivered event still counts once.
			j.err = fmt.Errorf("bot: %s chat: %w", j.in.Channel, err)
		default:
			j.s.committed()
		}
		close(j.done)
	}
}

// runRecovered runs a job's step in tx. A panic fails the step alone (as before batching it
// failed only its own HTTP request), not the process; j.err says so.
func runRecovered(tx *storage.Tx, j *batchJob) (err error) {
	defer func() {
		if r := recover(); r != nil {
			j.err = fmt.Errorf("bot: %s chat: panic in a step: %v", j.in.Channel, r)
			err = j.err
		}
	}()
	return j.s.run(tx, j.fn)
}
