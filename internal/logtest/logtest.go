// Package logtest holds what tests use to read a log written from several goroutines.
package logtest

import (
	"bytes"
	"sync"
)

// Buffer is an io.Writer for a logger whose output a test reads while goroutines (a
// dispatcher, an HTTP server) still write to it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
