package bot

import (
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// StartLimit bounds the surveys one web client (its network address) may start on one
// unit's standing link. The standing link's one-a-day rule knows a browser by its cookie,
// which a script makes up anew for every survey; without a bound, anyone could fill a unit's
// results from one machine. The bound is loose, since the citizens on a unit's own Wi-Fi
// share its address: by default 30 at once, then one a minute. It is kept in memory, per
// replica.
type StartLimit struct {
	Burst int           // starts at once (default 30)
	Every time.Duration // one more start per Every (default a minute)

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

// allow takes a start for client on unit at now, and reports whether there was one. A nil
// limit or an unknown client allows all.
func (l *StartLimit) allow(client string, unitID int64, now time.Time) bool {
	if l == nil || client == "" {
		return true
	}
	burst, every := l.Burst, l.Every
	if burst < 1 {
		burst = 30
	}
	if every <= 0 {
		every = time.Minute
	}
	key := client + " " + strconv.FormatInt(unitID, 10)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.clients == nil {
		l.clients = map[string]*rate.Limiter{}
	}
	lim, ok := l.clients[key]
	if !ok {
		if len(l.clients) >= 10000 { // forget the clients that are back to a full burst
			for k, v := range l.clients {
				if v.TokensAt(now) >= float64(burst) {
					delete(l.clients, k)
				}
			}
		}
		lim = rate.NewLimiter(rate.Every(every), burst)
		l.clients[key] = lim
	}
	return lim.AllowN(now, 1)
}
