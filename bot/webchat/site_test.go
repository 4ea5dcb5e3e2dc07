package webchat_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/webchat"
	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// site is the web chat on a real database, with the built-in flow (expire_after 24h) and a
// unit, and a clock the test moves.
type site struct {
	t      testing.TB
	db     *storage.DB
	e      *bot.Engine
	srv    *httptest.Server
	unitID int64
	now    time.Time
	n      int
}

// eachSite runs fn on a new site on every database, with the engine running each step in a
// transaction of its own and with the group commit that sukma serve uses.
func eachSite(t *testing.T, fn func(t *testing.T, s *site)) {
	for _, mode := range []struct {
		name  string
		batch bot.Batching
	}{{"alone", bot.Batching{}}, {"batched", bot.Batching{Max: 64, Workers: 2}}} {
		t.Run(mode.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) { fn(t, newSite(t, db, mode.batch)) })
		})
	}
}

func newSite(t testing.TB, db *storage.DB, batch bot.Batching) *site {
	t.Helper()
	ctx := context.Background()
	s := &site{t: t, db: db, now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return s.now }
	if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100})
	if err != nil {
		t.Fatal(err)
	}
	s.unitID = u.ID
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	s.e = &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: time.UTC, Logger: logger, Batch: batch}
	s.srv = httptest.NewServer(webchat.New(s.e, logger))
	t.Cleanup(s.srv.Close)
	return s
}

// visit creates a visit token valid for validFor.
func (s *site) visit(validFor time.Duration) string {
	s.t.Helper()
	s.n++
	token := fmt.Sprintf("visit%d", s.n)
	err := s.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: s.unitID, FlowID: "skm", ExpiresAt: s.now.Add(validFor).UnixMilli()})
	if err != nil {
		s.t.Fatal(err)
	}
	return token
}

// browser opens the page of a survey link, which sets the browser's cookie.
func (s *site) browser(token string) *browser {
	s.t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{s: s, hc: &http.Client{Jar: jar}, token: token}
	resp, err := b.hc.Get(s.srv.URL + "/s/" + token)
	if err != nil {
		s.t.Fatal(err)
	}
	resp.Body.Close()
	return b
}

type browser struct {
	s     *site
	hc    *http.Client
	token string
	ended bool // the last answer's "ended"
}

func (b *browser) do(method string, body any) []bot.Reply {
	b.s.t.Helper()
	var r io.Reader
	if body != nil {
		j, _ := json.Marshal(body)
		r = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, b.s.srv.URL+"/s/"+b.token+"/messages", r)
	resp, err := b.hc.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Replies []bot.Reply
		Ended   bool
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || json.Unmarshal(raw, &out) != nil {
		b.s.t.Fatalf("%s messages = %d %s", method, resp.StatusCode, raw)
	}
	b.ended = out.Ended
	return out.Replies
}

// look loads the conversation, as the page does when opened.
func (b *browser) look() []bot.Reply { b.s.t.Helper(); return b.do("GET", nil) }

// say sends a message and returns the bot's answer.
func (b *browser) say(text string) []bot.Reply {
	b.s.t.Helper()
	return b.do("POST", map[string]string{"text": text})
}

func texts(rs []bot.Reply) string {
	var all []string
	for _, r := range rs {
		all = append(all, r.Text)
	}
	return strings.Join(all, " | ")
}

func last(rs []bot.Reply) bot.Reply {
	if len(rs) == 0 {
		return bot.Reply{}
	}
	return rs[len(rs)-1]
}

const (
	firstQuestion = "Jenis kelamin"
	helpText      = "lalu ikuti tautannya" // the engine's "scan the QR code" help
	expiredText   = "batas waktu"
)

// isFirstQuestion says whether rs ends with the survey's first question, asking for a choice.
func isFirstQuestion(rs []bot.Reply) bool {
	return strings.Contains(last(rs).Text, firstQuestion) && len(last(rs).Options) == 2
}
