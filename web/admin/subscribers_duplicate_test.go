package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestTheSubscriberFormRefusesADuplicateInWords(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		add := func(address string) (int, string) {
			status, _, page := a.post("/admin/subscribers", url.Values{"scope": {""}, "channel": {"whatsapp"}, "address": {address}})
			return status, page
		}
		if status, page := add("6281234567890"); status != http.StatusSeeOther {
			t.Fatalf("the first subscription: %d %.200s", status, page)
		}
		// The same number written as a local number is the same chat.
		status, page := add("0812-3456-7890")
		if status != http.StatusConflict || !strings.Contains(page, "sudah berlangganan ringkasan yang sama") {
			t.Errorf("the same number again: %d, want 409 saying it already subscribes; page %.300s", status, page)
		}
		if subs, err := db.FindSubscribers(t.Context()); err != nil || len(subs) != 1 {
			t.Errorf("%d subscribers, %v; want 1", len(subs), err)
		}
	})
}
