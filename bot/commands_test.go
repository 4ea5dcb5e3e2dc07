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

func TestCommands(t *testing.T) {
	tests := []struct {
		name   string
		before []string // after the start
		send   string
		want   []string // substrings of the replies, in order; "a…b": a, then b, in one reply
	}{
		{"/batal cancels and forgets the answers", []string{"1"}, "/batal", []string{"dibatalkan"}},
		{"/cancel is /batal in English", nil, "/cancel", []string{"dibatalkan"}},
		{"/bahasa switches to English and asks again", []string{"1"}, "/bahasa", []string{"Language switched", "How old are you"}},
		{"/language en names the language", nil, "/language en", []string{"Language switched", "Your gender"}},
		{"/ulang starts over", []string{"1", "40"}, "/ulang", []string{"mulai lagi", "Jenis kelamin"}},
		{"/restart is /ulang in English", []string{"1"}, "/restart", []string{"mulai lagi", "Jenis kelamin"}},
		{"/start alone resumes", []string{"1"}, "/start", []string{"lanjutkan", "usia"}},
		{"a Telegram /cmd@bot form works", nil, "/batal@sukma_bot", []string{"dibatalkan"}},
		{"/bantuan lists the commands and asks again", []string{"1"}, "/bantuan", []string{"/batal…usia"}},
		{"/help is /bantuan in English", nil, "/help", []string{"/ulang…Jenis kelamin"}},
		{"an unknown command is no answer to a free-text question", []string{"1", "40", "1", "1", "4", "4", "4", "4", "4", "4", "4", "4", "4"}, "/kembali", []string{"tidak dikenal…saran"}},
		{"an unknown command is no answer to a choice", []string{"1"}, "/skip@sukma_bot", []string{"tidak dikenal…usia"}},
		{"a command word without its slash is no command, but the re-prompt says how", []string{"1"}, "Batal.", []string{"ketik dengan garis miring: /batal…usia"}},
		{"a command word without its slash is an answer where it can be one", []string{"1", "40", "1", "1", "4", "4", "4", "4", "4", "4", "4", "4", "4"}, "ulang", []string{"Terima kasih"}},
		{"a slash inside words is an answer", []string{"1", "40", "1", "1", "4", "4", "4", "4", "4", "4", "4", "4", "4"}, "/ loket 2 lambat", []string{"Terima kasih"}},
		{"a free text starting with skm is an answer, not a start", []string{"1", "40", "1", "1", "4", "4", "4", "4", "4", "4", "4", "4", "4"}, "skm bagus sekali", []string{"Terima kasih"}},
	}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := newFixture(t, freshDB(t, db))
				chat := "c-" + tt.name
				f.send(chat, "/start "+f.visit())
				for _, b := range tt.before {
					f.send(chat, b)
				}
				rs := f.send(chat, tt.send)
				if len(rs) != len(tt.want) {
					t.Fatalf("replies = %+v, want %d", rs, len(tt.want))
				}
				for i, w := range tt.want {
					text := rs[i].Text
					for part := range strings.SplitSeq(w, "…") {
						_, after, ok := strings.Cut(text, part)
						if !ok {
							t.Errorf("reply %d = %q, want it to contain %q", i, rs[i].Text, w)
							break
						}
						text = after
					}
				}
			})
		}
	})
}

// freshDB gives each subtest a database of its own of the same dialect.
func freshDB(t *testing.T, like *storage.DB) *storage.DB {
	if like.Dialect == storage.Postgres {
		return storagetest.Postgres(t)
	}
	return storagetest.SQLite(t)
}

func TestWithoutASurveyTheBotExplains(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		for _, tt := range []struct{ send, want string }{
			{"halo", "pindai kode QR"},
			{"/start", "pindai kode QR"},
			{"/start nosuchtoken", "tidak dikenal"},
			{"SKM nosuchtoken", "tidak dikenal"},
			{"/batal", "Tidak ada survei"},
		} {
			if rs := f.send("c9", tt.send); len(rs) == 0 || !strings.Contains(rs[0].Text, tt.want) {
				t.Errorf("%q → %+v, want %q", tt.send, rs, tt.want)
			}
		}
	})
}

