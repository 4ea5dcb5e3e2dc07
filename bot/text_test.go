package bot_test

import (
	"strings"
	"testing"

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
