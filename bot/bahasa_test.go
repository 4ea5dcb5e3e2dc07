package bot_test

import (
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// /bahasa (/language) with no survey open in a Telegram or WhatsApp chat switches nothing,
// as there is no survey to switch and no place to keep the choice: it says so, and how to
// start, in the language asked for (by code or name; alone, the one after Indonesian, the
// language a survey starts in, as /bahasa switches inside a survey).
func TestBahasaWithoutASurveySaysSoInTheLanguageAsked(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		english := []string{"There is no survey in progress", "/language", "scan the QR code"}
		indonesian := []string{"Tidak ada survei yang sedang berjalan", "dimulai dalam Bahasa Indonesia", "/bahasa", "pindai kode QR"}
		for _, tt := range []struct {
			send string
			want []string
		}{
			{"/language", english},
			{"/bahasa", english},
			{"/bahasa en", english},
			{"/bahasa inggris", english},
			{"/language@sukma_bot English", english},
			{"/bahasa id", indonesian},
			{"/bahasa ID", indonesian},
			{"/language indonesia", indonesian},
		} {
			rs := f.send("c-"+tt.send, tt.send)
			all := ""
			for _, r := range rs {
				all += r.Text + " | "
			}
			if len(rs) != 2 {
				t.Errorf("%q → %d replies %q, want what it did and the help", tt.send, len(rs), all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("%q → %q, want it to contain %q", tt.send, all, w)
				}
			}
		}
		var sessions int
		if err := db.Get(&sessions, "SELECT COUNT(*) FROM sessions"); err != nil || sessions != 0 {
			t.Errorf("%d sessions (%v), want none: /bahasa starts no survey", sessions, err)
		}
		// The survey started after it is in Indonesian, and /bahasa in it switches.
		f.send("c-/language", "/start "+f.visit())
		if rs := f.send("c-/language", "/language"); !strings.Contains(last(rs), "Your gender") {
			t.Errorf("/language in the survey then: %q, want the question in English", last(rs))
		}
	})
}

// In the web chat, a message with no survey open starts the link's survey again if it may
// (after /batal): /bahasa there starts it in the language asked for, and a refusal (the
// visit already rated) is said in it.
func TestBahasaInTheWebChatWithoutASurveyStartsItInTheLanguageAsked(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		web := f.web
		token := f.visit()
		web(token, "")
		web(token, "/batal")
		rs := web(token, "/bahasa en")
		if len(rs) < 2 || !strings.Contains(rs[0].Text, "Language switched to English") || !strings.Contains(last(rs), "Your gender") || rs[len(rs)-1].Language != "en" {
			t.Fatalf("/bahasa en after /batal: %+v, want the survey again, in English", rs)
		}
		if rs := web(token, "/bahasa"); !strings.Contains(last(rs), "Jenis kelamin") {
			t.Errorf("/bahasa in the survey started in English: %+v, want it back in Indonesian", rs)
		}
		web(token, "/batal")
		if rs := web(token, "/bahasa id"); len(rs) < 2 || !strings.Contains(rs[0].Text, "Bahasa Indonesia") || !strings.Contains(last(rs), "Jenis kelamin") {
			t.Errorf("/bahasa id after /batal: %+v, want the survey again, in Indonesian", rs)
		}
		for _, a := range fullSurvey {
			rs = web(token, a)
		}
		if !strings.Contains(last(rs), "tercatat") {
			t.Fatalf("the survey ends with %+v", rs)
		}
		// The page that rated it a moment ago hears that its answers are recorded.
		if rs := web(token, "/language"); len(rs) != 1 || !strings.Contains(rs[0].Text, "your answers are recorded") {
			t.Errorf("/language once the visit is rated: %+v, want to hear so in English", rs)
		}
	})
}

// In a survey, /bahasa takes the language as /bahasa outside one does: a code in any case,
// or its name. Asked for the language already spoken, it stays.
func TestBahasaInASurveyTakesTheLanguageInAnyForm(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		for _, tt := range []struct{ send, want string }{
			{"/bahasa EN", "Your gender"},
			{"/language english", "Your gender"},
			{"/bahasa inggris", "Your gender"},
			{"/bahasa ID", "Jenis kelamin"},
			{"/bahasa indonesia", "Jenis kelamin"},
			{"/bahasa", "Your gender"},
		} {
			if rs := f.send("c1", tt.send); !strings.Contains(last(rs), tt.want) {
				t.Errorf("%q → %q, want the question as %q", tt.send, last(rs), tt.want)
			}
		}
	})
}

// A language Sukma does not have is not a reason to switch to another one: the citizen hears
// the choices, in the language spoken, and the question again.
func TestBahasaNamingNoLanguageGivesTheChoices(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		rs := f.send("c0", "/bahasa fr")
		if len(rs) != 2 || !strings.Contains(rs[0].Text, `Bahasa "fr" tidak tersedia. Pilihannya: id, en`) {
			t.Errorf("/bahasa fr with no survey: %+v, want the choices, then the help", rs)
		}
		f.send("c1", "/start "+f.visit())
		f.send("c1", "/bahasa en")
		for _, send := range []string{"/language fr", "/bahasa 1", "/language xyz"} {
			rs := f.send("c1", send)
			if len(rs) != 2 || !strings.Contains(rs[0].Text, "is not available. The choices: id, en") || !strings.Contains(last(rs), "Your gender") {
				t.Errorf("%q in an English survey: %+v, want the choices in English, then the question in English", send, rs)
			}
		}
	})
}
