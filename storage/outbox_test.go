package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func enqueue(t *testing.T, db *storage.DB, channel, chat, body string, at time.Time) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *storage.Tx) error {
		return tx.Enqueue(channel, chat, body, at.UnixMilli(), channel == "web")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func bodies(ms []storage.OutboxMessage) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ChatID+":"+m.Body)
	}
	return out
}

func TestClaimingTheOutbox(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		for _, m := range [][3]string{{"telegram", "a", "a1"}, {"telegram", "a", "a2"}, {"telegram", "b", "b1"}, {"web", "w", "w1"}, {"whatsapp", "c", "c1"}} {
			enqueue(t, db, m[0], m[1], m[2], now)
		}
		check := func(t *testing.T, got []storage.OutboxMessage, want ...string) {
			t.Helper()
			if g := bodies(got); len(g) != len(want) || (len(g) > 0 && g[0] != want[0]) || (len(g) > 1 && g[1] != want[1]) {
				t.Fatalf("claimed %v, want %v", g, want)
			}
		}

		t.Run("only the oldest unsent message of each chat of the channel is claimed", func(t *testing.T) {
			got, err := db.ClaimOutbox(ctx, "telegram", now, 30*time.Second, 10)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got, "a:a1", "b:b1")
		})
		t.Run("a leased message is not claimed again before its lease ends", func(t *testing.T) {
			got, err := db.ClaimOutbox(ctx, "telegram", now.Add(10*time.Second), 30*time.Second, 10)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got)
			got, err = db.ClaimOutbox(ctx, "telegram", now.Add(31*time.Second), 30*time.Second, 10)
			if err != nil {
				t.Fatal(err)
			}
			check(t, got, "a:a1", "b:b1")
		})
		t.Run("the next message of a chat is claimable once the one before is sent", func(t *testing.T) {
			got, _ := db.ClaimOutbox(ctx, "telegram", now.Add(2*time.Minute), 30*time.Second, 10)
			check(t, got, "a:a1", "b:b1")
			if err := db.MarkOutboxSentMany(ctx, []int64{got[0].ID}, now); err != nil {
				t.Fatal(err)
			}
			if err := db.FailOutbox(ctx, got[1], now, "403: blocked"); err != nil {
				t.Fatal(err)
			}
			got, _ = db.ClaimOutbox(ctx, "telegram", now.Add(3*time.Minute), 30*time.Second, 10)
			check(t, got, "a:a2")
		})
		t.Run("a message put back for a retry waits until its time", func(t *testing.T) {
			got, _ := db.ClaimOutbox(ctx, "whatsapp", now, 30*time.Second, 10)
			check(t, got, "c:c1")
			if err := db.RetryOutbox(ctx, got[0], now.Add(time.Hour), true, "500"); err != nil {
				t.Fatal(err)
			}
			got, _ = db.ClaimOutbox(ctx, "whatsapp", now.Add(time.Minute), 30*time.Second, 10)
			check(t, got)
			got, _ = db.ClaimOutbox(ctx, "whatsapp", now.Add(time.Hour), 30*time.Second, 10)
			check(t, got, "c:c1")
			if got[0].Attempts != 1 {
				t.Errorf("attempts = %d, want 1", got[0].Attempts)
			}
			if err := db.ReleaseOutbox(ctx, got[0]); err != nil {
				t.Fatal(err)
			}
			got, _ = db.ClaimOutbox(ctx, "whatsapp", now.Add(time.Hour), 30*time.Second, 10)
			check(t, got, "c:c1")
		})
		t.Run("web messages are stored as sent and never claimed", func(t *testing.T) {
			got, _ := db.ClaimOutbox(ctx, "web", now.Add(time.Hour), 30*time.Second, 10)
			check(t, got)
		})
		t.Run("the last outbox id of a chat is its newest message", func(t *testing.T) {
			var id, none int64
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				if id, err = tx.LastOutboxID("telegram", "a"); err != nil {
					return err
				}
				none, err = tx.LastOutboxID("telegram", "nobody")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			var want int64
			db.Get(&want, db.Rebind("SELECT id FROM outbox WHERE body = ?"), "a2")
			if id != want || id == 0 {
				t.Errorf("LastOutboxID = %d, want %d", id, want)
			}
			if none != 0 {
				t.Errorf("LastOutboxID of an unknown chat = %d, want 0", none)
			}
		})
	})
}

