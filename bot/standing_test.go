package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/flows"
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
		// The unit is retired, its poster still at the counter: its code is known, and says so.
		if err := db.RetireUnit(context.Background(), f.unitID); err != nil {
			t.Fatal(err)
		}
		if got := last(f.send("walkin3", "/start "+token)); !strings.Contains(got, "sudah tidak menerima survei") {
			t.Errorf("a retired unit's standing link: %q", got)
		}
		if got := last(f.send("walkin3", "/start tidak-ada")); !strings.Contains(got, "tidak dikenal") {
			t.Errorf("an unknown code: %q", got)
		}
	})
}

func TestAWebSurveyFollowsItsLinkToAnotherBrowser(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		token := f.visit()
		ctx := context.Background()
		in := func(chat, text string) bot.Inbound {
			return bot.Inbound{Channel: bot.ChannelWeb, ChatID: chat, UserID: chat, Text: text}
		}
		if _, err := f.e.Start(ctx, in(token+".inapp", ""), token); err != nil {
			t.Fatal(err)
		}
		f.e.Handle(ctx, in(token+".inapp", "1"))
		rs, err := f.e.Start(ctx, in(token+".chrome", ""), token)
		if err != nil || len(rs) != 2 || !strings.Contains(rs[1].Text, "usia") {
			t.Fatalf("opening the link in a second browser: %+v, %v; want the survey resumed at the second question", rs, err)
		}
		// On Telegram, a web survey in progress is not taken over.
		if got := last(f.send("tg", "/start "+token)); !strings.Contains(got, "perangkat lain") {
			t.Errorf("Telegram start of a web survey in progress: %q", got)
		}
	})
}

func TestAPreviewOfADraftLeavesNoResponse(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, storage.PreviewFlowID("skm", 1), flows.Builtin(), "admin"); err != nil {
			t.Fatal(err)
		}
		token := "preview-visit"
		if err := db.CreateVisit(ctx, storage.NewVisit{Token: token, UnitID: f.unitID, FlowID: storage.PreviewFlowID("skm", 1), ExpiresAt: f.now.Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		// The admin is told, first and last, that nothing counts: the citizen's closing
		// ("ikut dihitung") would say otherwise.
		if first := f.send("admin", "/start "+token); len(first) == 0 || !strings.HasPrefix(first[0].Text, "👀 Pratinjau alur") {
			t.Errorf("the preview starts %+v, want the preview note first", first)
		}
		var got string
		for _, a := range fullSurvey {
			got = last(f.send("admin", a))
		}
		if !strings.Contains(got, "Terima kasih") || !strings.Contains(got, "Pratinjau selesai") || strings.Contains(got, "ikut dihitung") {
			t.Fatalf("the preview ends %q, want the flow's thanks and that nothing was counted", got)
		}
		if n := f.countResponses("complete"); n != 0 {
			t.Errorf("%d responses from a preview, want none", n)
		}
	})
}