func TestAnExpiredVisitIsRefused(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		f.now = f.now.Add(8 * 24 * time.Hour)
		if rs := f.send("c1", "SKM "+token); !strings.Contains(last(rs), "kedaluwarsa") {
			t.Errorf("replies = %+v", rs)
		}
	})
}

func TestAVisitInProgressOnAnotherChatIsNotTakenOver(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		f.send("c1", "/start "+token)
		if rs := f.send("c2", "/start "+token); !strings.Contains(last(rs), "perangkat lain") {
			t.Errorf("replies = %+v", rs)
		}
	})
}

// web sends text in the web chat of a survey link, from one browser, and returns the replies.
func (f *fixture) web(token, text string) []bot.Reply {
	f.t.Helper()
	f.n++
	rs, err := f.e.Start(context.Background(), bot.Inbound{Channel: bot.ChannelWeb, ChatID: token + ".browser", UserID: "browser",
		Text: text, EventID: fmt.Sprint("web", f.n)}, token)
	if err != nil {
		f.t.Fatal(err)
	}
	return rs
}

// A survey opened in the web chat and not answered there (the page loaded, then the citizen
// chose Telegram) starts on Telegram instead; once answered on the web, it stays there.
func TestAVisitOpenedButNotAnsweredOnTheWebStartsOnTelegram(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		web := f.web
		token := f.visit()
		web(token, "")
		if rs := f.send("tg", "/start "+token); !strings.Contains(last(rs), "Jenis kelamin") {
			t.Fatalf("Telegram after the page was only opened: %+v", rs)
		}
		if rs := f.send("tg", "2"); !strings.Contains(last(rs), "usia") {
			t.Errorf("the survey did not go on on Telegram: %+v", rs)
		}
		if rs := web(token, "1"); !strings.Contains(last(rs), "perangkat lain") {
			t.Errorf("the web page after Telegram answered: %+v", rs)
		}

		// The page loaded again before Telegram's first answer takes nothing over.
		reloaded := f.visit()
		web(reloaded, "")
		f.send("tg3", "/start "+reloaded)
		if rs := web(reloaded, ""); !strings.Contains(last(rs), "perangkat lain") {
			t.Errorf("the web page loaded again: %+v", rs)
		}
		if rs := f.send("tg3", "1"); !strings.Contains(last(rs), "usia") {
			t.Errorf("Telegram after the page loaded again: %+v", rs)
		}

		answered := f.visit()
		web(answered, "")
		web(answered, "2")
		if rs := f.send("tg2", "/start "+answered); !strings.Contains(last(rs), "perangkat lain") {
			t.Errorf("Telegram after an answer on the web: %+v", rs)
		}
		var n int
		if err := db.Get(&n, "SELECT COUNT(*) FROM answers"); err != nil || n != 3 {
			t.Errorf("%d answers (%v), want the three given", n, err)
		}
	})
}

func TestARedeliveredMessageCountsOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.send("c1", "/start "+f.visit())
		in := bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "c1", UserID: "uc1", Text: "1", EventID: "same"}
		first, err := f.e.Handle(ctx, in)
		if err != nil || len(first) != 1 {
			t.Fatalf("first delivery: %+v, %v", first, err)
		}
		again, err := f.e.Handle(ctx, in)
		if err != nil || len(again) != 0 {
			t.Fatalf("second delivery: %+v, %v; want nothing", again, err)
		}
		var outbox int
		db.Get(&outbox, "SELECT COUNT(*) FROM outbox")
		if outbox != 3 { // intro + first question + second question
			t.Errorf("%d outbox rows, want 3", outbox)
		}
	})
}

func TestASurveyResumesAfterARestart(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		f.send("c1", "2")
		f.send("c1", "40")
		// A new engine on the same database: nothing was kept in memory.
		f.e = &bot.Engine{DB: db, Secret: f.e.Secret, Location: f.e.Location, Logger: f.e.Logger}
		rs := f.send("c1", "/start")
		if !strings.Contains(last(rs), "Pendidikan") {
			t.Errorf("after a restart: %+v, want the third question", rs)
		}
	})
}

