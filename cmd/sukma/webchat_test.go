package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"sukma/config"
	"sukma/storage/storagetest"
)

// client talks to a running Sukma as a script or a browser would.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, auth bool) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	if auth {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// newVisit creates a visit for the demo unit and returns its token.
func (c *client) newVisit() string {
	c.t.Helper()
	code, body := c.do("POST", "/api/v1/visits", map[string]string{"unit": "DEMO"}, true)
	var v struct{ Token string }
	if code != 201 || json.Unmarshal(body, &v) != nil || v.Token == "" {
		c.t.Fatalf("POST /api/v1/visits = %d %s", code, body)
	}
	return v.Token
}

type chatReplies struct {
	Replies []struct {
		Text    string
		Options []struct{ Label string }
	}
}

func (c *client) say(token, text string) chatReplies {
	c.t.Helper()
	code, body := c.do("POST", "/s/"+token+"/messages", map[string]string{"text": text}, false)
	var r chatReplies
	if code != 200 || json.Unmarshal(body, &r) != nil {
		c.t.Fatalf("POST /s/%s/messages %q = %d %s", token, text, code, body)
	}
	return r
}

// surveyAnswers completes the built-in flow with U3 = 2, so the follow-up is asked.
var surveyAnswers = []string{"1", "52", "3", "6", "4", "3", "2", "3", "4", "4", "3", "3", "4", "Loket kurang", "-"}

func TestACitizenCompletesTheSurveyInTheWebChatAPI(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			app, base := startApp(t, url(t))
			c := &client{t: t, base: base, token: app.Config.AdminToken}
			token := c.newVisit()

			code, body := c.do("GET", "/s/"+token+"/messages", nil, false)
			if code != 200 || !strings.Contains(string(body), "Jenis kelamin") {
				t.Fatalf("GET messages = %d %s", code, body)
			}
			// Bad input of every kind gets a re-prompt, never an error.
			for _, bad := range []string{"", "9", "😀", strings.Repeat("ab", 2500), "{}"} {
				r := c.say(token, bad)
				if len(r.Replies) != 1 || !strings.Contains(r.Replies[0].Text, "balas dengan nomornya (1–2)") {
					t.Errorf("bad input %.10q: %+v", bad, r)
				}
			}
			var last chatReplies
			for _, a := range surveyAnswers {
				last = c.say(token, a)
			}
			if len(last.Replies) != 1 || !strings.Contains(last.Replies[0].Text, "tercatat") {
				t.Fatalf("last replies = %+v", last)
			}
			// GET returns the whole conversation, the thank-you last.
			_, body = c.do("GET", "/s/"+token+"/messages", nil, false)
			var all chatReplies
			json.Unmarshal(body, &all)
			if n := len(all.Replies); n < 17 || !strings.Contains(all.Replies[n-1].Text, "tercatat") {
				t.Errorf("transcript has %d messages, last %+v", n, all.Replies[max(n-1, 0)])
			}

			var row struct {
				Scores                   [9]int
				JK, Pend, Pek, Perbaikan string
				Usia                     int
				SaranNull                bool
			}
			err := app.DB.QueryRowx(`SELECT u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin, pendidikan, pekerjaan, perbaikan, usia, saran IS NULL FROM responses WHERE status = 'complete'`).Scan(
				&row.Scores[0], &row.Scores[1], &row.Scores[2], &row.Scores[3], &row.Scores[4], &row.Scores[5], &row.Scores[6], &row.Scores[7], &row.Scores[8],
				&row.JK, &row.Pend, &row.Pek, &row.Perbaikan, &row.Usia, &row.SaranNull)
			if err != nil {
				t.Fatal(err)
			}
			if row.Scores != [9]int{4, 3, 2, 3, 4, 4, 3, 4, 3} || row.JK != "L" || row.Usia != 52 || row.Pend != "SMA" || row.Pek != "LAINNYA" || row.Perbaikan != "Loket kurang" || !row.SaranNull {
				t.Errorf("stored response = %+v", row)
			}

			_, metrics := c.do("GET", "/metrics", nil, false)
			for _, want := range []string{`sukma_responses_total{status="complete"}`, `sukma_inbound_messages_total{channel="web"}`, "sukma_engine_step_seconds_bucket"} {
				if !strings.Contains(string(metrics), want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}

			// The same token cannot produce a second response, and the chat says its answers
			// are recorded.
			r := c.say(token, "/ulang")
			if len(r.Replies) != 1 || !strings.Contains(r.Replies[0].Text, "sudah tercatat") {
				t.Errorf("after the end: %+v", r)
			}
			var n int
			app.DB.Get(&n, "SELECT COUNT(*) FROM responses")
			if n != 1 {
				t.Errorf("%d responses, want 1", n)
			}
		})
	}
}

