package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestAStandingLinkTakesOneResponsePerRespondentAndDay(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token, err := db.EnsureStandingToken(context.Background(), f.unitID, func() string { return "standing-demo" })
		if err != nil {
			t.Fatal(err)
		}
		complete := func(chat string) string {
			f.send(chat, "/start "+token)
			var rs string
			for _, a := range fullSurvey {
				rs = last(f.send(chat, a))
			}
			return rs
		}
		if got := complete("walkin1"); !strings.Contains(got, "tercatat") {
			t.Fatalf("first walk-in: %q", got)
		}
		if got := complete("walkin2"); !strings.Contains(got, "tercatat") {
			t.Fatalf("another walk-in the same day: %q", got)
		}
		if got := last(f.send("walkin1", "/start "+token)); !strings.Contains(got, "hari ini") {
			t.Errorf("the same respondent again the same day: %q, want told to come back tomorrow", got)
		}
		f.now = f.now.Add(24 * time.Hour)
		if got := complete("walkin1"); !strings.Contains(got, "tercatat") {
			t.Errorf("the same respondent the next day: %q", got)
		}
		if n := f.countResponses("complete"); n != 3 {
			t.Errorf("%d complete responses, want 3", n)
		}
	})
}