func TestAnUnfinishedSurveyExpiresIntoAPartialResponse(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		f.send("c1", "/start "+token)
		f.send("c1", "2")
		f.send("c2", "/start "+f.visit()) // no answers yet: expires without a response
		f.now = f.now.Add(25 * time.Hour)
		n, err := f.e.SweepExpired(context.Background())
		if err != nil || n != 2 {
			t.Fatalf("SweepExpired = %d, %v; want 2", n, err)
		}
		if p, c := f.countResponses("partial"), f.countResponses("complete"); p != 1 || c != 0 {
			t.Errorf("partial %d, complete %d; want 1 and 0", p, c)
		}
		// The visit is used up, by a response that does not count: the citizen hears that,
		// not that the visit was rated.
		for _, chat := range []string{"c1", "c3"} {
			rs := f.send(chat, "/start "+token)
			if got := last(rs); !strings.Contains(got, "waktunya habis sebelum selesai") || !strings.Contains(got, "tidak dihitung dalam Indeks Kepuasan Masyarakat") || strings.Contains(got, "sudah dinilai") {
				t.Errorf("restarting an expired visit from %s: %+v", chat, rs)
			}
		}
	})
}

// A session open on a visit that was rated meanwhile (two chats on one visit, as the start's
// lock now prevents) expires without a second response; and a session that cannot be closed
// does not keep the sweeper from the others.
func TestTheSweeperClosesASessionOnARatedVisitAndGoesOn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		rated, other := f.visit(), f.visit()
		f.send("a", "/start "+rated)
		f.send("a", "2")
		f.send("b", "/start "+other)
		f.send("b", "2")
		// The visit is rated by another session, as a race could once do.
		if _, err := db.Exec(db.Rebind(`INSERT INTO sessions (channel, chat_id, respondent_id, visit_token, unit_id, flow_id, flow_version, language, position, state, started_at, updated_at, expires_at)
			SELECT 'whatsapp', NULL, respondent_id, visit_token, unit_id, flow_id, flow_version, 'id', 0, 'completed', 1, 1, 1 FROM sessions WHERE visit_token = ?`), rated); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(db.Rebind(`INSERT INTO responses (session_id, respondent_id, unit_id, visit_token, flow_id, flow_version, status, finished_at, local_day)
			SELECT id, respondent_id, unit_id, visit_token, flow_id, flow_version, 'complete', 1, 20261126 FROM sessions WHERE visit_token = ? AND state = 'completed'`), rated); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(db.Rebind("UPDATE visits SET used_at = 1 WHERE token = ?"), rated); err != nil {
			t.Fatal(err)
		}
		// A session whose flow can no longer be read cannot be closed as partial.
		f.publish("id: rusak\nversion: 1\ntitle: Tes\nquestions:\n  - {id: puas, kind: choice, prompt: \"Puas?\", options: [{value: y, label: Ya}, {value: t, label: Tidak}]}\n  - {id: saran, kind: text, prompt: \"Saran?\"}\n")
		f.send("c", "/start "+f.visitOf("rusak"))
		f.send("c", "1")
		if _, err := db.Exec("UPDATE flows SET source = 'questions: [' WHERE id = 'rusak'"); err != nil {
			t.Fatal(err)
		}
		f.e = &bot.Engine{DB: db, Secret: f.e.Secret, Location: f.e.Location, Logger: f.e.Logger} // nothing cached
		f.now = f.now.Add(48 * time.Hour)
		n, err := f.e.SweepExpired(context.Background())
		if n != 2 || err == nil {
			t.Errorf("SweepExpired = %d, %v; want the two closed and the broken one reported", n, err)
		}
		var open int
		db.Get(&open, "SELECT COUNT(*) FROM sessions WHERE state = 'active'")
		if open != 1 {
			t.Errorf("%d sessions still open, want only the broken one", open)
		}
		if p := f.countResponses("partial"); p != 1 {
			t.Errorf("%d partial responses, want 1 (the other visit's; the rated visit has its own)", p)
		}
	})
}

