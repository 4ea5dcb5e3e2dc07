package web

import (
	"encoding/json"
	"strings"
	"testing"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A head subscribed by the API is told at once, in the subscription's language, what the
// messages are and how to stop them; a refused subscription writes nothing.
func TestASubscriberMadeByTheAPIIsWelcomed(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := subscriberServer(t, db)
		body := `{"agency":"DUKCAPIL","channel":"telegram","address":"4455","language":"en","alerts":true}`
		for range 2 { // the second is refused as a duplicate
			send(h, "POST", "/api/v1/subscribers", body)
		}
		var bodies []string
		if err := db.Select(&bodies, db.Rebind("SELECT body FROM outbox WHERE channel = ? AND chat_id = ?"), "telegram", "4455"); err != nil {
			t.Fatal(err)
		}
		if len(bodies) != 1 {
			t.Fatalf("%d messages, want one welcome: %q", len(bodies), bodies)
		}
		var r bot.Reply
		if err := json.Unmarshal([]byte(bodies[0]), &r); err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"An SKM admin has subscribed this chat", "for all units of DUKCAPIL", "every Monday at 07:00", "You will also get an alert", "To stop, send /unsubscribe."} {
			if !strings.Contains(r.Text, w) {
				t.Errorf("welcome lacks %q:\n%s", w, r.Text)
			}
		}
	})
}
