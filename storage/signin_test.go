package storage_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestSignInLimitIsSharedByReplicas(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			u := url(t)
			now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
			var replicas [2]*storage.DB
			for i := range replicas {
				db, err := storage.Open(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				db.Now = func() time.Time { return now }
				replicas[i] = db
			}
			l := storage.SignInLimit{Burst: 5, Every: 12 * time.Second}
			wait := func(db *storage.DB, keys ...string) time.Duration {
				t.Helper()
				w, err := db.SignInWait(ctx, l, keys...)
				if err != nil {
					t.Fatal(err)
				}
				return w
			}

			// Five failures, spread over both replicas, use up the burst of both keys.
			for i := range 5 {
				db := replicas[i%2]
				if w := wait(db, "ip:a", "user:x"); w != 0 {
					t.Fatalf("attempt %d must wait %v", i+1, w)
				}
				if err := db.SignInFailed(ctx, l, "ip:a", "user:x"); err != nil {
					t.Fatal(err)
				}
			}
			for i, db := range replicas {
				if w := wait(db, "ip:a", "user:y"); w != 12*time.Second {
					t.Errorf("replica %d: the address waits %v after five failures, want 12s", i, w)
				}
				if w := wait(db, "ip:b", "user:x"); w != 12*time.Second {
					t.Errorf("replica %d: the username waits %v from another address, want 12s", i, w)
				}
				if w := wait(db, "ip:b", "user:y"); w != 0 {
					t.Errorf("replica %d: another address and username wait %v, want 0", i, w)
				}
			}

			now = now.Add(3 * time.Second) // a quarter of a token back
			if w := wait(replicas[1], "ip:a"); w != 9*time.Second {
				t.Errorf("3 s later the address waits %v, want 9s", w)
			}
			now = now.Add(9 * time.Second) // one token back: one more try
			if w := wait(replicas[1], "ip:a"); w != 0 {
				t.Errorf("12 s later the address waits %v, want 0", w)
			}
			if err := replicas[1].SignInFailed(ctx, l, "ip:a"); err != nil {
				t.Fatal(err)
			}
			if w := wait(replicas[0], "ip:a"); w != 12*time.Second {
				t.Errorf("after that try failed too the address waits %v, want 12s", w)
			}

			// A minute later the buckets are full; the next attempt forgets them.
			now = now.Add(time.Minute)
			if w := wait(replicas[0], "ip:c"); w != 0 {
				t.Errorf("a new address waits %v", w)
			}
			if err := replicas[0].SignInFailed(ctx, l, "ip:c"); err != nil {
				t.Fatal(err)
			}
			var keys []string
			if err := replicas[0].Select(&keys, "SELECT key FROM signin_failures ORDER BY key"); err != nil {
				t.Fatal(err)
			}
			ipC := sha256.Sum256([]byte("ip:c"))
			if len(keys) != 1 || keys[0] != hex.EncodeToString(ipC[:]) {
				t.Errorf("kept %v, want only the new failure's key, hashed: full buckets are forgotten", keys)
			}

			// A username as long as a form allows is a key like any other.
			long := "user:" + strings.Repeat("x", 1<<20)
			if err := replicas[0].SignInFailed(ctx, l, long); err != nil {
				t.Fatal(err)
			}
			if w := wait(replicas[1], long); w != 0 {
				t.Errorf("one failure of a long username waits %v, want 0", w)
			}
		})
	}
}
