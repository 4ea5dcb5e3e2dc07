package bot

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"sukma/storage"
)

// Sender delivers one message to one chat of a push channel (Telegram, WhatsApp). It returns
// nil once the platform accepted the message, *ErrThrottled, or an error wrapping ErrStopped,
// ErrBadRequest or ErrUnreachable; any other error is treated as ErrUnreachable.
type Sender interface {
	Send(ctx context.Context, chatID string, r Reply) error
}

// ErrThrottled means the platform asked to wait (HTTP 429): the message is tried again after
// RetryAfter, without counting as a failed attempt.
type ErrThrottled struct{ RetryAfter time.Duration }

func (e *ErrThrottled) Error() string { return fmt.Sprintf("throttled: retry after %s", e.RetryAfter) }

var (
	// ErrUnreachable means the platform could not be reached or failed (network, 5xx): the
	// message is tried again with exponential backoff, and given up after MaxAttempts.
	ErrUnreachable = errors.New("platform unreachable")
	// ErrStopped means the citizen blocked the bot or left (HTTP 403): never tried again.
	ErrStopped = errors.New("chat stopped the bot")
	// ErrBadRequest means the platform refused the message itself (HTTP 400): never tried again.
	ErrBadRequest = errors.New("platform refused the message")
)

// Limits are a channel's sending rates, in messages per second.
type Limits struct {
	PerSecond    float64 // all chats together
	Burst        int
	PerChat      float64 // one chat
	PerChatBurst int
}

// TelegramLimits keep under the Bot API's flood limits: about 30 messages a second overall
// and one a second per chat, with a short burst so that a greeting and its first question
// arrive together.
var TelegramLimits = Limits{PerSecond: 25, Burst: 25, PerChat: 1, PerChatBurst: 3}

// Dispatcher sends the outbox of every registered channel: it claims due messages with a
// lease (so replicas share the work and a crashed replica's messages go out again), sends the
// messages of each chat in order, within the channel's rate limits, and records the outcome.
// The engine of its process claims the replies it writes for it as it writes them and hands
// them over (Engine.Dispatch, Hand): those need no claim of the dispatcher's own. Fields
// left zero get defaults when Run starts.
type Dispatcher struct {
	DB     *storage.DB
	Logger *slog.Logger
	// Poll is how often the outbox is read when nobody calls Notify (default 200 ms).
	Poll time.Duration
	// Lease is how long a claimed message is reserved for this dispatcher (default 30 s). A
	// message waits for the rate limits a quarter of it at most and its send is cut off after
	// half, so that a quarter is left to record it sent before another replica may claim it.
	Lease time.Duration
	// MaxAttempts is how many times an unreachable platform is tried (default 12: with the
	// default backoff, about 25 minutes of outage). A reply to a citizen is stale by then.
	MaxAttempts int
	// DigestPatience is how long a digest or an alert (a message written for a subscriber,
	// storage.Tx.EnqueueForSubscriber) is tried while the platform is unreachable, from when
	// it was written, when MaxAttempts are spent (default 24 hours): a head reads a digest
	// gladly hours late, and its period is recorded as sent.
	DigestPatience time.Duration
	// Backoff is the wait before try number attempt+1 (default exponential from 2 s, capped
	// at 5 minutes, with jitter).
	Backoff func(attempt int) time.Duration
	// Concurrency is how many messages are in flight at once (default 32): being sent, or
	// sent and waiting to be recorded. The dispatcher's claims also keep that many of their
	// own in hand at most, whatever the engine hands over.
	Concurrency int

	once     sync.Once
	wake     chan struct{}
	mu       sync.Mutex
	channels map[string]*channel
	// inflight holds the messages the dispatcher has claimed and not finished with, and the end
	// of the claim now theirs (unix ms): a claim of its own may take one again once its lease
	// ran out (dispatch), and the outcome of a message is written for the newest claim.
	inflight map[int64]int64
	// claimed are the messages of inflight, not sent yet, that a claim of the dispatcher's own
	// took; those the engine handed over (Hand) are not. They alone take the claim's room:
	// under load the handed replies would otherwise fill it, and a chat whose next message
	// waits for a claim (a survey's first question, written after its introduction) would
	// wait seconds for them.
	claimed map[int64]bool
	// sent are delivered messages not yet recorded: recorded together, in one statement,
	// before the next claim. They stay in inflight until then, so that a claim of this
	// dispatcher never starts one again.
	sent []int64
	// run is the context of Run while it runs, nil otherwise; deliveries is its messages in
	// flight. Both change only under mu, so that a delivery Hand starts is always waited for.
	run        context.Context
	deliveries sync.WaitGroup
	// record wakes Run to record what was delivered, without a claim.
	record chan struct{}
	// slots holds a token for each message being sent or waiting to be recorded sent.
	slots chan struct{}
	// recording are delivered messages being recorded (recordSent): still in hand.
	recording []int64
	// handed are the queues of the chats whose messages are being sent (see Hand).
	handed map[storage.ChatRef]*handedChat
	// backlog means messages may wait for a claim that found no room: claim again as soon as
	// some is made (a delivery recorded).
	backlog bool
}

