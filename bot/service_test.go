package bot_test

import (
	"context"
	"strings"
	"testing"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A survey opened without a service at a unit with several asks which one first, from the
// unit's active services, and its response counts for it; a unit with one service gets it
// without the question, and a visit made for a service is not asked.
func TestASurveyWithoutAServiceAsksWhichOne(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		service := func(unitID int64, code, name string) int64 {
			s, err := db.CreateService(ctx, storage.NewService{UnitID: unitID, Code: code, Name: name})
			if err != nil {
				t.Fatal(err)
			}
			return s.ID
		}
		ktp := service(f.unitID, "KTP", "KTP elektronik")
		kk := service(f.unitID, "KK", "Kartu keluarga")
		if err := db.RetireService(ctx, service(f.unitID, "AKTA", "Akta lama")); err != nil {
			t.Fatal(err)
		}
		// lastService is the service of the newest response.
		lastService := func() *int64 {
			var id *int64
			if err := db.Get(&id, "SELECT service_id FROM responses ORDER BY id DESC LIMIT 1"); err != nil {
				t.Fatal(err)
			}
			return id
		}

		rs := f.send("a", "/start "+f.visit())
		if q := rs[len(rs)-1]; !strings.Contains(q.Text, "Layanan apa") || len(q.Options) != 2 || q.Options[0].Label != "Kartu keluarga" {
			t.Fatalf("the first question: %+v, want the unit's two active services", q)
		}
		for _, past := range []string{"3", "tiga"} {
			if rs := f.send("a", past); !strings.Contains(last(rs), "Pilih salah satu layanan di bawah ini, atau balas dengan nomornya (1–2).") {
				t.Errorf("%q, past the list: %q", past, last(rs))
			}
		}
		if rs := f.send("a", "kartu KELUARGA"); !strings.Contains(last(rs), "Jenis kelamin") {
			t.Fatalf("after the service: %q, want the flow's first question", last(rs))
		}
		for _, a := range fullSurvey {
			rs = f.send("a", a)
		}
		if !strings.Contains(last(rs), "tercatat") {
			t.Fatalf("the survey ended with %q", last(rs))
		}
		if got := lastService(); got == nil || *got != kk {
			t.Errorf("the response's service = %v, want %d", got, kk)
		}

		// A press of the service's button on Telegram.
		f.send("b", "/start "+f.visit())
		f.n++
		rs, err := f.e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "b", UserID: "ub", Option: 2,
			Button: lastOutboxID(t, db, "b"), EventID: "press-b"})
		if err != nil || !strings.Contains(last(rs), "Jenis kelamin") {
			t.Errorf("a press on the service's button: %q, %v", last(rs), err)
		}

		// The service's number as a word.
		f.send("d", "/start "+f.visit())
		if rs := f.send("d", "Dua."); !strings.Contains(last(rs), "Jenis kelamin") {
			t.Errorf("the service's number as a word: %q", last(rs))
		}
		var chosen *int64
		if err := db.Get(&chosen, "SELECT service_id FROM sessions WHERE chat_id = 'd'"); err != nil || chosen == nil || *chosen != ktp {
			t.Errorf("the service of \"Dua.\" = %v (%v), want the second, KTP elektronik", chosen, err)
		}

		// One service: no question.
		other, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SATU", Name: "Unit satu layanan", Population: 10})
		if err != nil {
			t.Fatal(err)
		}
		only := service(other.ID, "IMB", "Izin bangunan")
		token, err := db.EnsureStandingToken(ctx, other.ID, func() string { return "standing-satu" })
		if err != nil {
			t.Fatal(err)
		}
		if rs := f.send("c", "SKM "+token); !strings.Contains(last(rs), "Jenis kelamin") {
			t.Errorf("a unit with one service: %q, want no service question", last(rs))
		}
		for _, a := range fullSurvey {
			f.send("c", a)
		}
		if got := lastService(); got == nil || *got != only {
			t.Errorf("the response's service = %v, want the unit's only one %d", got, only)
		}
	})
}
