package storagetest

import (
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FreezeProxy forwards TCP to a database until frozen. Frozen, it keeps every socket open and
// forwards nothing: to the client, a database machine that lost power, a cut network, or a
// server that accepts and never answers.
type FreezeProxy struct {
	ln      net.Listener
	frozen  atomic.Bool
	mu      sync.Mutex
	conns   []net.Conn
	stopped bool
}

// NewFreezeProxy starts a proxy to the host of databaseURL and returns it with the URL that
// goes through it. It stops when the test ends.
func NewFreezeProxy(t testing.TB, databaseURL string) (*FreezeProxy, string) {
	t.Helper()
	u, err := url.Parse(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &FreezeProxy{ln: ln}
	target := u.Host
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
			p.mu.Lock()
			if p.stopped {
				c.Close()
				s.Close()
			}
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go pipe(s, c)
			go pipe(c, s)
		}
	}()
	t.Cleanup(func() { p.Freeze(false); ln.Close() })
	u.Host = ln.Addr().String()
	return p, u.String()
}

// Freeze stops (true) or resumes (false) the forwarding.
func (p *FreezeProxy) Freeze(frozen bool) { p.frozen.Store(frozen) }

// Stop closes every connection and refuses new ones: to the client, a database server that
// went down (or a network that resets).
func (p *FreezeProxy) Stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopped = true
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}