type channel struct {
	name   string
	sender Sender
	limits Limits
	all    *rate.Limiter
	mu     sync.Mutex
	chats  map[string]*rate.Limiter
}

type outboxIDKey struct{}

// OutboxID returns the id of the outbox row a Sender is sending, or 0 outside a dispatcher.
// Adapters put it in their buttons to recognise the current question's buttons.
func OutboxID(ctx context.Context) int64 {
	id, _ := ctx.Value(outboxIDKey{}).(int64)
	return id
}

func (d *Dispatcher) init() {
	d.once.Do(func() {
		d.wake = make(chan struct{}, 1)
		d.record = make(chan struct{}, 1)
		d.mu.Lock()
		d.handed = map[storage.ChatRef]*handedChat{}
		if d.channels == nil {
			d.channels = map[string]*channel{}
		}
		d.inflight = map[int64]int64{}
		d.claimed = map[int64]bool{}
		d.mu.Unlock()
		if d.Logger == nil {
			d.Logger = slog.Default()
		}
		if d.Poll <= 0 {
			d.Poll = 200 * time.Millisecond
		}
		if d.Lease <= 0 {
			d.Lease = 30 * time.Second
		}
		if d.MaxAttempts <= 0 {
			d.MaxAttempts = 12
		}
		if d.DigestPatience <= 0 {
			d.DigestPatience = 24 * time.Hour
		}
		if d.Backoff == nil {
			d.Backoff = ExponentialBackoff(2*time.Second, 5*time.Minute)
		}
		if d.Concurrency <= 0 {
			d.Concurrency = 32
		}
		d.slots = make(chan struct{}, d.Concurrency)
	})
}

// ExponentialBackoff waits base, 2×base, 4×base… up to ceiling, each drawn between half and
// all of it so that many chats failing together do not come back together.
func ExponentialBackoff(base, ceiling time.Duration) func(attempt int) time.Duration {
	return func(attempt int) time.Duration {
		d := base
		for i := 1; i < attempt && d < ceiling; i++ {
			d *= 2
		}
		d = min(d, ceiling)
		return d/2 + rand.N(d/2+1)
	}
}

// Register makes the dispatcher send the outbox rows of a channel through s. It may be
// called while Run is running (a channel that comes up late).
func (d *Dispatcher) Register(name string, s Sender, l Limits) {
	d.init()
	if l.Burst < 1 {
		l.Burst = 1
	}
	if l.PerChatBurst < 1 {
		l.PerChatBurst = 1
	}
	d.mu.Lock()
	d.channels[name] = &channel{name: name, sender: s, limits: l, all: rate.NewLimiter(rate.Limit(l.PerSecond), l.Burst), chats: map[string]*rate.Limiter{}}
	d.mu.Unlock()
	d.Notify()
}

// Unregister stops claiming the outbox rows of a channel (a replica that lost the channel's
// device to another); messages already in flight finish.
func (d *Dispatcher) Unregister(name string) {
	d.init()
	d.mu.Lock()
	delete(d.channels, name)
	d.mu.Unlock()
}

