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

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestTheWebChatAfterBatal(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {

		t.Run("opening the link again starts the survey again", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("1")
			if got := b.say("/batal"); !strings.Contains(texts(got), "dibatalkan") {
				t.Fatalf("/batal: %s", texts(got))
			}
			got := b.look()
			if !isFirstQuestion(got) || !strings.Contains(texts(got), "dibatalkan") {
				t.Fatalf("the page opened again: %s; want the transcript, then the first question", texts(got))
			}
			if again := b.look(); len(again) != len(got) {
				t.Errorf("a second look has %d messages, the first %d: opening the page must not add any", len(again), len(got))
			}
			if got := b.say("2"); !strings.Contains(last(got).Text, "usia") {
				t.Errorf("answering the first question of the new survey: %s", texts(got))
			}
		})
		t.Run("a message starts the survey again", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("/batal")
			got := b.say("1")
			if !isFirstQuestion(got) || strings.Contains(texts(got), helpText) {
				t.Fatalf("a message after /batal: %s; want the survey again", texts(got))
			}
			if got := b.look(); !isFirstQuestion(got) {
				t.Errorf("the transcript ends with %q", last(got).Text)
			}
		})
		t.Run("a second /batal is told there is nothing to cancel", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("/batal")
			if got := b.say("/batal"); !strings.Contains(texts(got), "Tidak ada survei") || strings.Contains(texts(got), helpText) {
				t.Errorf("/batal again: %s", texts(got))
			}
		})
		t.Run("after the link expired, a message is told so", func(t *testing.T) {
			b := s.browser(s.visit(time.Hour))
			b.look()
			b.say("/batal")
			s.now = s.now.Add(2 * time.Hour)
			if got := b.say("1"); !strings.Contains(texts(got), "kedaluwarsa") || strings.Contains(texts(got), helpText) {
				t.Errorf("a message after the link expired: %s", texts(got))
			}
			if got := b.look(); !strings.Contains(last(got).Text, "kedaluwarsa") {
				t.Errorf("the transcript ends with %q", last(got).Text)
			}
		})
		t.Run("a visit may give one complete response only", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("/batal")
			var got []bot.Reply
			for _, a := range append([]string{"0"}, fullSurvey...) { // "0" restarts the survey
				got = b.say(a)
			}
			if !strings.Contains(last(got).Text, "tercatat") {
				t.Fatalf("the survey after /batal ends with %s", texts(got))
			}
			if got := b.look(); !strings.Contains(last(got).Text, "tercatat") {
				t.Errorf("opening the page after the end: %q, want the thanks last", last(got).Text)
			}
			if got := b.say("/ulang"); !strings.Contains(texts(got), "sudah tercatat") || strings.Contains(texts(got), helpText) {
				t.Errorf("a message after the end: %s", texts(got))
			}
			var n int
			if err := s.db.Get(&n, s.db.Rebind("SELECT COUNT(*) FROM responses WHERE visit_token = ?"), b.token); err != nil || n != 1 {
				t.Errorf("%d responses of the visit (%v), want 1", n, err)
			}
		})
	})
}

// fullSurvey answers every question of the built-in flow (U3 = 2 asks the follow-up).
var fullSurvey = []string{"1", "52", "3", "6", "4", "3", "2", "3", "4", "4", "3", "3", "4", "Loket kurang", "-"}

