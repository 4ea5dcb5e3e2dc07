package bot_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// BenchmarkEngineMessage measures one inbound message through the engine with real storage:
// answer checked, stored, session updated, reply written to the outbox, in one transaction.
// Each iteration is one message of a citizen answering the built-in survey; a survey that
// ends starts a new visit, so the mix is the real one (start, profile, nine elements, texts).
//
//	go test ./bot -run '^$' -bench EngineMessage -benchtime 2000x
func BenchmarkEngineMessage(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *storage.DB
			if dialect == "sqlite" {
				db = storagetest.SQLite(b)
			} else {
				db = storagetest.Postgres(b)
			}
			f := newFixture(b, db)
			ctx := context.Background()
			script := append([]string{""}, fullSurvey...)
			step, chat := 0, 0
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				text := script[step]
				if step == 0 {
					b.StopTimer()
					chat++
					text = "/start " + benchVisit(b, f, chat)
					b.StartTimer()
				}
				_, err := f.e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: fmt.Sprint("bench", chat), UserID: fmt.Sprint(chat), Text: text, EventID: fmt.Sprint(i)})
				if err != nil {
					b.Fatal(err)
				}
				step = (step + 1) % len(script)
			}
		})
	}
}

// BenchmarkEngineMessageBatched is BenchmarkEngineMessage with 100 citizens answering at
// once through the group commit, as sukma serve runs it (64 steps a batch; two batches side
// by side on PostgreSQL, one on SQLite): the time per message is the whole run's divided by
// its messages.
//
//	go test ./bot -run '^$' -bench EngineMessageBatched -benchtime 20000x
func BenchmarkEngineMessageBatched(b *testing.B) {
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			var db *storage.DB
			workers := 1
			if dialect == "sqlite" {
				db = storagetest.SQLite(b)
			} else {
				db, workers = storagetest.Postgres(b), 2
			}
			f := newFixture(b, db)
			f.e.Batch = bot.Batching{Max: 64, Workers: workers}
			ctx := context.Background()
			script := append([]string{""}, fullSurvey...)
			var chats, events atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(50) // 100 citizens on two cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				step, chat := 0, int64(0)
				for pb.Next() {
					text := script[step]
					if step == 0 {
						chat = chats.Add(1)
						text = "/start " + benchVisit(b, f, int(chat))
					}
					_, err := f.e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: fmt.Sprint("bench", chat),
						UserID: fmt.Sprint(chat), Text: text, EventID: fmt.Sprint(events.Add(1))})
					if err != nil {
						b.Error(err)
						return
					}
					step = (step + 1) % len(script)
				}
			})
		})
	}
}

func benchVisit(b *testing.B, f *fixture, n int) string {
	token := fmt.Sprintf("bench%d", n)
	if err := f.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: f.unitID, FlowID: "skm", ExpiresAt: f.now.Add(240 * 3600e9).UnixMilli()}); err != nil {
		b.Fatal(err)
	}
	return token
}