// Notify wakes the dispatcher at once, for messages just written to the outbox.
func (d *Dispatcher) Notify() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run sends until ctx is done, then waits for the messages in flight.
func (d *Dispatcher) Run(ctx context.Context) {
	d.init()
	backlogSource.Store(d)
	defer backlogSource.CompareAndSwap(d, nil)
	d.mu.Lock()
	d.run = ctx
	d.mu.Unlock()
	tick := time.NewTicker(d.Poll)
	defer tick.Stop()
	defer func() {
		d.mu.Lock()
		d.run = nil
		d.mu.Unlock()
		d.deliveries.Wait()
		store, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		d.recordSent(store)
	}()
	claim := true
	for {
		if claim {
			d.dispatch(ctx)
		} else {
			d.recordSent(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			claim = true
		case <-d.wake:
			claim = true
		case <-d.record:
			d.mu.Lock()
			claim = d.backlog
			d.mu.Unlock()
		}
	}
}

// dispatch claims what is due on every channel, up to Concurrency messages of its claims in
// flight (see claimed), and starts sending it.
func (d *Dispatcher) dispatch(ctx context.Context) {
	d.recordSent(ctx)
	d.mu.Lock()
	chans := make([]*channel, 0, len(d.channels))
	for _, c := range d.channels {
		chans = append(chans, c)
	}
	d.mu.Unlock()
	slices.SortFunc(chans, func(a, b *channel) int { return cmp.Compare(a.name, b.name) })
	d.mu.Lock()
	d.backlog = false
	d.mu.Unlock()
	for _, c := range chans {
		d.mu.Lock()
		room := d.Concurrency - len(d.claimed)
		d.backlog = d.backlog || room <= 0
		d.mu.Unlock()
		if room <= 0 || ctx.Err() != nil {
			return
		}
		ms, err := d.DB.ClaimOutbox(ctx, c.name, d.DB.Now(), d.Lease, room)
		if err != nil {
			if ctx.Err() == nil {
				d.Logger.Error("outbox: claim", slog.String("channel", c.name), slog.Any("error", err))
			}
			continue
		}
		d.mu.Lock()
		d.backlog = d.backlog || len(ms) == room
		for _, m := range ms {
			if _, held := d.inflight[m.ID]; held {
				d.inflight[m.ID] = m.ClaimedUntil // our own lease ran out while we wait: still ours
			} else {
				d.take(c, m, true)
			}
		}
		d.mu.Unlock()
	}
}

// recordSent marks the messages delivered since the last call as sent, in one statement. On
// failure they are tried again at the next call; their lease keeps them meanwhile.
func (d *Dispatcher) recordSent(ctx context.Context) {
	d.mu.Lock()
	ids := d.sent
	d.sent = nil
	d.recording = ids
	d.mu.Unlock()
	if len(ids) == 0 {
		return
	}
	err := d.DB.MarkOutboxSentMany(ctx, ids, d.DB.Now())
	if err != nil && ctx.Err() == nil {
		d.Logger.Error("outbox: mark sent", slog.Int("messages", len(ids)), slog.Any("error", err))
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.recording = nil
	if err != nil {
		d.sent = append(d.sent, ids...)
		return
	}
	for _, id := range ids {
		d.forget(id)
		<-d.slots
	}
}

// forget takes a message out of inflight. Call with d.mu held.
func (d *Dispatcher) forget(id int64) {
	delete(d.inflight, id)
	delete(d.claimed, id)
}

// claimOf is the end of the claim of m now the dispatcher's: m's own, or a later one of its
// own claim (dispatch). Call with d.mu held.
func (d *Dispatcher) claimOf(m storage.OutboxMessage) int64 {
	if until, ok := d.inflight[m.ID]; ok {
		return until
	}
	return m.ClaimedUntil
}

// deliver sends one claimed message and records the outcome; it reports whether the message
// was delivered (and waits in sent to be recorded so).
func (d *Dispatcher) deliver(ctx context.Context, c *channel, m storage.OutboxMessage, at time.Time) (delivered bool) {
	defer func() {
		if !delivered { // a delivered message leaves inflight once recorded (recordSent)
			d.mu.Lock()
			d.forget(m.ID)
			d.mu.Unlock()
		}
	}()
	// The outcome is recorded even when shutdown begins mid-send.
	store, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	log := d.Logger.With(slog.String("channel", c.name), slog.Int64("outbox_id", m.ID))
	record := func(what string, err error) {
		switch {
		case errors.Is(err, storage.ErrLeaseLost):
			// Slower than a lease, the message went on to another claim; or it was dropped.
			log.Warn("outbox: "+what+" not written, the message is no longer this dispatcher's", slog.Any("error", err))
		case err != nil:
			log.Error("outbox: "+what, slog.Any("error", err))
		}
	}
	// end records an outcome other than delivered. The message leaves inflight first: once the
	// outcome is written, a claim may take it again (when it is due), and must not find it
	// still ours and pass it by.
	end := func(what string, write func() error) {
		d.mu.Lock()
		m.ClaimedUntil = d.claimOf(m)
		d.forget(m.ID)
		d.mu.Unlock()
		record(what, write())
	}

	var r Reply
	if err := json.Unmarshal([]byte(m.Body), &r); err != nil {
		end("give up", func() error { return d.DB.FailOutbox(store, m, d.DB.Now(), "unreadable body: "+err.Error()) })
		return
	}
	// The wait for the rate limits ends well within the lease: a message still waiting when
	// its lease ran out could be claimed and sent again. One that would wait longer is put
	// back, due when the limits allow it. One that waits is recorded as due later, so that
	// meanwhile it counts as unseen, not as being sent: a typed answer is not taken for its
	// question (see Outgoing.Waiting).
	delay := func(wait time.Duration) {
		d.mu.Lock()
		m.ClaimedUntil = d.claimOf(m)
		d.mu.Unlock()
		record("delay", d.DB.DelayOutbox(store, m, d.DB.Now().Add(wait)))
	}
	// Every wait before the send (in the chat's queue, for the rate limits, for a slot) ends
	// a quarter of the lease after the claim at the latest: the send is cut off after half,
	// and a quarter is left to record it.
	startBy := at.Add(d.Lease / 4)
	if !d.DB.Now().Before(startBy) {
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) }) // waited too long already
		return
	}
	if wait, err := c.take(ctx, m.ChatID, startBy.Sub(d.DB.Now()), delay); err != nil {
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) }) // shutting down
		return
	} else if wait > 0 {
		end("defer", func() error {
			return d.DB.RetryOutbox(store, m, d.DB.Now().Add(wait), false, "waiting for the rate limit")
		})
		return
	}
	// At most Concurrency messages are being sent or wait to be recorded sent: those a
	// replica that dies may have sent without a record, and that go again.
	if ctx.Err() != nil { // shutting down: only the sends under way finish
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) })
		return
	}
	slot := time.NewTimer(max(startBy.Sub(d.DB.Now()), 0))
	select {
	case d.slots <- struct{}{}:
		slot.Stop()
		if ctx.Err() != nil { // the slot came free as shutdown began: not sent
			<-d.slots
			end("release", func() error { return d.DB.ReleaseOutbox(store, m) })
			return
		}
	case <-slot.C:
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) })
		return
	case <-ctx.Done():
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) }) // shutting down
		return
	}
	defer func() {
		if !delivered {
			<-d.slots
		}
	}()
	// A send under way finishes even when shutdown begins: cut off, it may have reached the
	// platform all the same, and would go again after the restart.
	sendCtx, stop := context.WithTimeout(context.WithValue(context.WithoutCancel(ctx), outboxIDKey{}, m.ID), d.Lease/2)
	err := c.sender.Send(sendCtx, m.ChatID, r)
	stop()
	now := d.DB.Now()
	var throttled *ErrThrottled
	switch {
	case err == nil:
		metricOutbox.WithLabelValues(c.name, "sent").Inc()
		delivered = true
		d.mu.Lock()
		d.sent = append(d.sent, m.ID)
		delete(d.claimed, m.ID) // sent: no longer takes the claim's room, only a slot
		d.mu.Unlock()
	case errors.As(err, &throttled):
		log.Warn("outbox: throttled", slog.Duration("retry_after", throttled.RetryAfter))
		end("retry", func() error { return d.DB.RetryOutbox(store, m, now.Add(throttled.RetryAfter), false, err.Error()) })
	case errors.Is(err, ErrStopped):
		metricOutbox.WithLabelValues(c.name, "failed").Inc()
		log.Info("outbox: chat stopped the bot; message dropped")
		end("give up", func() error { return d.DB.FailOutbox(store, m, now, err.Error()) })
	case errors.Is(err, ErrBadRequest):
		metricOutbox.WithLabelValues(c.name, "failed").Inc()
		log.Warn("outbox: message refused; dropped", slog.Any("error", err))
		end("give up", func() error { return d.DB.FailOutbox(store, m, now, err.Error()) })
	case ctx.Err() != nil:
		end("release", func() error { return d.DB.ReleaseOutbox(store, m) }) // shutting down: not the platform's fault
	case m.Attempts+1 >= d.MaxAttempts && m.SubscriberID == 0:
		metricOutbox.WithLabelValues(c.name, "failed").Inc()
		log.Warn("outbox: giving up", slog.Int("attempts", m.Attempts+1), slog.Any("error", err))
		end("give up", func() error { return d.DB.FailOutbox(store, m, now, err.Error()) })
	case m.Attempts+1 >= d.MaxAttempts && now.Sub(time.UnixMilli(m.CreatedAt)) >= d.DigestPatience:
		// A digest or an alert lost: said as an error, with what to do. Its period stays
		// recorded as sent, so the scheduler does not send it again by itself.
		metricOutbox.WithLabelValues(c.name, "failed").Inc()
		log.Error("outbox: giving up a digest or alert, unreachable since it was written; a digest can be sent again from Pelanggan (Kirim ringkasan uji sekarang)",
			slog.Int64("subscriber", m.SubscriberID), slog.Duration("age", now.Sub(time.UnixMilli(m.CreatedAt)).Round(time.Minute)),
			slog.Int("attempts", m.Attempts+1), slog.Any("error", err))
		end("give up", func() error { return d.DB.FailOutbox(store, m, now, err.Error()) })
	default:
		metricOutbox.WithLabelValues(c.name, "retry").Inc()
		wait := d.Backoff(m.Attempts + 1)
		log.Info("outbox: will retry", slog.Int("attempt", m.Attempts+1), slog.Duration("in", wait), slog.Any("error", err))
		end("retry", func() error { return d.DB.RetryOutbox(store, m, now.Add(wait), true, err.Error()) })
	}
	return delivered
}
