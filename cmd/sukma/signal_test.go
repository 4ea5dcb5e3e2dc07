package main

import (
	"syscall"
	"testing"
	"time"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage/storagetest"
)

// SIGHUP, which a server started in a terminal gets when the terminal (an SSH session)
// closes, stops serve as SIGTERM does: its requests finished, its database closed, exit 0.
// By default it would kill it on the spot.
func TestServeStopsCleanlyOnEveryShutdownSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			api := telegramtest.New("123:load")
			t.Cleanup(api.Close)
			cmd := replica(t, storagetest.SQLiteURL(t), freeAddr(t), api.Endpoint(), "polling")
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("after %s serve ended with %v, want exit 0 after shutting down", sig, err)
				}
			case <-time.After(40 * time.Second):
				t.Fatalf("serve still runs 40 s after %s", sig)
			}
		})
	}
}
