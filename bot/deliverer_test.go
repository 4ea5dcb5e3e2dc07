package bot

import (
	"bytes"
	"fmt"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// deliverers counts the goroutines that are deliverers now (every dispatcher's), and those of
// them that wait for a chat (parked in their select, out of deliverChat).
func deliverers(t *testing.T) (all, idle int) {
	t.Helper()
	var b bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&b, 2); err != nil {
		t.Fatal(err)
	}
	for g := range strings.SplitSeq(b.String(), "\n\ngoroutine ") {
		if !strings.Contains(g, "bot.(*Dispatcher).deliverer(") {
			continue
		}
		all++
		if header, _, _ := strings.Cut(g, "\n"); strings.Contains(header, "[select") && !strings.Contains(g, "deliverChat(") {
			idle++
		}
	}
	return all, idle
}

// A deliverer done with its chat takes the next chat handed over while it lingers: one
// goroutine delivers one chat after another, keeping the stack that sending grew; chats
// handed over while it is busy get deliverers of their own.
func TestADelivererGoesOnToTheNextChat(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		waitFor(t, "the deliverers of earlier tests gone", func() bool { all, _ := deliverers(t); return all == 0 })
		e, _, r := handingOff(t, db, time.Hour)
		for i, c := range []string{"a", "b", "c"} {
			e.runBatch([]*batchJob{job(c, fmt.Sprint("e", i), c+"1", nil)})
			waitFor(t, c+"'s reply sent", func() bool { return len(r.to(c)) == 1 })
			waitFor(t, "the delivery ended", func() bool {
				all, idle := deliverers(t)
				return unsent(t, db) == 0 && all == idle
			})
		}
		if all, idle := deliverers(t); all != 1 || idle != 1 {
			t.Errorf("%d deliverers (%d waiting) after three chats one after another, want one lingering", all, idle)
		}
		waitFor(t, "the deliverer gone once it lingered", func() bool { all, _ := deliverers(t); return all == 0 })
	})
}
