package whatsappcloud_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"sukma/bot/whatsappcloud"
	"sukma/storage/storagetest"
)

// Whatever Meta (or anyone with the app secret) posts to the webhook, signed, it is stored
// (200) or refused as not a payload (400): a 500 would make Meta deliver it again and again.
func FuzzWebhookBody(f *testing.F) {
	sample, err := os.ReadFile("testdata/text.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sample)
	for _, body := range []string{
		`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"628","id":"w1","timestamp":"x","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"o:1:2","title":"Sesuai"}}}]}}]}]}`,
		`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"from":"","id":"","type":"text","text":{"body":"\u0000"}}]}}]}]}`,
		`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"statuses":[{"id":"w","status":"failed"}]}}]}]}`,
		`{"object":"x"}`, `{}`, `[]`, `null`, "",
	} {
		f.Add([]byte(body))
	}
	webhook := newHarness(f, storagetest.SQLite(f)).a.Webhook()
	f.Fuzz(func(t *testing.T, body []byte) {
		mac := hmac.New(sha256.New, []byte(appSecret))
		mac.Write(body)
		r := httptest.NewRequest("POST", whatsappcloud.WebhookPath, bytes.NewReader(body))
		r.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		w := httptest.NewRecorder()
		webhook.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("%q: %d %s", body, w.Code, w.Body)
		}
	})
}
