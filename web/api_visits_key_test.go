package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// postVisit posts body to /api/v1/visits with the given Idempotency-Key headers.
func postVisit(h http.Handler, body string, keys ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/api/v1/visits", strings.NewReader(body))
	r.Header.Set("Authorization", bearer)
	for _, k := range keys {
		r.Header.Add("Idempotency-Key", k)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func tokenOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var v struct {
		Token string `json:"token"`
	}
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &v) != nil || v.Token == "" {
		t.Fatalf("%d %s, want 201 with a token", rec.Code, rec.Body)
	}
	return v.Token
}

// A kiosk whose POST timed out sends it again with the same Idempotency-Key: it gets the same
// visit, as the first answer was, and the citizen gets one WhatsApp invitation, not two.
func TestAVisitRequestRetriedWithItsKeyMakesOneVisit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		db.Now = func() time.Time { return now }
		api := newAPI(t, db, cloudOn)
		body := `{"unit":"SAMSAT-SBY","service":"STNK","phone":"+6281234567890"}`
		first := postVisit(api, body, "kiosk-7-0042")
		token := tokenOf(t, first)
		if first.Header().Get("Idempotent-Replayed") != "" {
			t.Errorf("the first answer says Idempotent-Replayed")
		}
		db.Now = func() time.Time { return now.Add(time.Minute) } // the retry comes later
		again := postVisit(api, body, "kiosk-7-0042")
		if got := tokenOf(t, again); got != token || again.Body.String() != first.Body.String() {
			t.Errorf("the retry got %s, want the first answer %s", again.Body, first.Body)
		}
		if again.Header().Get("Idempotent-Replayed") != "true" {
			t.Errorf("the retry's Idempotent-Replayed = %q, want true", again.Header().Get("Idempotent-Replayed"))
		}
		var visits, invitations int
		if err := db.Get(&visits, "SELECT COUNT(*) FROM visits"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&invitations, "SELECT COUNT(*) FROM outbox WHERE channel = 'whatsapp'"); err != nil {
			t.Fatal(err)
		}
		if visits != 1 || invitations != 1 {
			t.Errorf("%d visits and %d invitations, want 1 and 1", visits, invitations)
		}
		// The Cloud API switched off since: the retry still gets its visit.
		if got := tokenOf(t, postVisit(newAPI(t, db), body, "kiosk-7-0042")); got != token {
			t.Errorf("the retry after the Cloud API went off got another visit")
		}
		// Codes are found in any case: the same request.
		if got := tokenOf(t, postVisit(api, `{"unit":"samsat-sby","service":"stnk","phone":"6281234567890"}`, "kiosk-7-0042")); got != token {
			t.Errorf("the retry with codes in lower case got another visit")
		}
		// Without a key, every call makes a visit, as before.
		if a, b := tokenOf(t, postVisit(api, `{"unit":"SAMSAT-SBY"}`)), tokenOf(t, postVisit(api, `{"unit":"SAMSAT-SBY"}`)); a == b {
			t.Errorf("two calls without a key gave one visit")
		}
		// Another key is another visit.
		if other := tokenOf(t, postVisit(api, body, "kiosk-7-0043")); other == token {
			t.Errorf("another key gave the same visit")
		}
	})
}

// The same key with another request is refused: the client reused a key by mistake, and
// either answer would be wrong.
func TestAnIdempotencyKeyReusedForAnotherVisitIsRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		api := newAPI(t, db, cloudOn)
		tokenOf(t, postVisit(api, `{"unit":"SAMSAT-SBY","service":"STNK"}`, "k1"))
		for _, body := range []string{
			`{"unit":"SAMSAT-SBY"}`,
			`{"unit":"SAMSAT-SBY","service":"STNK","phone":"6281234567890"}`,
		} {
			rec := postVisit(api, body, "k1")
			if got := errorOf(t, rec); rec.Code != 422 || !strings.Contains(got, "Idempotency-Key") {
				t.Errorf("%s with a used key: %d %q, want 422 naming the key", body, rec.Code, got)
			}
		}
	})
}

func TestAMalformedIdempotencyKeyIsRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		api := newAPI(t, db)
		for name, keys := range map[string][]string{
			"empty":       {""},
			"a space":     {"kiosk 7"},
			"not ASCII":   {"kunci-é"},
			"too long":    {strings.Repeat("k", 256)},
			"two of them": {"a", "b"},
		} {
			rec := postVisit(api, `{"unit":"SAMSAT-SBY"}`, keys...)
			if got := errorOf(t, rec); rec.Code != 400 || !strings.Contains(got, "Idempotency-Key") {
				t.Errorf("%s: %d %q, want 400 naming the header", name, rec.Code, got)
			}
		}
		if rec := postVisit(api, `{"unit":"SAMSAT-SBY"}`, strings.Repeat("k", 255)); rec.Code != 201 {
			t.Errorf("a key of 255 characters: %d %s, want 201", rec.Code, rec.Body)
		}
	})
}

// Retries that race (the kiosk gave up early, twice) still make one visit.
func TestRetriesOfOneVisitRequestAtOnceMakeOneVisit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		api := newAPI(t, db, cloudOn)
		body := `{"unit":"SAMSAT-SBY","phone":"6281234567890"}`
		recs := make([]*httptest.ResponseRecorder, 8)
		var wg sync.WaitGroup
		for i := range recs {
			wg.Go(func() { recs[i] = postVisit(api, body, "race-1") })
		}
		wg.Wait()
		token := tokenOf(t, recs[0])
		for _, rec := range recs[1:] {
			if got := tokenOf(t, rec); got != token {
				t.Errorf("token %s, want %s for every retry", got, token)
			}
		}
		var visits, invitations int
		if err := db.Get(&visits, "SELECT COUNT(*) FROM visits"); err != nil {
			t.Fatal(err)
		}
		if err := db.Get(&invitations, "SELECT COUNT(*) FROM outbox"); err != nil {
			t.Fatal(err)
		}
		if visits != 1 || invitations != 1 {
			t.Errorf("%d visits and %d invitations, want 1 and 1", visits, invitations)
		}
	})
}
