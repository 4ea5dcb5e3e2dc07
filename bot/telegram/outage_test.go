package telegram_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
)

// downEngine is an engine whose database is down until upAt: every step fails, and so does
// Ready.
type downEngine struct {
	mu     sync.Mutex
	upAt   time.Time
	stored map[string]bool
}

var errDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

func (e *downEngine) Ready(context.Context) error {
	if time.Now().Before(e.upAt) {
		return errDown
	}
	return nil
}

func (e *downEngine) Handle(ctx context.Context, in bot.Inbound) ([]bot.Reply, error) {
	if err := e.Ready(ctx); err != nil {
		return nil, err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stored[in.Text] = true
	return nil, nil
}

// A database outage longer than five tries (a PostgreSQL failover) loses no update: polling
// waits for the database instead of skipping the update it cannot store.
func TestAnOutageOfTheDatabaseLosesNoUpdate(t *testing.T) {
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	texts := []string{"/start tok", "1", "2", "3"}
	var ids []int
	for i, txt := range texts {
		ids = append(ids, api.Push(telegramtest.TextUpdate(int64(1+i%2), txt)))
	}
	e := &downEngine{upAt: time.Now().Add(4500 * time.Millisecond), stored: map[string]bool{}}
	a := telegram.New(telegram.Options{Token: token, Endpoint: api.Endpoint(), Engine: e,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollTimeout: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Poll(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for !api.Confirmed(ids[len(ids)-1]) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, txt := range texts {
		if !e.stored[txt] {
			t.Errorf("update %q was confirmed to Telegram but never stored", txt)
		}
	}
}
