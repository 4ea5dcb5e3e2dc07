package telegram_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
)

// flakyEngine records what it is handed, in order, and fails an event's first delivery.
type flakyEngine struct {
	mu      sync.Mutex
	handled []string // "<event> ok" or "<event> failed"
	failing string
}

func (e *flakyEngine) Handle(_ context.Context, in bot.Inbound) ([]bot.Reply, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if in.EventID == e.failing {
		e.failing = ""
		e.handled = append(e.handled, in.Text+" failed")
		return nil, errors.New("database unreachable")
	}
	e.handled = append(e.handled, in.Text+" ok")
	return nil, nil
}

func (e *flakyEngine) log() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.handled)
}

// The updates of one getUpdates run side by side per chat; one that is not stored holds back
// the rest of its chat, not the other chats, and it and what follows are fetched again.
func TestAFailedUpdateHoldsBackOnlyItsChat(t *testing.T) {
	api := telegramtest.New(token)
	t.Cleanup(api.Close)
	a1 := api.Push(telegramtest.TextUpdate(1, "a1"))
	api.Push(telegramtest.TextUpdate(1, "a2"))
	api.Push(telegramtest.TextUpdate(2, "b1"))
	last := api.Push(telegramtest.TextUpdate(2, "b2"))
	engine := &flakyEngine{failing: "tg:" + itoa(a1)}
	a := telegram.New(telegram.Options{Token: token, Endpoint: api.Endpoint(), Engine: engine,
		Notify: func() {}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PollTimeout: time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); a.Poll(ctx) }()
	t.Cleanup(func() { cancel(); <-done })

	deadline := time.Now().Add(10 * time.Second)
	for !api.Confirmed(last) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !api.Confirmed(last) {
		t.Fatalf("the updates were never all confirmed; handled %q", engine.log())
	}
	got := engine.log()
	chat1 := slices.DeleteFunc(slices.Clone(got), func(s string) bool { return s[0] != 'a' })
	if !slices.Equal(chat1, []string{"a1 failed", "a1 ok", "a2 ok"}) {
		t.Errorf("chat 1 handled %q, want a1 to fail, then a1 and a2 in order", chat1)
	}
	// Chat 2 went on while chat 1 waited; its updates came again with a1's (the engine
	// counts a redelivered event once).
	if i, j := slices.Index(got, "b2 ok"), slices.Index(got, "a1 ok"); i < 0 || i > j {
		t.Errorf("handled %q: chat 2 waited for chat 1's retry", got)
	}
}

func itoa(n int) string { return fmt.Sprint(n) }
