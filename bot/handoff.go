package bot

import (
	"context"
	"log/slog"
	"time"

	"sukma/storage"
)

// The hand-off: the engine's group commit claims the replies it writes for the dispatcher of
// its process (storage.WriteBatch.ClaimFor, with the dispatcher as storage.Claimer) and hands
// them over as it commits (Hand), so that a reply costs no claim of the dispatcher's own: no
// statement to find it, no update to lease it. A reply whose chat has an earlier message still
// to send, which this dispatcher does not have in hand, is written unclaimed and goes by a
// claim (Queued), as every message did before.

// handedChat is what Hand has of one chat: the messages not yet delivered, the first of them
// being sent; blocked means a message of the chat was written meanwhile and not claimed.
type handedChat struct {
	queue   []handedMessage
	blocked bool
}

// handedMessage is a message the dispatcher has in hand, and when its lease began.
type handedMessage struct {
	storage.OutboxMessage
	at time.Time
}

// Sends reports whether the dispatcher is running and sends the messages of a channel.
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

// InHand returns the messages the dispatcher will have sent before any it is handed now: those
// handed and not yet delivered, and those delivered and not yet recorded. A chat's message
// after them may be claimed for it.
func (d *Dispatcher) InHand() []int64 {
	d.init()
	d.mu.Lock()
	defer d.mu.Unlock()
	ids := make([]int64, 0, len(d.sent)+len(d.recording)+len(d.handed))
	ids = append(append(ids, d.sent...), d.recording...)
	for _, h := range d.handed {
		for _, m := range h.queue {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

// stallMemory is how long a chat whose handed message could not go is remembered: longer than
// a batch runs (a minute at most), whose claim may have counted on that message.
const stallMemory = 2 * time.Minute

// Hand sends messages claimed for the dispatcher as they were written, each chat's in order
// and after those of the chat it has in hand. A message that cannot go now (the rate limits,
// the platform) is recorded as a claimed one is, and the chat's later ones are released for a
// claim; so are those handed for the chat soon after, which their batch claimed counting on it.
func (d *Dispatcher) Hand(ms []storage.OutboxMessage) {
	if len(ms) == 0 {
		return
	}
	d.init()
	var orphans []handedMessage
	now := time.Now()
	d.mu.Lock()
	for _, m := range ms {
		k := storage.ChatRef{Channel: m.Channel, ChatID: m.ChatID}
		c := d.channels[k.Channel]
		if at, ok := d.stalled[k]; ok && now.Sub(at) > stallMemory {
			delete(d.stalled, k)
		}
		if _, stalled := d.stalled[k]; stalled || d.run == nil || d.run.Err() != nil || c == nil {
			orphans = append(orphans, handedMessage{m, now})
			continue
		}
		d.take(c, m, false)
	}
	d.mu.Unlock()
	if len(orphans) > 0 {
		// Not to be sent from here after all (a stalled chat, shutting down, the channel
		// gone): released for a claim, here or on another replica.
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
	d.inflight[m.ID] = true
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
// claimed now, and again once the chat's handed messages are delivered.
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
	d.mu.Unlock()
	d.Notify()
}

// deliverChat delivers the handed messages of one chat, in order, until none is left.
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
		// A message behind others of its chat may have waited long: past a quarter of its
		// lease it goes by a claim, as deliver may take half of it to send.
		stale := d.DB.Now().Sub(m.at) > d.Lease/4
		if !stale && d.deliver(ctx, c, m.OutboxMessage) {
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
		if stale {
			rest = h.queue
		}
		delete(d.handed, k)
		now := time.Now()
		for k, at := range d.stalled {
			if now.Sub(at) > stallMemory {
				delete(d.stalled, k)
			}
		}
		d.stalled[k] = now
		for _, m := range rest {
			delete(d.inflight, m.ID)
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
		if err := d.DB.ReleaseOutbox(ctx, m.ID); err != nil {
			d.Logger.Error("outbox: release", slog.Int64("outbox_id", m.ID), slog.Any("error", err))
		}
	}
}
