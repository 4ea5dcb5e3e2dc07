package webchat_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage/storagetest"
)

// A survey link copied from a message with the punctuation after it ("…/s/TOKEN." or
// "(…/s/TOKEN)") opens the survey: it is sent to the link without it, by a relative
// address (the same under a proxy's path), as a link with a slash at its end is. Any other
// link that is no token gets a page like the chat's, in its style, saying it is unknown.
func TestASurveyLinkWithPunctuationAfterItOpensThePage(t *testing.T) {
	s := newSite(t, storagetest.SQLite(t), bot.Batching{})
	token := s.visit(time.Hour)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(t *testing.T, c *http.Client, path string) (*http.Response, string) {
		t.Helper()
		resp, err := c.Get(s.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(body)
	}
	for _, tt := range []struct{ path, location string }{
		{"/s/" + token + ".", token},
		{"/s/" + token + ")", token},
		{"/s/" + token + ").", token},
		{"/s/" + token + "%E2%80%9D", token}, // a closing quotation mark
		{"/s/" + token + "%20", token},
		{"/s/" + token + ".?utm_source=wa", token + "?utm_source=wa"},
		{"/s/" + token + "./", "../" + token},
		{"/s/" + token + "/", "../" + token},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := get(t, noRedirect, tt.path)
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tt.location {
				t.Errorf("%d to %q, want 301 to %q", resp.StatusCode, resp.Header.Get("Location"), tt.location)
			}
			resp, body := get(t, http.DefaultClient, tt.path)
			if resp.StatusCode != 200 || resp.Request.URL.Path != "/s/"+token || !strings.Contains(body, "chat.js") {
				t.Errorf("followed: %d at %s, want the page", resp.StatusCode, resp.Request.URL)
			}
		})
	}
	for _, path := range []string{"/s/bad!token", "/s/bad!token/", "/s/" + url.PathEscape("!)."), "/s/" + token + "x.!y"} {
		t.Run(path, func(t *testing.T) {
			resp, body := get(t, noRedirect, path)
			if resp.StatusCode != http.StatusNotFound || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
				!strings.Contains(body, "Tautan survei tidak dikenal") || !strings.Contains(body, "Unknown survey link") {
				t.Fatalf("%d %s: %.300s; want the page saying the link is unknown", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			i := strings.Index(body, `href="`)
			css, _ := url.Parse(body[i+6 : i+6+strings.Index(body[i+6:], `"`)])
			if resp, _ := get(t, http.DefaultClient, resp.Request.URL.ResolveReference(css).Path); resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") {
				t.Errorf("its style sheet %s: %d %s", css, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
		})
	}
}
