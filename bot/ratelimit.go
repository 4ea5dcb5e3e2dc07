package bot

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// A channel's rate limits: all its chats together, and each chat (Limits).

// take takes a token from the chat's rate limiter and the channel's, waiting for them up to
// limit, after telling waiting how long it will wait. When they would make it wait longer, it
// takes none and returns how long that would be. It fails only when ctx ends while it waits.
func (c *channel) take(ctx context.Context, chatID string, limit time.Duration, waiting func(time.Duration)) (time.Duration, error) {
	now := time.Now()
	chat, all := c.chat(chatID).ReserveN(now, 1), c.all.ReserveN(now, 1)
	wait := max(chat.DelayFrom(now), all.DelayFrom(now))
	if wait > limit {
		chat.CancelAt(now)
		all.CancelAt(now)
		return wait, nil
	}
	if wait <= 0 {
		return 0, nil
	}
	waiting(wait)
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return 0, nil
	case <-ctx.Done():
		chat.Cancel()
		all.Cancel()
		return 0, ctx.Err()
	}
}

// chat returns the rate limiter of one chat. Idle limiters are dropped now and then so the
// map does not grow with every citizen ever served.
func (c *channel) chat(id string) *rate.Limiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.chats[id]
	if !ok {
		if len(c.chats) >= 10000 {
			for k, v := range c.chats {
				if v.Tokens() >= float64(c.limits.PerChatBurst) {
					delete(c.chats, k)
				}
			}
		}
		l = rate.NewLimiter(rate.Limit(c.limits.PerChat), c.limits.PerChatBurst)
		c.chats[id] = l
	}
	return l
}
