package bot_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A QR code scanned in the middle of a survey: another visit's starts that visit's survey
// (the open one closed as partial, never under the wrong unit); the same one, or one that can
// start nothing, resumes the open survey and says why.

// visitAt creates a visit token of the built-in flow at unit, valid for a week.
func (f *fixture) visitAt(unit int64) string {
	f.t.Helper()
	f.n++
	token := fmt.Sprintf("at%d_%d", f.n, f.now.UnixNano())
	err := f.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: unit, FlowID: "skm", ExpiresAt: f.now.Add(7 * 24 * time.Hour).UnixMilli()})
	if err != nil {
		f.t.Fatal(err)
	}
	return token
}

// unit creates a unit and returns its id.
func (f *fixture) unit(code, name string) int64 {
	f.t.Helper()
	u, err := f.db.CreateUnit(context.Background(), storage.NewUnit{Code: code, Name: name, Population: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	return u.ID
}

// contains fails t unless reply i of rs contains each of parts, in order.
func contains(t *testing.T, rs []bot.Reply, i int, parts ...string) {
	t.Helper()
	if i >= len(rs) {
		t.Fatalf("replies = %+v, want a reply %d with %q", rs, i, parts)
	}
	text := rs[i].Text
	for _, p := range parts {
		_, after, ok := strings.Cut(text, p)
		if !ok {
			t.Fatalf("reply %d = %q, want %q in order", i, rs[i].Text, parts)
		}
		text = after
	}
}

func (f *fixture) count(query string, args ...any) (n int) {
	f.t.Helper()
	if err := f.db.Get(&n, f.db.Rebind(query), args...); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestAnotherVisitMidSurveyStartsItsSurveyAndClosesTheOpenOneAsPartial(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		pusk := f.unit("PUSK", "Puskesmas Kota")
		demo := f.visit()
		f.send("2201", "/start "+demo)
		for _, a := range fullSurvey[:5] {
			f.send("2201", a)
		}
		f.now = f.now.Add(20 * time.Hour) // the next day, within the session's 24 hours
		rs := f.send("2201", "/start "+f.visitAt(pusk))
		contains(t, rs, 0, "sebelumnya untuk Unit Demo ditutup", "tidak dihitung", "untuk menilai layanan Puskesmas Kota", "Halo")
		contains(t, rs, 1, "Jenis kelamin")
		if got := f.count("SELECT COUNT(*) FROM responses WHERE status = 'partial' AND unit_id = ? AND visit_token = ?", f.unitID, demo); got != 1 {
			t.Errorf("%d partial responses of the first visit, want 1: its answers kept", got)
		}
		if rs := f.send("c-other", "/start "+demo); !strings.Contains(last(rs), "waktunya habis") {
			t.Errorf("the first visit afterwards: %+v, want it closed as partial", rs)
		}
		for _, a := range fullSurvey {
			rs = f.send("2201", a)
		}
		if !strings.Contains(last(rs), "tercatat") {
			t.Fatalf("last reply = %q", last(rs))
		}
		if got := f.count("SELECT COUNT(*) FROM responses WHERE status = 'complete' AND unit_id = ?", pusk); got != 1 {
			t.Errorf("%d complete responses of PUSK, want 1", got)
		}
		if got := f.count("SELECT COUNT(*) FROM responses WHERE status = 'complete' AND unit_id = ?", f.unitID); got != 0 {
			t.Errorf("%d complete responses of DEMO, want none: the answers about PUSK went there", got)
		}
	})
}

// On WhatsApp the QR code's link writes "SKM <token>"; a survey switched to English goes on
// in English.
func TestAnotherVisitMidSurveyOnWhatsAppKeepsTheLanguage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		pusk := f.unit("PUSK", "Puskesmas Kota")
		f.send("wa", "SKM "+f.visit())
		f.send("wa", "/bahasa en")
		f.send("wa", "1")
		rs := f.send("wa", "SKM "+f.visitAt(pusk))
		contains(t, rs, 0, "previous survey for Unit Demo was closed", "not counted", "rates the service of Puskesmas Kota")
		contains(t, rs, 1, "Your gender")
	})
}

// A survey with no answer yet is closed with nothing kept: its visit may still be rated.
func TestAnotherVisitBeforeAnyAnswerLeavesTheFirstUsable(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		pusk := f.unit("PUSK", "Puskesmas Kota")
		demo := f.visit()
		f.send("c1", "/start "+demo)
		rs := f.send("c1", "/start "+f.visitAt(pusk))
		contains(t, rs, 0, "Unit Demo ditutup sebelum ada jawaban", "masih dapat dipakai", "Puskesmas Kota")
		if got := f.count("SELECT COUNT(*) FROM responses"); got != 0 {
			t.Errorf("%d responses, want none", got)
		}
		for _, a := range fullSurvey {
			f.send("c1", a)
		}
		rs = f.send("c1", "/start "+demo)
		contains(t, rs, 0, "untuk menilai layanan Unit Demo")
	})
}