func TestTheWebChatAfterItsSurveyExpired(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		// answered opens a survey in a new browser and answers two questions.
		answered := func() *browser {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			b.say("1")
			b.say("40")
			return b
		}
		sweep := func(t *testing.T, want int) {
			t.Helper()
			if n, err := s.e.SweepExpired(context.Background()); err != nil || n != want {
				t.Fatalf("SweepExpired = %d, %v; want %d", n, err, want)
			}
		}

		var before, after []bot.Reply
		t.Run("a message before the sweep hears the survey expired", func(t *testing.T) {
			b := answered()
			s.now = s.now.Add(25 * time.Hour)
			before = b.say("3")
			if len(before) != 1 || !strings.Contains(before[0].Text, expiredText) {
				t.Fatalf("replies = %s; want the expiry notice alone", texts(before))
			}
			if got := b.look(); !strings.Contains(last(got).Text, expiredText) {
				t.Errorf("the transcript ends with %q", last(got).Text)
			}
		})
		t.Run("a message after the sweep hears the same", func(t *testing.T) {
			b := answered()
			s.now = s.now.Add(25 * time.Hour)
			sweep(t, 1)
			after = b.say("3")
			if texts(after) != texts(before) {
				t.Fatalf("replies after the sweep = %s; before it %s", texts(after), texts(before))
			}
			if got := b.look(); !strings.Contains(last(got).Text, expiredText) {
				t.Errorf("the transcript ends with %q", last(got).Text)
			}
			if got := b.say("3"); !strings.Contains(texts(got), "waktunya habis sebelum selesai") || strings.Contains(texts(got), "sudah dinilai") || strings.Contains(texts(got), expiredText) {
				t.Errorf("the next message: %s; want told the visit's survey closed unfinished, once told of the expiry", texts(got))
			}
		})
		t.Run("the page opened after the sweep ends with the notice, and says it once", func(t *testing.T) {
			b := answered()
			s.now = s.now.Add(25 * time.Hour)
			sweep(t, 1)
			got := b.look()
			if !strings.Contains(last(got).Text, expiredText) || strings.Contains(got[len(got)-2].Text, expiredText) {
				t.Fatalf("the page after the sweep: %s", texts(got))
			}
			if got := b.say("3"); strings.Contains(texts(got), expiredText) || strings.Contains(texts(got), helpText) {
				t.Errorf("a message after the page showed the notice: %s", texts(got))
			}
		})
		t.Run("a survey that expired unanswered starts again when the page is opened", func(t *testing.T) {
			b := s.browser(s.visit(7 * 24 * time.Hour))
			b.look()
			s.now = s.now.Add(25 * time.Hour)
			sweep(t, 1)
			got := b.look()
			if !isFirstQuestion(got) || !strings.Contains(texts(got), "dimulai lagi dari awal") {
				t.Errorf("the page after the sweep: %s; want the notice that it starts again, then the survey", texts(got))
			}
		})
	})
}

func TestTheWebChatAnswersBadRequestsInJSON(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newSite(t, db, bot.Batching{})
		token := s.visit(time.Hour)
		tests := []struct {
			name, method, path, body string
			status                   int
			want                     []string
		}{
			{"an empty body", "POST", "/s/" + token + "/messages", "", 400, []string{"kosong", "empty"}},
			{"a list instead of an object", "POST", "/s/" + token + "/messages", "[]", 400, []string{"objek JSON", "JSON object"}},
			{"text that is not a string", "POST", "/s/" + token + "/messages", `{"text":1}`, 400, []string{`"text"`, "string"}},
			{"malformed JSON", "POST", "/s/" + token + "/messages", "{", 400, []string{"bukan JSON", "not valid JSON"}},
			{"data after the object", "POST", "/s/" + token + "/messages", `{"text":"a"} garbage`, 400, []string{"satu objek", "one JSON object"}},
			{"a second object", "POST", "/s/" + token + "/messages", `{"text":"a"}{"text":"b"}`, 400, []string{"satu objek", "one JSON object"}},
			{"an unknown field", "POST", "/s/" + token + "/messages", `{"txt":"1"}`, 400, []string{`"txt"`, "unknown field"}},
			{"a body over 64 KiB", "POST", "/s/" + token + "/messages", `{"text":"` + strings.Repeat("a", 70<<10) + `"}`, 413, []string{"64 KiB"}},
			{"an id over 64 characters", "POST", "/s/" + token + "/messages", `{"text":"1","id":"` + strings.Repeat("a", 65) + `"}`, 400, []string{"64"}},
			{"a NUL in the id", "POST", "/s/" + token + "/messages", `{"text":"1","id":"\u0000"}`, 400, []string{"NUL"}},
			{"a NUL in the question", "POST", "/s/" + token + "/messages", `{"text":"1","question":"a\u0000"}`, 400, []string{"NUL"}},
			{"a bad token", "GET", "/s/bad!token/messages", "", 404, []string{"Tautan survei tidak dikenal"}},
			{"PUT on the messages", "PUT", "/s/" + token + "/messages", `{"text":"1"}`, 405, []string{"PUT", "GET, HEAD, POST"}},
			{"DELETE on the page", "DELETE", "/s/" + token, "", 405, []string{"DELETE", "GET, HEAD"}},
			{"a path under /s/ that is no page", "GET", "/s/" + token + "/nothing", "", 404, []string{"tidak ditemukan", "not found"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				req, _ := http.NewRequest(tt.method, s.srv.URL+tt.path, strings.NewReader(tt.body))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var body struct{ Error string }
				dec := json.NewDecoder(bytes.NewReader(raw))
				dec.DisallowUnknownFields()
				if resp.StatusCode != tt.status || dec.Decode(&body) != nil || body.Error == "" {
					t.Fatalf("got %d %s, want %d and {\"error\":…}", resp.StatusCode, raw, tt.status)
				}
				for _, w := range tt.want {
					if !strings.Contains(body.Error, w) {
						t.Errorf("error %q lacks %q", body.Error, w)
					}
				}
				// Plain words: no Go type or decoder internals.
				for _, leak := range []string{"Go value", "struct", "json:", "EOF"} {
					if strings.Contains(body.Error, leak) {
						t.Errorf("error %q shows %q", body.Error, leak)
					}
				}
				if tt.status == 405 && resp.Header.Get("Allow") != tt.want[1] {
					t.Errorf("Allow = %q, want %q", resp.Header.Get("Allow"), tt.want[1])
				}
			})
		}
		// A bad request changes nothing: the survey has not started.
		if rs := s.browser(token).look(); !isFirstQuestion(rs) || len(rs) != 2 {
			t.Errorf("the survey after the bad requests: %s", texts(rs))
		}
	})
}

