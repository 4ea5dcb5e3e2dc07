package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// shown lists the messages of a transcript that asked a question, each with the answer shown
// after it: "question=answer", "question" for none.
func shown(rs []bot.Reply) string {
	var out []string
	for _, r := range rs {
		switch {
		case r.Answer != "":
			out = append(out, r.Question+"="+r.Answer)
		case r.Question != "":
			out = append(out, r.Question)
		}
	}
	return strings.Join(out, " ")
}

// Opened again in the middle of a survey, the page shows the citizen's accepted answers,
// each after the question it answered, read from the stored answers.
func TestTheWebChatShowsTheAnswersGivenSoFar(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		t.Run("each after the last message that asked it, an option as its button reads", func(t *testing.T) {
			b := s.browser(s.visit(time.Hour))
			b.look()
			for _, a := range []string{"2", "abc", "41", "5"} {
				b.say(a)
			}
			want := "jenis_kelamin=2. Perempuan usia usia=41 pendidikan=5. S1 pekerjaan"
			if got := shown(b.look()); got != want {
				t.Errorf("shown %q, want %q", got, want)
			}
			b.say("/ulang")
			b.say("1")
			// The first answers went with the restart.
			want = "jenis_kelamin usia usia pendidikan pekerjaan jenis_kelamin=1. Laki-laki usia"
			if got := shown(b.look()); got != want {
				t.Errorf("after /ulang shown %q, want %q", got, want)
			}
		})
		t.Run("in the language the question was asked in", func(t *testing.T) {
			b := s.browser(s.visit(time.Hour))
			b.look()
			b.say("/bahasa en")
			b.say("2")
			if got := shown(b.look()); got != "jenis_kelamin jenis_kelamin=2. Female usia" {
				t.Errorf("shown %q", got)
			}
		})
		t.Run("not after a question of an earlier survey of the chat", func(t *testing.T) {
			token := s.visit(time.Hour)
			b := s.browser(token)
			b.look()
			b.say("/batal")
			s.now = s.now.Add(time.Minute)
			other := s.browser(token) // a new survey on the link, answered in another browser
			other.look()
			other.say("1")
			s.now = s.now.Add(time.Minute)
			b.look() // takes the survey over
			if got := shown(b.look()); got != "jenis_kelamin usia" {
				t.Errorf("shown %q: the other survey's answer is under the cancelled survey's question", got)
			}
			if got := shown(other.look()); got != "jenis_kelamin=1. Laki-laki usia usia" { // taken back, asked again
				t.Errorf("the other browser, taking the survey back, shows %q", got)
			}
		})
		t.Run("the service chosen from the unit's list", func(t *testing.T) {
			ctx := context.Background()
			unit, err := s.db.CreateUnit(ctx, storage.NewUnit{Code: "DUA", Name: "Unit Dua Layanan", Population: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []storage.NewService{{UnitID: unit.ID, Code: "KTP", Name: "KTP-el"}, {UnitID: unit.ID, Code: "KK", Name: "Kartu Keluarga"}} {
				if _, err := s.db.CreateService(ctx, n); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.db.CreateVisit(ctx, storage.NewVisit{Token: "dua", UnitID: unit.ID, FlowID: "skm", ExpiresAt: s.now.Add(time.Hour).UnixMilli()}); err != nil {
				t.Fatal(err)
			}
			b := s.browser("dua")
			b.look()
			b.say("Kartu Keluarga")
			if got := shown(b.look()); !strings.HasPrefix(got, "~layanan=") || !strings.Contains(got, "Kartu Keluarga jenis_kelamin") {
				t.Errorf("shown %q, want the service chosen after its question", got)
			}
		})
	})
}
