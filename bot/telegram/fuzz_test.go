package telegram_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"sukma/bot/telegram"
	"sukma/storage/storagetest"
)

// Whatever Telegram (or anyone with the secret) posts to the webhook, it is stored (200) or
// refused as not an update (400): a 500 would make Telegram deliver it again and again.
func FuzzWebhookBody(f *testing.F) {
	for _, body := range []string{
		`{"update_id":1,"message":{"message_id":1,"date":1,"from":{"id":7,"first_name":"W"},"chat":{"id":7,"type":"private"},"text":"/start"}}`,
		`{"update_id":2,"message":{"message_id":1,"date":1,"from":{"id":-7,"first_name":"W"},"chat":{"id":-7,"type":"private"},"text":"2"}}`,
		`{"update_id":3,"message":{"message_id":1,"date":-1,"chat":{"id":7,"type":"private"},"text":"x"}}`,
		`{"update_id":4,"message":{"message_id":1,"date":1,"from":{"id":7},"chat":{"id":7,"type":"group"},"text":"x"}}`,
		`{"update_id":5,"edited_message":{"message_id":1,"date":1,"from":{"id":7},"chat":{"id":7,"type":"private"},"text":"3"}}`,
		`{"update_id":6,"callback_query":{"id":"q","from":{"id":7},"data":"o:1:2","message":{"message_id":1,"date":1,"chat":{"id":7,"type":"private"}}}}`,
		`{"update_id":10,"callback_query":{"id":"q","from":{"id":7},"data":"s:1","message":{"message_id":1,"date":1,"chat":{"id":7,"type":"private"}}}}`,
		`{"update_id":11,"callback_query":{"id":"q","from":{"id":7},"data":"s:0","message":{"message_id":1,"date":1,"chat":{"id":7,"type":"private"}}}}`,
		`{"update_id":7,"callback_query":{"id":"q","from":{"id":7},"data":"\u0000"}}`,
		`{"update_id":8,"callback_query":{"id":"q","from":{"id":7}}}`,
		`{"update_id":9}`, `{"update_id":0}`, `{}`, `[]`, `null`, `{"update_id":"1"}`, "",
	} {
		f.Add([]byte(body))
	}
	webhook := newHarness(f, storagetest.SQLite(f)).a.Webhook("secret")
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", telegram.WebhookPath, bytes.NewReader(body))
		r.Header.Set("X-Telegram-Bot-Api-Secret-Token", "secret")
		w := httptest.NewRecorder()
		webhook.ServeHTTP(w, r)
		if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
			t.Errorf("%q: %d %s", body, w.Code, w.Body)
		}
	})
}