func TestAStandingLinkInTheWebChatTakesOneResponseADay(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		token, err := s.db.EnsureStandingToken(context.Background(), s.unitID, func() string { return "standing-demo" })
		if err != nil {
			t.Fatal(err)
		}
		b := s.browser(token)
		b.look()
		for _, a := range fullSurvey {
			b.say(a)
		}
		if got := b.look(); !strings.Contains(texts(got), "tercatat") || !strings.Contains(last(got).Text, "hari ini") {
			t.Fatalf("the page after the survey: %s; want the thanks, then why no more", texts(got))
		}
		if got := b.say("1"); !strings.Contains(texts(got), "hari ini") || strings.Contains(texts(got), helpText) {
			t.Errorf("a message the same day: %s", texts(got))
		}
		s.now = s.now.Add(24 * time.Hour)
		if got := b.look(); !isFirstQuestion(got) {
			t.Errorf("the page the next day ends with %q, want the survey again", last(got).Text)
		}

		// A client that keeps no cookie is told to use one that does: walk-ins without
		// cookies would otherwise share one chat, one survey and one day's response.
		for _, method := range []string{"GET", "POST"} {
			cookieless := &browser{s: s, hc: &http.Client{}, token: token}
			got := cookieless.do(method, map[string]string{"text": "1"})
			if len(got) != 1 || !strings.Contains(got[0].Text, "cookie") {
				t.Errorf("%s without a cookie: %s", method, texts(got))
			}
		}
		var sessions int
		if err := s.db.Get(&sessions, s.db.Rebind("SELECT COUNT(*) FROM sessions WHERE chat_id = ?"), token); err != nil || sessions != 0 {
			t.Errorf("%d sessions of the cookieless chat (%v), want none", sessions, err)
		}
	})
}

// A reply meant for a question no longer asked (a second tab of the page went on, or a reply
// sent again after its answer was lost on the way) is not stored as the answer to the
// question now asked: the page sends the question it shows, and hears that the survey went on.
func TestTheWebChatDoesNotTakeAnAnswerToAPastQuestion(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		b := s.browser(s.visit(time.Hour))
		shown := last(b.look()) // what both tabs show
		if shown.Question != "jenis_kelamin" {
			t.Fatalf("the first question says it asks %q", shown.Question)
		}
		answer := func(text, question string) []bot.Reply {
			t.Helper()
			return b.do("POST", map[string]string{"text": text, "question": question})
		}
		if rs := answer("2", shown.Question); last(rs).Question != "usia" { // the second tab
			t.Fatalf("after the first answer: %+v", rs)
		}
		rs := answer("1", shown.Question) // the first tab, still on the first question
		if len(rs) != 2 || !strings.Contains(rs[0].Text, "sudah lewat") || last(rs).Question != "usia" {
			t.Errorf("an answer to the past question: %+v, want it refused and the question now asked", rs)
		}
		var answers []string
		if err := s.db.Select(&answers, "SELECT question_id || '=' || value FROM answers ORDER BY question_id"); err != nil {
			t.Fatal(err)
		}
		if strings.Join(answers, " ") != "jenis_kelamin=P" {
			t.Errorf("answers %q, want only the first tab's", answers)
		}
		if rs := answer("40", "usia"); last(rs).Question != "pendidikan" {
			t.Errorf("the question now asked did not take its answer: %+v", rs)
		}
		if rs := b.say("3"); last(rs).Question == "pendidikan" { // a client that does not say
			t.Errorf("an answer without its question was not taken: %+v", rs)
		}
	})
}

