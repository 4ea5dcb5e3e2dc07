package digest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestSubscribingFromChatWithACode(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		s := f.service()
		e := f.engine(s)
		for _, c := range []struct {
			code    string
			expires time.Duration
		}{{"GOODCODE", 7 * 24 * time.Hour}, {"OLDCODE2", -time.Hour}} {
			if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: c.code, UnitID: &f.unit.ID, Schedule: "0 7 * * 1", Language: "id", Alerts: true, ExpiresAt: f.now.Add(c.expires).UnixMilli()}); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		say := func(chat, text string) string {
			n++
			rs, err := e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: chat, UserID: "u" + chat, Text: text, EventID: fmt.Sprint(n)})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%q: %+v, %v", text, rs, err)
			}
			return rs[0].Text
		}
		tests := []struct{ name, chat, text, want string }{
			{"a valid code subscribes the chat and says what and when", "501", "/langganan goodcode", "Dukcapil Malang setiap Senin pukul 07.00 (WIB)"},
			{"the same code again is refused as used", "502", "/langganan GOODCODE", "sudah dipakai"},
			{"an expired code is refused", "502", "/subscribe OLDCODE2", "kedaluwarsa"},
			{"an unknown code is refused", "502", "/langganan ZZZZZZZZ", "tidak dikenal"},
			{"no code asks for one", "502", "/langganan", "Kirim kode langganan"},
			{"/berhenti without a subscription says so, and how to stop a survey", "502", "/berhenti", "tidak berlangganan ringkasan SKM. Untuk menghentikan survei, kirim /batal."},
			{"/berhenti ends the subscription", "501", "/berhenti", "Langganan dihentikan"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := say(tt.chat, tt.text); !strings.Contains(got, tt.want) {
					t.Errorf("%q → %q, want %q", tt.text, got, tt.want)
				}
			})
		}
		if subs, _ := db.FindSubscribers(ctx); len(subs) != 0 {
			t.Errorf("subscribers left after /berhenti: %+v", subs)
		}
		if got := f.outbox("501"); len(got) != 2 || !strings.Contains(got[0].Text, "Ringkasan pertama: Senin, 23 November 2026 pukul 07.00 WIB") || !strings.Contains(got[0].Text, "peringatan") {
			t.Errorf("confirmation in the outbox: %+v", got)
		}
	})
}

func TestAChatSubscribingAgainKeepsOneSubscription(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.engine(f.service())
		for code, schedule := range map[string]string{"WEEKLY22": "0 7 * * 1", "MONTHLY2": "0 7 1 * *"} {
			if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: code, UnitID: &f.unit.ID, Schedule: schedule, Language: "id", ExpiresAt: f.now.Add(time.Hour).UnixMilli()}); err != nil {
				t.Fatal(err)
			}
		}
		// The head was added by number in the admin page, then sends two codes from WhatsApp.
		added := f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "whatsapp", Address: "6281200000001", Schedule: "0 7 * * *", Language: "id"})
		for _, code := range []string{"WEEKLY22", "MONTHLY2"} {
			rs, err := e.Handle(ctx, bot.Inbound{Channel: bot.ChannelWhatsApp, ChatID: "6281200000001@s.whatsapp.net", UserID: "u", Text: "/langganan " + code, EventID: code})
			if err != nil || len(rs) != 1 || !strings.Contains(rs[0].Text, "Langganan aktif") {
				t.Fatalf("/langganan %s: %+v, %v", code, rs, err)
			}
		}
		subs, err := db.FindSubscribers(ctx)
		if err != nil || len(subs) != 1 || subs[0].ID != added.ID || subs[0].Schedule != "0 7 1 * *" {
			t.Errorf("subscribers %+v, %v; want subscriber %d alone, on the last code's monthly schedule", subs, err, added.ID)
		}
	})
}

