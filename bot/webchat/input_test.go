package webchat_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// pageReply is a reply as the page reads it, with what it says of how its question is
// answered.
type pageReply struct {
	Text, Question, Input, Skip string
	Max                         int
	Options                     []struct{ Label string }
}

// page sends a request as the page does and returns the last reply it got.
func (b *browser) page(method string, text string) pageReply {
	b.s.t.Helper()
	var body io.Reader
	if method == "POST" {
		j, _ := json.Marshal(map[string]string{"text": text})
		body = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.s.srv.URL+"/s/"+b.token+"/messages", body)
	resp, err := b.hc.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Replies []pageReply }
	if raw, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 || json.Unmarshal(raw, &out) != nil || len(out.Replies) == 0 {
		b.s.t.Fatalf("%s messages = %d %s", method, resp.StatusCode, raw)
	}
	return out.Replies[len(out.Replies)-1]
}

// The last reply says how its question is answered when it has no options: a free-text
// question with its limit, so that the page shows it before a long text is refused; a number.
// A question with options says nothing more.
func TestTheWebChatSaysHowTheQuestionAskedIsAnswered(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser(s.visit(time.Hour))
		check := func(when string, got pageReply, question, input string, max int) {
			t.Helper()
			if got.Question != question || got.Input != input || got.Max != max {
				t.Errorf("%s: question %q input %q max %d; want %q %q %d", when, got.Question, got.Input, got.Max, question, input, max)
			}
		}
		check("the first question", b.page("GET", ""), "jenis_kelamin", "", 0)
		check("the age", b.page("POST", "1"), "usia", "number", 0)
		check("the age asked again", b.page("POST", "abc"), "usia", "number", 0)
		check("the page opened at the age", b.page("GET", ""), "usia", "number", 0)
		var got pageReply
		for _, a := range fullSurvey[1:13] {
			got = b.page("POST", a)
		}
		check("what to improve", got, "perbaikan", "text", 1000)
		check("the page opened there", b.page("GET", ""), "perbaikan", "text", 1000)
		check("the suggestion", b.page("POST", "Loket kurang"), "saran", "text", 1000)
		check("the thanks", b.page("POST", "-"), "", "", 0)
	})
}