func TestTheWebChatRejectsBadRequestsWith4xx(t *testing.T) {
	_, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base}
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"a token with bad characters", "GET", "/s/bad%20token!/messages", "", 404, "unknown survey link"},
		{"a token longer than 64 characters", "GET", "/s/" + strings.Repeat("a", 65) + "/messages", "", 404, "unknown survey link"},
		{"malformed JSON", "POST", "/s/abc/messages", "{", 400, "bukan JSON yang sah"},
		{"an unknown field", "POST", "/s/abc/messages", `{"txt":"1"}`, 400, `unknown field \"txt\"`},
		{"a body over 64 KiB", "POST", "/s/abc/messages", `{"text":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "larger than 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, c.base+tt.path, strings.NewReader(tt.body))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.status || !strings.Contains(string(body), tt.want) {
				t.Errorf("got %d %s, want %d containing %q", resp.StatusCode, body, tt.status, tt.want)
			}
		})
	}
	t.Run("an unknown token is told so and leaves nothing behind", func(t *testing.T) {
		code, body := c.do("GET", "/s/nosuchtoken/messages", nil, false)
		if code != 200 || !strings.Contains(string(body), "tidak dikenal") {
			t.Errorf("got %d %s", code, body)
		}
	})
}

func TestWalkInsOnAStandingLinkEachHaveTheirOwnChat(t *testing.T) {
	app, base := startApp(t, storagetest.SQLiteURL(t))
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	code, body := c.do("POST", "/api/v1/units/DEMO/standing", nil, true)
	var link struct{ Token string }
	if code/100 != 2 || json.Unmarshal(body, &link) != nil {
		t.Fatalf("standing link: %d %s", code, body)
	}
	browserSays := func(hc *http.Client, text string) string {
		b, _ := json.Marshal(map[string]string{"text": text})
		resp, err := hc.Post(base+"/s/"+link.Token+"/messages", "application/json", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return string(out)
	}
	var browsers [2]*http.Client
	for i := range browsers {
		jar, _ := cookiejar.New(nil)
		browsers[i] = &http.Client{Jar: jar}
		resp, err := browsers[i].Get(base + "/s/" + link.Token) // the page sets the browser cookie
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := browserSays(browsers[i], ""); !strings.Contains(got, "Jenis kelamin") {
			t.Fatalf("browser %d starts with %s", i, got)
		}
	}
	if got := browserSays(browsers[0], "1"); !strings.Contains(got, "usia") {
		t.Fatalf("browser 0 answers: %s", got)
	}
	// The second walk-in is still at the first question: the chats are apart.
	if got := browserSays(browsers[1], "abc"); !strings.Contains(got, "Jenis kelamin") {
		t.Errorf("browser 1 after browser 0 answered: %s", got)
	}
}

// Behind a trusted proxy the bound on standing-link surveys counts each client apart, by the
// address the proxy forwards, not the proxy's own.
func TestStandingLinkStartsAreCountedPerClientBehindAProxy(t *testing.T) {
	app, base := startApp(t, storagetest.SQLiteURL(t), func(c *config.Config) { c.TrustedProxies = "127.0.0.1" })
	c := &client{t: t, base: base, token: app.Config.AdminToken}
	code, body := c.do("POST", "/api/v1/units/DEMO/standing", nil, true)
	var link struct{ Token string }
	if code/100 != 2 || json.Unmarshal(body, &link) != nil {
		t.Fatalf("standing link: %d %s", code, body)
	}
	start := func(client string) string {
		jar, _ := cookiejar.New(nil)
		hc := &http.Client{Jar: jar}
		for _, path := range []string{"/s/" + link.Token, "/s/" + link.Token + "/messages"} {
			req, _ := http.NewRequest("GET", base+path, nil)
			req.Header.Set("X-Forwarded-For", client)
			resp, err := hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = out
		}
		return string(body)
	}
	for i := range 31 {
		if got := start(fmt.Sprintf("203.0.113.%d", i+1)); !strings.Contains(got, "Jenis kelamin") {
			t.Fatalf("client %d of 31, each from its own address: %s", i+1, got)
		}
	}
	for i := range 30 {
		if got := start("198.51.100.7"); !strings.Contains(got, "Jenis kelamin") {
			t.Fatalf("survey %d of one address: %s", i+1, got)
		}
	}
	if got := start("198.51.100.7"); !strings.Contains(got, "Terlalu banyak survei") {
		t.Errorf("survey 31 of one address: %s, want to be told to try again later", got)
	}
}