// On WhatsApp a subscriber's address is the number, however the head subscribed: by a code
// from the linked device's chat (whose id is number@s.whatsapp.net) or added by an admin
// through the API. /berhenti from that chat ends either.
func TestAWhatsAppSubscriberIsItsNumber(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		s := f.service()
		e := f.engine(s)
		say := func(chat, text string) string {
			rs, err := e.Handle(ctx, bot.Inbound{Channel: bot.ChannelWhatsApp, ChatID: chat, UserID: "u", Text: text})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%q: %+v, %v", text, rs, err)
			}
			return rs[0].Text
		}
		if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: "WACODE12", UnitID: &f.unit.ID, Schedule: "0 7 * * 1", Language: "id", ExpiresAt: f.now.Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		say("6281200000001@s.whatsapp.net", "/langganan WACODE12")
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "whatsapp", Address: "6281200000002", Schedule: "0 7 * * 1", Language: "id"})
		subs, _ := db.FindSubscribers(ctx)
		if len(subs) != 2 || subs[0].Address != "6281200000001" {
			t.Fatalf("subscribers %+v, want the code's subscriber stored by number", subs)
		}
		for _, chat := range []string{"6281200000001@s.whatsapp.net", "6281200000002@s.whatsapp.net"} {
			if got := say(chat, "/berhenti"); !strings.Contains(got, "Langganan dihentikan") {
				t.Errorf("/berhenti from %s: %q", chat, got)
			}
		}
		if subs, _ := db.FindSubscribers(ctx); len(subs) != 0 {
			t.Errorf("subscribers left: %+v", subs)
		}
	})
}

// A head whose code was made in English reads every answer of the bot in English: the
// confirmation, and /berhenti's; the commands' own language answers when no subscription
// or code tells (an unknown code, a chat with no subscription).
func TestASubscriberInEnglishIsAnsweredInEnglish(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		e := f.engine(f.service())
		for code, lang := range map[string]string{"ENGLISH2": "en", "USEDCODE": "en", "INDONES2": "id"} {
			if err := db.CreateSubscriptionCode(ctx, storage.SubscriptionCode{Code: code, UnitID: &f.unit.ID, Schedule: "0 7 * * 1", Language: lang, Alerts: true, ExpiresAt: f.now.Add(time.Hour).UnixMilli()}); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		say := func(chat, text string) string {
			t.Helper()
			n++
			rs, err := e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: chat, UserID: "u" + chat, Text: text, EventID: fmt.Sprint("en", n)})
			if err != nil || len(rs) != 1 {
				t.Fatalf("%q: %+v, %v", text, rs, err)
			}
			return rs[0].Text
		}
		say("600", "/langganan USEDCODE")
		for _, tt := range []struct{ name, chat, text, want string }{
			{"a code made in English confirms in English, whichever command", "601", "/langganan ENGLISH2",
				"✅ Subscribed.\nYou will receive the SKM digest for Dukcapil Malang every Monday at 07:00 (WIB)"},
			{"with its first digest's date and the alerts in English", "601", "", "First digest: Monday, 23 November 2026 at 07:00 WIB.\nYou will also get an alert"},
			{"a used English code is refused in English", "602", "/langganan USEDCODE", "has been used already"},
			{"an unknown code after /subscribe is refused in English", "602", "/subscribe ZZZZZZZZ", "is unknown"},
			{"and after /langganan in Indonesian", "602", "/langganan ZZZZZZZZ", "tidak dikenal"},
			{"/unsubscribe from a chat with no subscription is answered in English", "602", "/unsubscribe", "This chat is not subscribed to SKM digests. To stop a survey, send /cancel."},
			{"/berhenti stops an English subscription in English", "601", "/berhenti", "Unsubscribed: this chat will no longer receive"},
			{"/unsubscribe stops an Indonesian subscription in Indonesian", "603", "/unsubscribe", "Langganan dihentikan"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if tt.chat == "603" {
					say("603", "/langganan INDONES2")
				}
				var got string
				if tt.text == "" {
					got = f.outbox(tt.chat)[0].Text
				} else {
					got = say(tt.chat, tt.text)
				}
				if !strings.Contains(got, tt.want) {
					t.Errorf("%q → %q, want %q", tt.text, got, tt.want)
				}
			})
		}
	})
}