func TestTheSweeperTellsTheChatAsAMessageWouldBeTold(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		f.send("c1", "2")
		f.send("c2", "/start "+f.visit())
		f.send("c2", "/bahasa en")
		f.now = f.now.Add(25 * time.Hour)
		if n, err := f.e.SweepExpired(context.Background()); err != nil || n != 2 {
			t.Fatalf("SweepExpired = %d, %v; want 2", n, err)
		}
		for chat, want := range map[string]string{"c1": "batas waktu", "c2": "An unfinished survey is not counted"} {
			bodies, err := db.Transcript(context.Background(), bot.ChannelTelegram, chat)
			if err != nil || len(bodies) == 0 || !strings.Contains(bodies[len(bodies)-1], want) {
				t.Errorf("chat %s: messages queued %q (%v), want the expiry notice in its language last", chat, bodies, err)
			}
		}
		// Queued to be sent: the dispatcher claims it once the chat's earlier messages are out.
		var unsent int
		db.Get(&unsent, db.Rebind("SELECT COUNT(*) FROM outbox WHERE body LIKE ? AND sent_at IS NULL"), "%batas waktu%")
		if unsent != 1 {
			t.Errorf("%d unsent notices in Indonesian, want 1", unsent)
		}
		if n, _ := f.e.SweepExpired(context.Background()); n != 0 {
			t.Errorf("a second sweep closed %d sessions", n)
		}
	})
}

func TestAMessageAfterExpirySaysSoAndHelps(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		f.now = f.now.Add(25 * time.Hour)
		rs := f.send("c1", "1")
		if len(rs) != 2 || !strings.Contains(rs[0].Text, "batas waktu") || !strings.Contains(rs[0].Text, "tidak selesai tidak dihitung dalam Indeks Kepuasan Masyarakat") {
			t.Errorf("replies = %+v, want the expiry notice, which says an unfinished survey does not count", rs)
		}
		// A survey in English closes in English, its help too.
		f.send("c2", "/start "+f.visit())
		f.send("c2", "/bahasa en")
		f.now = f.now.Add(25 * time.Hour)
		if rs := f.send("c2", "hello"); len(rs) != 2 || !strings.Contains(rs[0].Text, "time ran out") || !strings.HasPrefix(rs[1].Text, "Hello!") {
			t.Errorf("replies = %+v, want the notice and the help in English", rs)
		}
	})
}

func TestMessagesOfOneChatAreProcessedInOrderUnderConcurrency(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		const chats = 8
		tokens := make([]string, chats)
		for i := range tokens {
			tokens[i] = f.visit()
		}
		var wg sync.WaitGroup
		errs := make(chan error, chats)
		for i := range chats {
			wg.Add(1)
			go func() {
				defer wg.Done()
				chat := "par" + string(rune('a'+i))
				msgs := append([]string{"/start " + tokens[i]}, fullSurvey...)
				for j, m := range msgs {
					_, err := f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: chat, UserID: chat, Text: m, EventID: chat + string(rune('A'+j))})
					if err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if n := f.countResponses("complete"); n != chats {
			t.Errorf("%d complete responses, want %d", n, chats)
		}
	})
}

func TestRespondentsAreStoredAsPseudonyms(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		var p string
		if err := db.Get(&p, "SELECT pseudonym FROM respondents"); err != nil {
			t.Fatal(err)
		}
		if len(p) != 64 || strings.Contains(p, "uc1") {
			t.Errorf("pseudonym = %q, want 64 hex characters of an HMAC", p)
		}
	})
}

func TestExtraCommandsAreHandledByTheirFunction(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		var got string
		f.e.Commands = map[string]bot.CommandFunc{
			"/langganan": func(ctx context.Context, tx *storage.Tx, in bot.Inbound, arg string) ([]bot.Reply, error) {
				got = arg
				return []bot.Reply{{Text: "langganan aktif"}}, nil
			},
		}
		if rs := f.send("head", "/langganan@sukma_bot  ABC123 "); last(rs) != "langganan aktif" || got != "ABC123" {
			t.Errorf("replies %+v, arg %q", rs, got)
		}

		// In the middle of a survey the question is asked again after the command's reply: it
		// stays the chat's last message, its buttons the current ones.
		f.send("citizen", "/start "+f.visit())
		f.send("citizen", "1")
		rs := f.send("citizen", "/langganan X")
		if len(rs) != 2 || rs[0].Text != "langganan aktif" || !strings.Contains(rs[1].Text, "usia") {
			t.Fatalf("a command mid-survey: %+v, want its reply then the question again", rs)
		}
		if rs := f.send("citizen", "40"); !strings.Contains(last(rs), "Pendidikan") {
			t.Errorf("the survey did not go on after the command: %+v", rs)
		}
	})
}

