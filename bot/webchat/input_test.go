package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
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
// A question that may be skipped says with what, and that skips it. A question with options
// says nothing more.
func TestTheWebChatSaysHowTheQuestionAskedIsAnswered(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser(s.visit(time.Hour))
		check := func(when string, got pageReply, question, input string, max int, skip string) {
			t.Helper()
			if got.Question != question || got.Input != input || got.Max != max || got.Skip != skip {
				t.Errorf("%s: question %q input %q max %d skip %q; want %q %q %d %q", when, got.Question, got.Input, got.Max, got.Skip, question, input, max, skip)
			}
		}
		check("the first question", b.page("GET", ""), "jenis_kelamin", "", 0, "")
		check("the age", b.page("POST", "1"), "usia", "number", 0, "")
		check("the age asked again", b.page("POST", "abc"), "usia", "number", 0, "")
		check("the page opened at the age", b.page("GET", ""), "usia", "number", 0, "")
		var got pageReply
		for _, a := range fullSurvey[1:13] {
			got = b.page("POST", a)
		}
		check("what to improve", got, "perbaikan", "text", 1000, "lewati")
		check("the page opened there", b.page("GET", ""), "perbaikan", "text", 1000, "lewati")
		check("the suggestion, the improvement skipped", b.page("POST", got.Skip), "saran", "text", 1000, "lewati")
		check("in English", b.page("POST", "/bahasa en"), "saran", "text", 1000, "skip")
		check("the thanks", b.page("POST", "skip"), "", "", 0, "")
		var answers int
		if err := s.db.Get(&answers, s.db.Rebind("SELECT COUNT(*) FROM answers a JOIN sessions s ON s.id = a.session_id WHERE s.visit_token = ? AND a.question_id IN ('perbaikan', 'saran')"), b.token); err != nil || answers != 0 {
			t.Errorf("%d answers to the skipped questions (%v), want none", answers, err)
		}
	})
}

// A question with options that may be skipped says with what, as its text does.
func TestTheWebChatSaysHowAnOptionalChoiceIsSkipped(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		const src = `id: opsi
version: 1
title: Survei singkat
questions:
  - id: puas
    kind: scale
    element: U1
    prompt: Seberapa puas Anda?
    labels: [Tidak puas, Kurang puas, Puas, Sangat puas]
  - id: datang
    kind: choice
    optional: true
    prompt: Dari mana Anda tahu layanan ini?
    options:
      - { value: teman, label: Teman }
      - { value: internet, label: Internet }
`
		f, err := flows.Parse("opsi.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := s.db.PublishFlow(ctx, "opsi", f, "test"); err != nil {
			t.Fatal(err)
		}
		if err := s.db.CreateVisit(ctx, storage.NewVisit{Token: "opsi", UnitID: s.unitID, FlowID: "opsi", ExpiresAt: s.now.Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		b := s.browser("opsi")
		if got := b.page("GET", ""); got.Question != "puas" || got.Skip != "" {
			t.Errorf("a required question: %+v", got)
		}
		if got := b.page("POST", "3"); got.Question != "datang" || got.Skip != "lewati" || got.Input != "" || len(got.Options) != 2 {
			t.Errorf("an optional choice: %+v, want its skip", got)
		}
		if got := b.page("POST", "lewati"); got.Question != "" || !strings.Contains(got.Text, "tercatat") {
			t.Errorf("skipped: %+v, want the thanks", got)
		}
	})
}
