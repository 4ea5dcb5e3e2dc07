package bot_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A NUL byte or broken UTF-8 in what a citizen types (PostgreSQL refuses both in text) is
// stored cleaned, and the survey goes on.
func TestControlBytesInATypedAnswerAreStoredCleaned(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start \x00"+f.visit())
		answers := append([]string(nil), fullSurvey...)
		answers[13] = "Antrean\x00 terlalu \xff lama"
		var got []string
		for _, a := range answers {
			got = append(got, last(f.send("c1", a)))
		}
		if !strings.Contains(got[len(got)-1], "tercatat") {
			t.Fatalf("replies %q, want the survey completed", got)
		}
		var perbaikan string
		if err := db.Get(&perbaikan, "SELECT perbaikan FROM responses"); err != nil || perbaikan != "Antrean terlalu \uFFFD lama" {
			t.Errorf("perbaikan = %q (%v), want the NUL dropped and the broken byte replaced", perbaikan, err)
		}
	})
}

// Whatever a citizen types at whatever question, the engine answers, with readable text, and
// never fails: a re-prompt, a skip, a command, or the next question.
func FuzzTypedText(f *testing.F) {
	for _, s := range []string{"", "apa", "0", "5", "-1", "3.5", "1e3", " 2 ", "2\n3", "４", "٣",
		"99999999999999999999", "\x00", "\xff\xfe", "/start", "/start x", "/batal", "/help", "lewati", "-",
		strings.Repeat("panjang ", 700)} {
		f.Add(s, uint8(3))
	}
	db := storagetest.SQLite(f)
	fx := newFixture(f, db)
	chats := 0
	f.Fuzz(func(t *testing.T, text string, at uint8) {
		fx.t = t
		chats++
		chat := fmt.Sprint("fz", chats)
		fx.send(chat, "/start "+fx.visit())
		for _, a := range fullSurvey[:int(at)%len(fullSurvey)] {
			fx.send(chat, a)
		}
		rs := fx.send(chat, text)
		if len(rs) == 0 {
			t.Fatalf("no reply to %q", text)
		}
		for _, r := range rs {
			if r.Text == "" || !utf8.ValidString(r.Text) {
				t.Errorf("reply %q to %q is empty or not UTF-8", r.Text, text)
			}
		}
	})
}

// A citizen who scored poorly and will not say what to improve skips the question and is
// counted: were it required, their survey would end partial and leave the lowest scores out of
// the IKM.
func TestADissatisfiedCitizenMaySkipWhatToImprove(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("c1", "/start "+f.visit())
		answers := append([]string(nil), fullSurvey[:13]...)
		answers = append(answers, "-", "lewati")
		var got []string
		for _, a := range answers {
			got = append(got, last(f.send("c1", a)))
		}
		if !strings.Contains(got[len(got)-1], "tercatat") {
			t.Fatalf("replies %q, want the survey completed", got)
		}
		var perbaikan, saran *string
		if err := db.QueryRow("SELECT perbaikan, saran FROM responses WHERE status = 'complete'").Scan(&perbaikan, &saran); err != nil || perbaikan != nil || saran != nil {
			t.Errorf("perbaikan %v, saran %v (%v), want one complete response with both skipped", perbaikan, saran, err)
		}
	})
}

// An empty answer (a sticker) to an optional question is re-prompted with how to skip it
// once: the question's own text says it.
func TestARepromptOfAnOptionalQuestionSaysHowToSkipOnce(t *testing.T) {
	f := newFixture(t, storagetest.SQLite(t))
	f.send("c1", "/start "+f.visit())
	for _, a := range fullSurvey[:13] {
		f.send("c1", a)
	}
	got := last(f.send("c1", ""))
	if n := strings.Count(got, `"lewati"`); n != 1 || !strings.HasPrefix(got, "Mohon tulis jawaban Anda.") {
		t.Errorf("the re-prompt %q names \"lewati\" %d times, want once", got, n)
	}
}
