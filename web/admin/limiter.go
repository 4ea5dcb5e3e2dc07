package admin

import (
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Failed sign-ins allowed per key (client address, username): loginBurst at once, then one
// more every loginEvery — 5 a minute.
const (
	loginBurst = 5
	loginEvery = 12 * time.Second
)

// limiter counts failed sign-ins per key. Only failures count, so an office of fifty
// behind one address signs in all morning; a guesser gets five tries a minute per address
// and per username. It is per process: with several replicas the limit is per replica.
type limiter struct {
	mu   sync.Mutex
	keys map[string]*rate.Limiter
	now  func() time.Time
}

func newLimiter() *limiter { return &limiter{keys: map[string]*rate.Limiter{}, now: time.Now} }

// blocked returns how long to wait before the keys may try again; 0 when they may now.
func (l *limiter) blocked(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	var wait time.Duration
	now := l.now()
	for _, k := range keys {
		lim, ok := l.keys[k]
		if !ok {
			continue
		}
		if tokens := lim.TokensAt(now); tokens < 1 {
			if d := time.Duration((1 - tokens) * float64(loginEvery)); d > wait {
				wait = d
			}
		}
	}
	return wait
}

// fail records a failed attempt for every key.
func (l *limiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.keys) > 10000 {
		// Forget keys that are full again: they would allow a whole burst anyway.
		for k, lim := range l.keys {
			if lim.TokensAt(now) >= loginBurst {
				delete(l.keys, k)
			}
		}
	}
	for _, k := range keys {
		lim, ok := l.keys[k]
		if !ok {
			lim = rate.NewLimiter(rate.Every(loginEvery), loginBurst)
			l.keys[k] = lim
		}
		lim.AllowN(now, 1)
	}
}

// waitText says how long to wait, in whole seconds, in the language.
func waitText(d time.Duration, lang string) string {
	secs := int(d.Seconds() + 0.999)
	if lang == "en" {
		return fmt.Sprintf("%d seconds", secs)
	}
	return fmt.Sprintf("%d detik", secs)
}
