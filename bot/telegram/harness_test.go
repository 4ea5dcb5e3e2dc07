package telegram_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
	"sukma/flows"
	"sukma/internal/logtest"
	"sukma/storage"
)

const token = "123456789:AAF-secret_TOKEN-value"

// logBuffer collects log output from several goroutines.
type logBuffer = logtest.Buffer

// harness is the Telegram channel on a real engine and database, against the fake Bot API,
// with the outbox dispatcher running.
type harness struct {
	t      testing.TB
	db     *storage.DB
	api    *telegramtest.Server
	a      *telegram.Adapter
	logs   *logBuffer
	unitID int64
	n      int
}

func newHarness(t testing.TB, db *storage.DB) *harness {
	t.Helper()
	ctx := context.Background()
	if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, db: db, api: telegramtest.New(token), logs: &logBuffer{}, unitID: u.ID}
	t.Cleanup(h.api.Close)
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine := &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: time.UTC, Logger: logger}
	d := &bot.Dispatcher{DB: db, Logger: logger, Poll: 20 * time.Millisecond}
	h.a = telegram.New(telegram.Options{
		Token: token, Endpoint: h.api.Endpoint(), Engine: engine, Notify: d.Notify,
		Logger: logger, PollTimeout: time.Second,
	})
	d.Register(bot.ChannelTelegram, h.a, bot.Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100})
	h.run(d.Run)
	t.Cleanup(func() {
		if strings.Contains(h.logs.String(), token) {
			t.Errorf("the bot token appears in the log:\n%s", h.logs.String())
		}
	})
	return h
}

// run runs fn until the test ends; the returned function stops it earlier.
func (h *harness) run(fn func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { fn(ctx); close(done) }()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	h.t.Cleanup(stop)
	return stop
}

func (h *harness) poll() (stop func()) { return h.run(h.a.Poll) }

func (h *harness) visit() string {
	h.t.Helper()
	h.n++
	token := fmt.Sprintf("tok%d_%d", h.n, time.Now().UnixNano())
	err := h.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: h.unitID, FlowID: "skm", ExpiresAt: time.Now().Add(7 * 24 * time.Hour).UnixMilli()})
	if err != nil {
		h.t.Fatal(err)
	}
	return token
}

// say pushes an update through polling and waits until it is confirmed and every reply sent;
// it returns the messages sent in answer.
func (h *harness) say(update map[string]any) []telegramtest.Message {
	h.t.Helper()
	before := len(h.api.Sent())
	id := h.api.Push(update)
	h.waitFor(fmt.Sprintf("update %d confirmed", id), func() bool { return h.api.Confirmed(id) })
	h.settle()
	return h.api.Sent()[before:]
}

// settle waits until the outbox has nothing left to send.
func (h *harness) settle() {
	h.t.Helper()
	h.waitFor("the outbox sent", func() bool {
		var n int
		if err := h.db.Get(&n, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL"); err != nil {
			h.t.Fatal(err)
		}
		return n == 0
	})
}

func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) count(query string) int {
	h.t.Helper()
	var n int
	if err := h.db.Get(&n, query); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func lastOf(ms []telegramtest.Message) telegramtest.Message {
	if len(ms) == 0 {
		return telegramtest.Message{}
	}
	return ms[len(ms)-1]
}

// fullSurvey answers every question of the built-in flow (as in bot/engine_test.go).
var fullSurvey = []string{"2", "35", "5", "4", "4", "4", "2", "3", "4", "3", "4", "3", "4", "Antrean terlalu lama", "Tambah loket"}

func newLogger(l *logBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
