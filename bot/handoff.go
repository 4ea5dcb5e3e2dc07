package bot

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"sukma/storage"
)

// The hand-off: the engine's group commit claims the replies it writes for the dispatcher of
// its process (storage.WriteBatch.ClaimFor, with the dispatcher as storage.Claimer) and hands
// them over as it commits (Hand), so that a reply costs no claim of the dispatcher's own: no
// statement to find it, no update to lease it. As a claim does, it takes only a chat's oldest
// message still to send; the others are written unclaimed and go by a claim (Queued), as every
// message did before. The dispatcher sends each chat's messages, handed or claimed, through
// one queue of the chat (handedChat), one after the other.

// handedChat is what the dispatcher has of one chat: the messages not yet delivered, the first
// of them being sent; blocked means the chat has, or may have, more messages waiting for a
// claim once these are delivered.
type handedChat struct {
	queue   []handedMessage
	blocked bool
}

// handedMessage is a message the dispatcher has, and when its lease began.
type handedMessage struct {
	storage.OutboxMessage
	at time.Time
}

// Sends reports whether the dispatcher is running and sends the messages of a channel. It
// takes the replies a batch claims for it however many it has already: they wait for the
// rate limits as unseen (DelayOutbox), and for a slot (Concurrency) no longer than a send.
func (d *Dispatcher) Sends(channel string) bool {
	d.init()
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.run != nil && d.run.Err() == nil && d.channels[channel] != nil
}

// LeaseEnd is until when a message claimed now for the dispatcher is its own.
func (d *Dispatcher) LeaseEnd() time.Time {
	d.init()
	return d.DB.Now().Add(d.Lease)
}

// InHand returns the messages the dispatcher has delivered and not yet recorded sent: a
// chat's next message may be claimed for it as if they were recorded.
func (d *Dispatcher) InHand() []int64 {
	d.init()
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := make([]int64, 0, len(d.sent)+len(d.recording))
	return append(append(ids, d.sent...), d.recording...)
}

// Hand sends messages claimed for the dispatcher as they were written, each chat's in order.
// A message that cannot go now (the rate limits, the platform) is recorded as a claimed one
// is.
func (d *Dispatcher) Hand(ms []storage.OutboxMessage) {
	if len(ms) == 0 {
		return
	}
	d.init()
	var orphans []handedMessage
	d.mu.Lock()
	for _, m := range ms {
		c := d.channels[m.Channel]
		if d.run == nil || d.run.Err() != nil || c == nil {
			orphans = append(orphans, handedMessage{OutboxMessage: m})
			continue
		}
		d.take(c, m, false)
	}
	d.mu.Unlock()
	if len(orphans) > 0 {
		// Not to be sent from here after all (shutting down, the channel gone): released
		// for a claim, here or on another replica.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		d.release(ctx, orphans)
		d.Notify()
	}
}

// take puts a message of the dispatcher's in its chat's queue, and starts delivering the queue
// if it is not under way; claimed says that m comes from a claim, which takes one message of a
// chat at a time: the chat's next one needs a claim once it is delivered. Call with d.mu held.
func (d *Dispatcher) take(c *channel, m storage.OutboxMessage, claimed bool) {
	d.inflight[m.ID] = m.ClaimedUntil
	if claimed {
		d.claimed[m.ID] = true
	}
	k := storage.ChatRef{Channel: m.Channel, ChatID: m.ChatID}
	h := d.handed[k]
	if h == nil {
		h = &handedChat{}
		d.handed[k] = h
		d.deliveries.Add(1)
		go d.deliverChat(d.run, c, k)
	}
	at := d.DB.Now()
	if m.ClaimedUntil > 0 {
		at = time.UnixMilli(m.ClaimedUntil).Add(-d.Lease)
	}
	h.queue = append(h.queue, handedMessage{m, at})
	h.blocked = h.blocked || claimed
}

// Queued tells the dispatcher that messages were written for chats and not claimed: they are
// claimed now, and again once the chat's messages under way are delivered.
func (d *Dispatcher) Queued(chats []storage.ChatRef) {
	if len(chats) == 0 {
		return
	}
	d.init()
	d.mu.Lock()
	for _, k := range chats {
		if h := d.handed[k]; h != nil {
			h.blocked = true
		}
	}
	d.backlog = true // cleared by the claim, unless it finds no room for all
	d.mu.Unlock()
	d.Notify()
}

// deliverChat delivers the queue of one chat, in order, until none is left. A message that is
// not delivered (put back for later, given up) releases the rest of the queue to the claim,
// which sends them after it.
func (d *Dispatcher) deliverChat(ctx context.Context, c *channel, k storage.ChatRef) {
	defer d.deliveries.Done()
	for {
		d.mu.Lock()
		h := d.handed[k]
		if len(h.queue) == 0 {
			delete(d.handed, k)
			d.mu.Unlock()
			if h.blocked {
				d.Notify() // a claim, after what was delivered is recorded
			}
			return
		}
		m := h.queue[0]
		d.mu.Unlock()
		if d.deliver(ctx, c, m.OutboxMessage, m.at) {
			d.mu.Lock()
			h.queue = h.queue[1:]
			d.mu.Unlock()
			// Recorded soon, with what else was delivered meanwhile: until then it holds one
			// of the slots the chat's next message may wait for.
			select {
			case d.record <- struct{}{}:
			default:
			}
			continue
		}
		d.mu.Lock()
		rest := h.queue[1:]
		delete(d.handed, k)
		for i, m := range rest {
			rest[i].ClaimedUntil = d.claimOf(m.OutboxMessage)
			d.forget(m.ID)
		}
		d.mu.Unlock()
		store, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		d.release(store, rest)
		cancel()
		d.Notify()
		return
	}
}

// release ends the lease of messages not tried, for a claim.
func (d *Dispatcher) release(ctx context.Context, ms []handedMessage) {
	for _, m := range ms {
		switch err := d.DB.ReleaseOutbox(ctx, m.OutboxMessage); {
		case errors.Is(err, storage.ErrLeaseLost):
			d.Logger.Warn("outbox: release not written, the message is no longer this dispatcher's", slog.Int64("outbox_id", m.ID), slog.Any("error", err))
		case err != nil:
			d.Logger.Error("outbox: release", slog.Int64("outbox_id", m.ID), slog.Any("error", err))
		}
	}
}
