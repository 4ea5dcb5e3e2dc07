package storage_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A replica whose database stops answering (a cut network) finds its leader lock lost
// within seconds and lets it go without waiting on the silent connection: it stops polling
// Telegram, where it could no longer store what it fetched.
func TestASilentLeaderLockIsFoundLostInSeconds(t *testing.T) {
	p, proxied := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t))
	ctx := context.Background()
	db, err := storage.Open(ctx, proxied)
	if err != nil {
		t.Fatal(err)
	}
	// Locks are server-wide, and the frozen session holds this one until PostgreSQL drops it:
	// a name of its own, so that a run soon after (or beside) this one is not refused it.
	lock, err := db.TryLeaderLock(ctx, fmt.Sprint("test-silent-leader-", time.Now().UnixNano()))
	if err != nil || lock == nil {
		t.Fatalf("TryLeaderLock = %v, %v", lock, err)
	}
	if err := lock.Alive(ctx); err != nil {
		t.Fatalf("Alive before the cut: %v", err)
	}
	p.Freeze(true)
	began := time.Now()
	if err := lock.Alive(ctx); err == nil {
		t.Fatal("Alive after the cut: no error")
	}
	released := make(chan struct{})
	go func() { lock.Release(); close(released) }()
	select {
	case <-released:
	case <-time.After(time.Second):
		t.Error("Release waited on the silent connection")
	}
	if took := time.Since(began); took > 10*time.Second {
		t.Errorf("the lock was found lost after %v", took)
	}
	p.Freeze(false) // the rest drains, and the database closes
	db.Close()
}
