package webchat_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage/storagetest"
)

// Whatever a browser posts to a survey's messages, the web chat answers 200 with replies or
// 4xx with an error to show, never a 5xx.
func FuzzPostedMessage(f *testing.F) {
	for _, body := range []string{`{"text":"2"}`, `{"text":""}`, `{}`, `[]`, `null`, `"2"`, `{"text":2}`,
		`{"text":"2","id":"1"}`, `{"text":"2","id":""}`, `{"text":"\u0000"}`, "{\"text\":\"\xff\"}", `{"text":"2"`,
		`{"text":"/batal"}`, `{"text":"/start"}`, `{"text":"2"} {"text":"3"}`, ""} {
		f.Add([]byte(body))
	}
	s := newSite(f, storagetest.SQLite(f), bot.Batching{})
	f.Fuzz(func(t *testing.T, body []byte) {
		s.t = t
		b := s.browser(s.visit(time.Hour))
		resp, err := b.hc.Post(s.srv.URL+"/s/"+b.token+"/messages", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out struct {
			Replies []bot.Reply `json:"replies"`
			Error   string      `json:"error"`
		}
		switch err := json.Unmarshal(raw, &out); {
		case err != nil:
			t.Errorf("%q: %d %q is not JSON", body, resp.StatusCode, raw)
		case resp.StatusCode == http.StatusOK && len(out.Replies) == 0:
			t.Errorf("%q: 200 without replies: %s", body, raw)
		case resp.StatusCode >= 400 && resp.StatusCode < 500 && out.Error == "":
			t.Errorf("%q: %d without an error: %s", body, resp.StatusCode, raw)
		case resp.StatusCode != http.StatusOK && (resp.StatusCode < 400 || resp.StatusCode >= 500):
			t.Errorf("%q: %d %s", body, resp.StatusCode, raw)
		}
	})
}