func TestAnOutcomeWrittenAfterTheLeaseRanOutLeavesTheNewClaimAlone(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		lease := 30 * time.Second
		enqueue(t, db, "telegram", "a", "a1", now)
		late, err := db.ClaimOutbox(ctx, "telegram", now, lease, 10)
		if err != nil || len(late) != 1 {
			t.Fatalf("first claim: %v, %v", late, err)
		}
		// The first dispatcher's lease runs out; another claims the message and is sending it.
		later := now.Add(lease + time.Second)
		taken, err := db.ClaimOutbox(ctx, "telegram", later, lease, 10)
		if err != nil || len(taken) != 1 || taken[0].ID != late[0].ID {
			t.Fatalf("second claim: %v, %v", taken, err)
		}

		outcomes := map[string]func() error{
			"release": func() error { return db.ReleaseOutbox(ctx, late[0]) },
			"retry":   func() error { return db.RetryOutbox(ctx, late[0], later, true, "500") },
			"delay":   func() error { return db.DelayOutbox(ctx, late[0], later.Add(time.Hour)) },
			"fail":    func() error { return db.FailOutbox(ctx, late[0], later, "403") },
		}
		for what, write := range outcomes {
			if err := write(); !errors.Is(err, storage.ErrLeaseLost) {
				t.Errorf("the first dispatcher's %s after its lease: %v, want ErrLeaseLost", what, err)
			}
		}
		// The second claim stands: no third dispatcher gets the message while it is sent.
		if got, err := db.ClaimOutbox(ctx, "telegram", later.Add(time.Second), lease, 10); err != nil || len(got) != 0 {
			t.Errorf("a third claim got %v (%v), want nothing: the second is sending it", bodies(got), err)
		}
		var failed, attempts int
		if err := db.Get(&failed, "SELECT COUNT(*) FROM outbox WHERE failed_at IS NOT NULL"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&attempts, "SELECT attempts FROM outbox"); err != nil {
			t.Fatal(err)
		}
		if failed != 0 || attempts != 0 {
			t.Errorf("after the late outcomes: %d given up, %d attempts; want 0 and 0", failed, attempts)
		}
		// The holder of the claim still writes its own outcome.
		if err := db.RetryOutbox(ctx, taken[0], later, true, "500"); err != nil {
			t.Errorf("the second dispatcher's retry: %v", err)
		}
		if got, _ := db.ClaimOutbox(ctx, "telegram", later.Add(time.Second), lease, 10); len(got) != 1 || got[0].Attempts != 1 {
			t.Errorf("after the holder's retry a claim got %v, want the message with 1 attempt", got)
		}
	})
}

func TestALeaderLockIsHeldByOneProcessAtATime(t *testing.T) {
	ctx := context.Background()
	t.Run("on SQLite the only process always leads", func(t *testing.T) {
		db := storagetest.SQLite(t)
		for range 2 {
			l, err := db.TryLeaderLock(ctx, "telegram-polling")
			if err != nil || l == nil || l.Alive(ctx) != nil {
				t.Fatalf("TryLeaderLock = %v, %v", l, err)
			}
		}
	})
	t.Run("on PostgreSQL a second replica waits until the first lets go", func(t *testing.T) {
		u := storagetest.PostgresURL(t)
		var dbs [2]*storage.DB
		for i := range dbs {
			db, err := storage.Open(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			dbs[i] = db
		}
		name := fmt.Sprint("test-lock-", time.Now().UnixNano()) // locks are database-wide
		first, err := dbs[0].TryLeaderLock(ctx, name)
		if err != nil || first == nil || first.Alive(ctx) != nil {
			t.Fatalf("first TryLeaderLock = %v, %v", first, err)
		}
		if second, err := dbs[1].TryLeaderLock(ctx, name); err != nil || second != nil {
			t.Fatalf("second TryLeaderLock while held = %v, %v; want nil, nil", second, err)
		}
		if other, err := dbs[1].TryLeaderLock(ctx, name+"-another-job"); err != nil || other == nil {
			t.Errorf("a lock of another name = %v, %v; want it granted", other, err)
		} else {
			other.Release()
		}
		first.Release()
		second, err := dbs[1].TryLeaderLock(ctx, name)
		if err != nil || second == nil {
			t.Fatalf("TryLeaderLock after release = %v, %v", second, err)
		}
		second.Release()
	})
}

func TestMarkingManySent(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		for _, m := range [][2]string{{"a", "a1"}, {"a", "a2"}, {"b", "b1"}, {"c", "c1"}} {
			enqueue(t, db, "telegram", m[0], m[1], now)
		}
		got, err := db.ClaimOutbox(ctx, "telegram", now, 30*time.Second, 10)
		if err != nil || len(got) != 3 {
			t.Fatalf("claimed %v, %v", bodies(got), err)
		}
		// a1 and b1 sent in one statement; c1 still leased.
		if err := db.MarkOutboxSentMany(ctx, []int64{got[0].ID, got[1].ID}, now); err != nil {
			t.Fatal(err)
		}
		got, err = db.ClaimOutbox(ctx, "telegram", now.Add(time.Second), 30*time.Second, 10)
		if g := bodies(got); err != nil || len(g) != 1 || g[0] != "a:a2" {
			t.Fatalf("claimed %v, %v; want a2 only (a1 and b1 sent, c1 leased)", g, err)
		}
	})
}

func TestAWebChatTakesItsUnsentMessagesOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		enqueue(t, db, "web", "w", "answered", now) // delivered in its own request
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			for _, m := range [][2]string{{"w", "notice1"}, {"other", "elsewhere"}, {"w", "notice2"}} {
				if err := tx.Enqueue("web", m[0], m[1], now.UnixMilli(), false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		take := func() []string {
			t.Helper()
			var got []string
			err := db.InTx(ctx, func(tx *storage.Tx) (err error) {
				got, err = tx.TakeUnsent("web", "w", now.Add(time.Minute).UnixMilli())
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := take(); fmt.Sprint(got) != "[notice1 notice2]" {
			t.Errorf("first take = %v, want the chat's two unsent messages in order", got)
		}
		if got := take(); len(got) != 0 {
			t.Errorf("second take = %v, want nothing", got)
		}
		if got, _ := db.Transcript(ctx, "web", "w"); fmt.Sprint(got) != "[answered notice1 notice2]" {
			t.Errorf("transcript = %v", got)
		}
		if got, _ := db.Transcript(ctx, "web", "other"); len(got) != 1 {
			t.Errorf("the other chat's transcript = %v", got)
		}
	})
}
