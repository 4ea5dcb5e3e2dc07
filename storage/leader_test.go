package storage_test

import (
	"context"
	"net"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// freezeProxy forwards TCP to target until frozen. Frozen, it keeps both sockets open and
// forwards nothing: to the client, a database machine that lost power or a cut network.
type freezeProxy struct {
	ln     net.Listener
	frozen atomic.Bool
}

func newFreezeProxy(t *testing.T, target string) *freezeProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezeProxy{ln: ln}
	pipe := func(dst, src net.Conn) {
		defer dst.Close()
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if err != nil {
				return
			}
			for p.frozen.Load() {
				time.Sleep(10 * time.Millisecond)
			}
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			go pipe(s, c)
			go pipe(c, s)
		}
	}()
	t.Cleanup(func() { p.frozen.Store(false); ln.Close() })
	return p
}

// A replica whose database stops answering (a cut network) finds its leader lock lost
// within seconds and lets it go without waiting on the silent connection: it stops polling
// Telegram, where it could no longer store what it fetched.
func TestASilentLeaderLockIsFoundLostInSeconds(t *testing.T) {
	u, err := url.Parse(storagetest.PostgresURL(t))
	if err != nil {
		t.Fatal(err)
	}
	p := newFreezeProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	ctx := context.Background()
	db, err := storage.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	lock, err := db.TryLeaderLock(ctx, "test-silent-leader")
	if err != nil || lock == nil {
		t.Fatalf("TryLeaderLock = %v, %v", lock, err)
	}
	if err := lock.Alive(ctx); err != nil {
		t.Fatalf("Alive before the cut: %v", err)
	}
	p.frozen.Store(true)
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
	p.frozen.Store(false) // the rest drains, and the database closes
	db.Close()
}