// A flow may ask its questions in a language the bot's own messages lack (Javanese): switching
// to it says so by its code, not "Bahasa diganti ke Bahasa Indonesia".
func TestSwitchingToALanguageOnlyTheFlowSpeaks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.publish("id: jawa\nversion: 1\ntitle: Tes\nlanguages: [id, jv]\nquestions:\n  - id: saran\n    kind: text\n    prompt: {id: \"Saran Anda?\", jv: \"Saran panjenengan?\"}\n")
		f.send("j", "/start "+f.visitOf("jawa"))
		rs := f.send("j", "/bahasa jv")
		if len(rs) != 2 || rs[0].Text != "Bahasa / Language: jv" || !strings.Contains(rs[1].Text, "Saran panjenengan") {
			t.Errorf("/bahasa jv → %+v", rs)
		}
	})
}

// intro and closing are optional in a flow: without them no empty message goes out (Telegram
// refuses one) and the last message is the bot's own "counted".
func TestAFlowWithoutIntroOrClosingSendsNoEmptyMessage(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.publish("id: singkat\nversion: 1\ntitle: Tes\nquestions:\n  - id: saran\n    kind: text\n    prompt: \"Saran?\"\n")
		rs := f.send("s", "/start "+f.visitOf("singkat"))
		rs = append(rs, f.send("s", "Tambah kursi")...)
		for _, r := range rs {
			if strings.TrimSpace(r.Text) == "" || strings.HasPrefix(r.Text, "\n") {
				t.Errorf("replies %+v: an empty message, or one that starts blank", rs)
			}
		}
		if len(rs) != 2 || !strings.Contains(rs[1].Text, "tercatat") {
			t.Errorf("replies %+v, want the question and the closing", rs)
		}
	})
}

// A citizen who writes "English please" where a number is expected gets the survey in English;
// where a text is an answer, it is one.
func TestALanguageAskedForByNameSwitchesTheSurvey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c", "/start "+f.visit())
		if got := f.send("c", "English please!"); len(got) != 2 || !strings.Contains(got[1].Text, "gender") {
			t.Fatalf("English please → %+v, want the switch and the question in English", got)
		}
		if got := last(f.send("c", "bahasa indonesia")); !strings.Contains(got, "Jenis kelamin") {
			t.Errorf("bahasa indonesia → %q, want the question in Indonesian again", got)
		}
		if got := last(f.send("c", "saya tidak tahu bahasa inggris dengan baik sekali")); strings.Contains(got, "gender") {
			t.Errorf("a sentence naming a language switched it: %q", got)
		}
		for _, a := range fullSurvey[:14] {
			f.send("c", a)
		}
		f.send("c", "English") // the suggestion, a text: stored as it is
		var saran string
		if err := db.Get(&saran, "SELECT saran FROM responses"); err != nil || saran != "English" {
			t.Errorf("saran %q (%v), want the text stored", saran, err)
		}
	})
}

// A command with more words after it is still the command, also where a text is the answer:
// "/batal saja deh" cancels, "/bahasa bahasa inggris" switches, and "/kembali ke awal", a
// command the bot does not know, is not stored as the citizen's suggestion.
func TestACommandWithSeveralWordsIsTheCommand(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c", "/start "+f.visit())
		for _, a := range fullSurvey[:14] {
			f.send("c", a)
		}
		if got := last(f.send("c", "/bahasa bahasa inggris")); !strings.Contains(got, "suggestions") {
			t.Errorf("/bahasa bahasa inggris → %q, want the last question in English", got)
		}
		if got := last(f.send("c", "/kembali ke awal")); strings.Contains(got, "Thank you") {
			t.Errorf("/kembali ke awal → %q, want it not taken as the suggestion", got)
		}
		if got := last(f.send("c", "/batal saja deh")); !strings.Contains(got, "cancelled") {
			t.Errorf("/batal saja deh → %q, want the survey cancelled", got)
		}
		var n int
		if err := db.Get(&n, "SELECT COUNT(*) FROM responses WHERE status = 'complete'"); err != nil || n != 0 {
			t.Errorf("%d complete responses (%v), want none", n, err)
		}
	})
}
