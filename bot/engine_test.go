package bot_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// fixture is an engine on a real database with the built-in flow published and one unit.
type fixture struct {
	t      testing.TB
	db     *storage.DB
	e      *bot.Engine
	unitID int64
	now    time.Time
	n      int
}

func newFixture(t testing.TB, db *storage.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, db: db, now: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return f.now }
	if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100})
	if err != nil {
		t.Fatal(err)
	}
	f.unitID = u.ID
	jakarta, _ := time.LoadLocation("Asia/Jakarta")
	f.e = &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: jakarta, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	return f
}

// visit creates a visit token valid for a week.
func (f *fixture) visit() string {
	f.t.Helper()
	return f.visitOf("skm")
}

// visitOf creates a visit token of a flow, valid for a week.
func (f *fixture) visitOf(flowID string) string {
	f.t.Helper()
	f.n++
	token := fmt.Sprintf("tok%d_%d", f.n, f.now.UnixNano())
	err := f.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: f.unitID, FlowID: flowID, ExpiresAt: f.now.Add(7 * 24 * time.Hour).UnixMilli()})
	if err != nil {
		f.t.Fatal(err)
	}
	return token
}

// publish parses a flow and publishes it, for visits of its own (visitOf).
func (f *fixture) publish(yaml string) {
	f.t.Helper()
	fl, err := flows.Parse("test.yaml", []byte(yaml))
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.db.PublishFlow(context.Background(), fl.ID, fl, "test"); err != nil {
		f.t.Fatal(err)
	}
}

// send delivers a text from chat on Telegram and returns the replies' texts.
func (f *fixture) send(chat, text string) []bot.Reply {
	f.t.Helper()
	f.n++
	replies, err := f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: chat, UserID: "u" + chat, Text: text, EventID: fmt.Sprint(f.n)})
	if err != nil {
		f.t.Fatalf("Handle(%q): %v", text, err)
	}
	return replies
}

func last(rs []bot.Reply) string {
	if len(rs) == 0 {
		return ""
	}
	return rs[len(rs)-1].Text
}

// fullSurvey is a valid answer to every question of the built-in flow, in order, with U3 = 2
// so that the follow-up question is asked.
var fullSurvey = []string{"2", "35", "5", "4", "4", "4", "2", "3", "4", "3", "4", "3", "4", "Antrean terlalu lama", "Tambah loket"}

func (f *fixture) countResponses(status string) int {
	var n int
	if err := f.db.Get(&n, f.db.Rebind("SELECT COUNT(*) FROM responses WHERE status = ?"), status); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestACitizenAnswersTheWholeSurvey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		rs := f.send("c1", "/start "+token)
		if len(rs) != 2 || !strings.Contains(rs[0].Text, "Halo") || !strings.Contains(rs[1].Text, "Jenis kelamin") || len(rs[1].Options) != 2 {
			t.Fatalf("start replies = %+v", rs)
		}
		var got []bot.Reply
		for _, a := range fullSurvey {
			got = f.send("c1", a)
		}
		if !strings.Contains(last(got), "tercatat") {
			t.Fatalf("last reply = %q, want the thank-you that says the answer counts", last(got))
		}
		var r struct {
			U1, U2, U3, U4, U5, U6, U7, U8, U9    int
			JK, Pend, Pek, Saran, Perbaikan, Stat string
			Usia                                  int
		}
		err := db.QueryRowx(`SELECT u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin, pendidikan, pekerjaan, saran, perbaikan, status, usia FROM responses`).
			Scan(&r.U1, &r.U2, &r.U3, &r.U4, &r.U5, &r.U6, &r.U7, &r.U8, &r.U9, &r.JK, &r.Pend, &r.Pek, &r.Saran, &r.Perbaikan, &r.Stat, &r.Usia)
		if err != nil {
			t.Fatal(err)
		}
		// The flow asks U9 before U8: answers are stored by element code, not position.
		want := [9]int{4, 4, 2, 3, 4, 3, 4, 4, 3}
		if [9]int{r.U1, r.U2, r.U3, r.U4, r.U5, r.U6, r.U7, r.U8, r.U9} != want {
			t.Errorf("scores = %+v, want U1..U9 %v", r, want)
		}
		if r.JK != "P" || r.Usia != 35 || r.Pend != "S1" || r.Pek != "SWASTA" || r.Saran != "Tambah loket" || r.Perbaikan != "Antrean terlalu lama" || r.Stat != "complete" {
			t.Errorf("profile and texts = %+v", r)
		}
		var chat *string
		if err := db.Get(&chat, "SELECT chat_id FROM sessions"); err != nil || chat != nil {
			t.Errorf("the chat id of an ended session = %v (%v), want it forgotten", chat, err)
		}
	})
}

func TestAVisitIsRatedOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		f.send("c1", "/start "+token)
		for _, a := range fullSurvey {
			f.send("c1", a)
		}
		// The chat that rated it a moment ago hears that its answers are recorded.
		if got := last(f.send("c1", "/start "+token)); !strings.Contains(got, "sudah tercatat") || strings.Contains(got, "Jika bukan Anda") {
			t.Errorf("the QR code scanned again by the chat that rated the visit = %q, want its answers recorded", got)
		}
		// Neutral to another: it may be a stranger, whose rating was never received.
		if got := last(f.send("c2", "/start "+token)); !strings.Contains(got, "sudah dinilai, jadi tidak dapat dinilai lagi") ||
			!strings.Contains(got, "Jika bukan Anda yang menilainya, sampaikan kepada petugas") || strings.Contains(got, "penilaian Anda") {
			t.Errorf("a second start from c2 = %q, want told kindly it was rated, and to tell the staff if not by them", got)
		}
		if n := f.countResponses("complete"); n != 1 {
			t.Errorf("%d responses, want 1", n)
		}
	})
}

func TestBadInputIsRepromptedAndNeverAdvances(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		asked := last(f.send("c1", "/start "+f.visit()))
		long := strings.Repeat("x", 5000)
		optionBad := []string{"", "   ", "0", "99", "-1", "99999999999999999999999", "nol", "dua puluh", "😀", "🙂🙂🙂", long, "\x00\xff", "/unknown"}
		bad := map[int][]string{
			1:  {"", "14", "101", "tiga puluh", "3.5", "😀", long, "\x00"},
			13: {"", "   ", long, "\x00\x01"},
			14: {long},
		}
		for i, good := range fullSurvey {
			inputs, ok := bad[i]
			if !ok {
				inputs = optionBad
			}
			for _, b := range inputs {
				rs := f.send("c1", b)
				if len(rs) != 1 || !strings.HasSuffix(rs[0].Text, "\n\n"+asked) {
					t.Fatalf("question %d, input %.20q: replies %+v, want one re-prompt of %q", i, b, rs, asked)
				}
			}
			asked = last(f.send("c1", good))
		}
		if n := f.countResponses("complete"); n != 1 {
			t.Errorf("%d complete responses, want 1", n)
		}
	})
}

// A citizen may type an option's number as a word, in any case and with punctuation around
// it, as they may type its digit; a re-prompt says they may choose an answer or reply with
// its number. The age is still written in digits.
func TestAnOptionMayBeTypedAsANumberWord(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("w", "/start "+f.visit())
		for _, step := range []struct{ send, want string }{
			{"Dua", "usia"},
			{"tiga puluh lima", "Mohon tulis angka"},
			{"35", "Pendidikan"},
			{" tiga. ", "pekerjaan"},
			{"ENAM", "persyaratan"},
			{"lima", "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."},
			{"empat", ""},
		} {
			f.now = f.now.Add(time.Second)
			rs := f.send("w", step.send)
			if got := last(rs); !strings.Contains(got, step.want) {
				t.Fatalf("%q: %q, want %q", step.send, got, step.want)
			}
		}
		var got []string
		if err := db.Select(&got, "SELECT question_id || '=' || value FROM answers ORDER BY answered_at, question_id"); err != nil {
			t.Fatal(err)
		}
		if want := "jenis_kelamin=P usia=35 pendidikan=SMA pekerjaan=LAINNYA u1=4"; strings.Join(got, " ") != want {
			t.Errorf("answers %q, want %q", got, want)
		}
	})
}