// A script that makes up a new browser cookie for every survey could fill a unit's results
// from one machine: the surveys one address starts on a standing link are bounded, with
// another allowed as time passes.
func TestOneAddressStartsABoundedNumberOfSurveysOnAStandingLink(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newSite(t, db, bot.Batching{})
		s.e.WebStarts = &bot.StartLimit{Burst: 3, Every: time.Minute}
		token, err := db.EnsureStandingToken(context.Background(), s.unitID, func() string { return "standing-demo" })
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if got := s.browser(token).look(); !isFirstQuestion(got) {
				t.Fatalf("browser %d: %s, want the survey", i+1, texts(got))
			}
		}
		refused := s.browser(token).look()
		if len(refused) != 1 || !strings.Contains(refused[0].Text, "Terlalu banyak survei") {
			t.Fatalf("the fourth browser: %s, want to be told to try again later", texts(refused))
		}
		var sessions int
		if err := db.Get(&sessions, "SELECT COUNT(*) FROM sessions"); err != nil || sessions != 3 {
			t.Errorf("%d sessions (%v), want 3", sessions, err)
		}
		s.now = s.now.Add(time.Minute)
		if got := s.browser(token).look(); !isFirstQuestion(got) {
			t.Errorf("a minute later: %s, want the survey", texts(got))
		}
		// A visit's own link is no standing link: it starts once anyway.
		if got := s.browser(s.visit(time.Hour)).look(); !isFirstQuestion(got) {
			t.Errorf("a visit link from the same address: %s, want the survey", texts(got))
		}
	})
}

// The page's address is the survey link, so no link followed from it may carry it along.
func TestTheChatPageSendsNoReferrer(t *testing.T) {
	s := newSite(t, storagetest.SQLite(t), bot.Batching{})
	resp, err := http.Get(s.srv.URL + "/s/" + s.visit(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Referrer-Policy"); resp.StatusCode != 200 || got != "no-referrer" {
		t.Errorf("%d, Referrer-Policy %q, want no-referrer", resp.StatusCode, got)
	}
}

// A survey link with a slash at its end (added by a QR scanner or a chat app) opens the page.
func TestASurveyLinkWithASlashAtItsEndOpensThePage(t *testing.T) {
	s := newSite(t, storagetest.SQLite(t), bot.Batching{})
	token := s.visit(time.Hour)
	resp, err := http.Get(s.srv.URL + "/s/" + token + "/?utm_source=wa")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/s/"+token || resp.Request.URL.RawQuery != "utm_source=wa" || !strings.Contains(string(body), "chat.js") {
		t.Errorf("got %d at %s: %.200s; want the page at /s/%s?utm_source=wa", resp.StatusCode, resp.Request.URL, body, token)
	}
}

// A HEAD request (a link checker, a chat app's link preview) on the survey link or its
// messages starts no survey and writes nothing: it hears GET's status and headers only.
func TestAHeadRequestStartsNoSurvey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		s := newSite(t, db, bot.Batching{})
		token := s.visit(time.Hour)
		b := s.browser(token) // the page's GET sets the browser's cookie
		for _, tt := range []struct{ path, contentType string }{
			{"/s/" + token, "text/html; charset=utf-8"},
			{"/s/" + token + "/messages", "application/json; charset=utf-8"},
		} {
			for _, hc := range []*http.Client{{}, b.hc} { // without the cookie, and with it
				resp, err := hc.Head(s.srv.URL + tt.path)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tt.contentType || resp.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("HEAD %s = %d, Content-Type %q, Cache-Control %q; want GET's 200, %q, no-store",
						tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Cache-Control"), tt.contentType)
				}
			}
		}
		for _, table := range []string{"sessions", "outbox"} {
			var n int
			if err := db.Get(&n, "SELECT COUNT(*) FROM "+table); err != nil || n != 0 {
				t.Errorf("%d rows in %s after the HEAD requests (%v), want none", n, table, err)
			}
		}
		if rs := b.look(); !isFirstQuestion(rs) || len(rs) != 2 {
			t.Errorf("the page opened after the HEAD requests: %s; want the greeting and the first question", texts(rs))
		}
		// A link to no survey is 404 to HEAD as to GET.
		resp, err := http.Head(s.srv.URL + "/s/bad!token/messages")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 404 {
			t.Errorf("HEAD on a bad token's messages = %d, want 404", resp.StatusCode)
		}
	})
}