func TestALinkMidSurveyThatStartsNothingResumesTheSurvey(t *testing.T) {
	tests := []struct {
		name string
		link func(f *fixture) string
		want string // in the first reply, before "Mari lanjutkan survei Anda untuk Unit Demo"
	}{
		{"the same QR code again", func(f *fixture) string { return "" }, ""},
		{"a visit already rated", func(f *fixture) string {
			token := f.visit()
			f.send("done", "/start "+token)
			for _, a := range fullSurvey {
				f.send("done", a)
			}
			return token
		}, "sudah dinilai"},
		{"an expired visit", func(f *fixture) string {
			token := f.visit()
			f.db.Exec(f.db.Rebind("UPDATE visits SET expires_at = ? WHERE token = ?"), f.now.Add(-time.Hour).UnixMilli(), token)
			return token
		}, "kedaluwarsa"},
		// "SKM nosuchtoken" is an answer, like "SKM bagus" (TestSKMWithAnythingButALinkIsAnAnswer).
		{"an unknown token after /start", func(f *fixture) string { return "nosuchtoken" }, "tidak dikenal"},
		{"a visit being answered in another chat", func(f *fixture) string {
			token := f.visit()
			f.send("other", "/start "+token)
			return token
		}, "perangkat lain"},
		{"the standing QR code of the survey's unit", func(f *fixture) string {
			token, err := f.db.EnsureStandingToken(context.Background(), f.unitID, func() string { return "standing-demo" })
			if err != nil {
				f.t.Fatal(err)
			}
			return token
		}, ""},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newFixture(t, freshDB(t, db))
				own := f.visit()
				f.send("c1", "/start "+own)
				f.send("c1", "1")
				link := tt.link(f)
				if link == "" {
					link = own
				}
				before := f.count("SELECT COUNT(*) FROM answers")
				msgs := []string{"/start " + link, "SKM " + link}
				if link == "nosuchtoken" {
					msgs = msgs[:1]
				}
				for _, msg := range msgs {
					rs := f.send("c1", msg)
					parts := []string{"Mari lanjutkan survei Anda untuk Unit Demo"}
					if tt.want != "" {
						parts = append([]string{tt.want}, parts...)
					}
					contains(t, rs, 0, parts...)
					contains(t, rs, 1, "usia")
				}
				if got := f.count("SELECT COUNT(*) FROM answers"); got != before {
					t.Errorf("%d answers, want %d: the link was stored as an answer", got, before)
				}
				if got := f.count("SELECT COUNT(*) FROM responses WHERE status = 'partial'"); got != 0 {
					t.Errorf("%d partial responses: the survey was closed", got)
				}
				if rs := f.send("c1", "40"); !strings.Contains(last(rs), "Pendidikan") {
					t.Errorf("the survey did not go on: %+v", rs)
				}
			})
		}
	})
}

// Any other text after "SKM" is an answer; a walk-in survey treats another visit as a visit
// survey does.
func TestSKMWithAnythingButALinkIsAnAnswer(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("wa", "SKM "+f.visit())
		for _, a := range fullSurvey[:len(fullSurvey)-2] {
			f.send("wa", a)
		}
		before := f.count("SELECT COUNT(*) FROM answers")
		if f.send("wa", "SKM bagus"); f.count("SELECT COUNT(*) FROM answers") != before+1 {
			t.Error("\"SKM bagus\" was not taken as the answer")
		}

		standing, err := db.EnsureStandingToken(context.Background(), f.unitID, func() string { return "standing-x" })
		if err != nil {
			t.Fatal(err)
		}
		f.send("walkin", "/start "+standing)
		rs := f.send("walkin", "/start "+f.visit())
		contains(t, rs, 0, "Unit Demo ditutup sebelum ada jawaban", "Unit Demo")
	})
}

// Whatever the flow's intro says ("layanan kami"), the survey's first message names the unit.
func TestTheFirstMessageNamesTheUnit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		rs := f.send("c1", "/start "+f.visit())
		if len(rs) != 2 {
			t.Fatalf("replies = %+v, want the intro and the question", rs)
		}
		contains(t, rs, 0, "Survei ini untuk menilai layanan Unit Demo.", "Halo")

		f.publish("id: singkat\nversion: 1\ntitle: Tes\nquestions:\n  - id: saran\n    kind: text\n    prompt: \"Saran?\"\n")
		rs = f.send("c2", "/start "+f.visitOf("singkat"))
		if len(rs) != 1 {
			t.Fatalf("replies = %+v, want the question alone", rs)
		}
		contains(t, rs, 0, "Unit Demo", "Saran?")
	})
}

// With steps committed together (Batching), a switch in one chat and answers in others, at
// once, each land where they belong.
func TestAnotherVisitMidSurveyUnderTheGroupCommit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.e.Batch = bot.Batching{Max: 16, Workers: 2}
		pusk := f.unit("PUSK", "Puskesmas Kota")
		chats := []string{"a", "b", "c", "d"}
		for _, c := range chats {
			f.send(c, "/start "+f.visit())
			f.send(c, "1")
		}
		next := f.visitAt(pusk)
		var wg sync.WaitGroup
		replies := make([][]bot.Reply, len(chats))
		for i, c := range chats {
			text := "40"
			if c == "a" {
				text = "/start " + next
			}
			in := bot.Inbound{Channel: bot.ChannelTelegram, ChatID: c, UserID: "u" + c, Text: text, EventID: "g" + c}
			wg.Go(func() {
				rs, err := f.e.Handle(context.Background(), in)
				if err != nil {
					t.Error(err)
				}
				replies[i] = rs
			})
		}
		wg.Wait()
		contains(t, replies[0], 0, "Unit Demo ditutup", "Puskesmas Kota")
		for i := 1; i < len(chats); i++ {
			if !strings.Contains(last(replies[i]), "Pendidikan") {
				t.Errorf("chat %s: %+v", chats[i], replies[i])
			}
		}
		if got := f.count("SELECT COUNT(*) FROM responses WHERE status = 'partial'"); got != 1 {
			t.Errorf("%d partial responses, want 1", got)
		}
		if got := f.count("SELECT COUNT(*) FROM sessions WHERE state = 'active' AND unit_id = ?", pusk); got != 1 {
			t.Errorf("%d open surveys of PUSK, want 1", got)
		}
	})
}
