package admin

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	l := newLimiter()
	l.now = func() time.Time { return now }
	t.Run("five failures are allowed and the sixth attempt waits", func(t *testing.T) {
		for i := range 5 {
			if w := l.blocked("ip:a", "user:x"); w != 0 {
				t.Fatalf("attempt %d blocked for %v", i+1, w)
			}
			l.fail("ip:a", "user:x")
		}
		if w := l.blocked("ip:a", "user:y"); w <= 0 || w > loginEvery {
			t.Errorf("sixth attempt waits %v", w)
		}
		if w := l.blocked("ip:b", "user:x"); w <= 0 {
			t.Errorf("the username is not limited from another address")
		}
	})
	t.Run("another address and username are not limited", func(t *testing.T) {
		if w := l.blocked("ip:b", "user:y"); w != 0 {
			t.Errorf("blocked %v", w)
		}
	})
	t.Run("after a minute the key may try again", func(t *testing.T) {
		now = now.Add(time.Minute)
		if w := l.blocked("ip:a", "user:x"); w != 0 {
			t.Errorf("blocked %v", w)
		}
	})
}
