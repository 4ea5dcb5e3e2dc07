package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram/telegramtest"
	"sukma/config"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// TestMemoryPerOpenSession measures what an open survey costs a running server: the live heap
// after SUKMA_MEMORY_SESSIONS citizens each started a survey over the Telegram webhook (and
// got its first question), minus the heap before, divided by their number. Sessions live in
// the database, so this is what the process keeps per chat: the dispatcher's per-chat rate
// limiter, and nothing else by design. Off by default (it takes a minute):
//
//	SUKMA_MEMORY_SESSIONS=10000 go test ./cmd/sukma -run MemoryPerOpenSession -v
func TestMemoryPerOpenSession(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SUKMA_MEMORY_SESSIONS"))
	if n <= 0 {
		t.Skip("set SUKMA_MEMORY_SESSIONS=10000 to measure")
	}
	telegramLimits = bot.Limits{PerSecond: 1e6, Burst: 1e6, PerChat: 1e6, PerChatBurst: 1e6}
	t.Cleanup(func() { telegramLimits = bot.TelegramLimits })
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			api := quietBotAPI()
			t.Cleanup(api.Close)
			app, base := startApp(t, url(t), func(c *config.Config) {
				c.TelegramToken, c.TelegramAPIEndpoint = "123:mem", api.URL+"/bot%s/%s"
				c.TelegramMode, c.TelegramWebhookSecret = "webhook", "mem-secret"
			})
			ctx := context.Background()
			unit, err := app.DB.FindUnitByCode(ctx, "DEMO")
			if err != nil {
				t.Fatal(err)
			}
			tokens := make([]string, n+200)
			for i := range tokens {
				tokens[i] = fmt.Sprintf("mem%06d", i)
				if err := app.DB.CreateVisit(ctx, storage.NewVisit{Token: tokens[i], UnitID: unit.ID, FlowID: "skm", ExpiresAt: time.Now().Add(24 * time.Hour).UnixMilli()}); err != nil {
					t.Fatal(err)
				}
			}
			open := func(from, to int) {
				var wg sync.WaitGroup
				next := make(chan int)
				for range 32 {
					wg.Go(func() {
						for i := range next {
							u := telegramtest.TextUpdate(int64(1_000_000+i), "/start "+tokens[i])
							u["update_id"] = 1_000_000 + i
							body, _ := json.Marshal(u)
							req, _ := http.NewRequest("POST", base+"/telegram/webhook", strings.NewReader(string(body)))
							req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "mem-secret")
							resp, err := http.DefaultClient.Do(req)
							if err != nil || resp.StatusCode != 200 {
								t.Errorf("webhook: %v %v", resp, err)
								return
							}
							resp.Body.Close()
						}
					})
				}
				for i := from; i < to; i++ {
					next <- i
				}
				close(next)
				wg.Wait()
				deadline := time.Now().Add(2 * time.Minute)
				for pending := 1; pending > 0; time.Sleep(50 * time.Millisecond) {
					if err := app.DB.Get(&pending, "SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"); err != nil || time.Now().After(deadline) {
						t.Fatalf("outbox not sent: %d left (%v)", pending, err)
					}
				}
			}
			open(0, 200) // warm up: pools, prepared statements, flow cache
			before := liveHeap()
			open(200, n+200)
			after := liveHeap()
			var sessions int
			app.DB.Get(&sessions, "SELECT COUNT(*) FROM sessions WHERE state = 'active'")
			per := float64(after-before) / float64(n)
			t.Logf("%s: %d open sessions; live heap %.1f MB before, %.1f MB after: %.0f bytes per open session",
				name, sessions, float64(before)/1e6, float64(after)/1e6, per)
			if sessions != n+200 {
				t.Errorf("%d open sessions, want %d", sessions, n+200)
			}
			if per > 10*1024 {
				t.Errorf("%.0f bytes per open session, want under 10 KB", per)
			}
		})
	}
}

// liveHeap is the heap in use after the idle connections closed and two collections.
func liveHeap() uint64 {
	http.DefaultClient.CloseIdleConnections()
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// quietBotAPI answers every Bot API call with success and keeps nothing, so that it does not
// weigh in the heap being measured.
func quietBotAPI() *httptest.Server {
	var id sync.Mutex
	next := 0
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var result any = true
		switch {
		case strings.HasSuffix(r.URL.Path, "/getMe"):
			result = map[string]any{"id": 1, "is_bot": true, "first_name": "Sukma", "username": "SukmaMemBot"}
		case strings.HasSuffix(r.URL.Path, "/sendMessage"):
			id.Lock()
			next++
			n := next
			id.Unlock()
			result = map[string]any{"message_id": n, "date": time.Now().Unix(), "chat": map[string]any{"id": 1, "type": "private"}}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}))
}
