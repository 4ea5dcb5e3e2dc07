package digest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/digest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

var jakarta, _ = time.LoadLocation("Asia/Jakarta")

type fixture struct {
	t    *testing.T
	db   *storage.DB
	now  time.Time
	unit storage.Unit
	n    int
}

func newFixture(t *testing.T, db *storage.DB) *fixture {
	f := &fixture{t: t, db: db, now: time.Date(2026, 11, 20, 10, 0, 0, 0, jakarta)}
	db.Now = func() time.Time { return f.now }
	u, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUK", Name: "Dukcapil Malang", Agency: "DISDUK", Population: 1000})
	if err != nil {
		t.Fatal(err)
	}
	f.unit = u
	for _, q := range []string{
		"INSERT INTO flows (id, version, source, published_by, published_at) VALUES ('skm', 1, '', 'test', 0)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// engine is a conversation engine on the fixture's database with s's chat commands
// (/langganan, /berhenti).
func (f *fixture) engine(s *digest.Service) *bot.Engine {
	return &bot.Engine{DB: f.db, Secret: []byte("k"), Location: jakarta, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Commands: s.Commands()}
}

func (f *fixture) service() *digest.Service {
	return &digest.Service{DB: f.db, Location: jakarta, PublicURL: "https://survei.test", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// respond stores a complete response of chat (its pseudonym is "pseudo-"+chat) finished at at,
// with a saran that says nothing alarming.
func (f *fixture) respond(unitID int64, at time.Time, scores [9]int, perbaikan, chat string) {
	f.t.Helper()
	f.n++
	ctx := context.Background()
	var rid int64
	if err := f.db.GetContext(ctx, &rid, f.db.Rebind("INSERT INTO respondents (pseudonym, created_at) VALUES (?, 0) RETURNING id"), "pseudo-"+chat+fmt.Sprint(f.n)); err != nil {
		f.t.Fatal(err)
	}
	var sid int64
	if err := f.db.GetContext(ctx, &sid, f.db.Rebind("INSERT INTO sessions (channel, chat_id, respondent_id, unit_id, flow_id, flow_version, state, started_at, updated_at, expires_at) VALUES ('telegram', ?, ?, ?, 'skm', 1, 'completed', 0, 0, 0) RETURNING id"), chat, rid, unitID); err != nil {
		f.t.Fatal(err)
	}
	args := []any{sid, rid, unitID, at.UnixMilli(), digest.Day(at.In(jakarta))}
	for _, s := range scores {
		args = append(args, s)
	}
	args = append(args, perbaikan, fmt.Sprint("saran ke-", f.n))
	if _, err := f.db.ExecContext(ctx, f.db.Rebind(`INSERT INTO responses (session_id, respondent_id, unit_id, flow_id, flow_version, status, finished_at, local_day,
		u1, u2, u3, u4, u5, u6, u7, u8, u9, perbaikan, saran) VALUES (?, ?, ?, 'skm', 1, 'complete', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`), args...); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) subscribe(n storage.NewSubscriber) storage.Subscriber {
	f.t.Helper()
	s, err := f.db.CreateSubscriber(context.Background(), n)
	if err != nil {
		f.t.Fatal(err)
	}
	return s
}

// outbox returns the replies queued for a chat.
func (f *fixture) outbox(chat string) []bot.Reply {
	f.t.Helper()
	var bodies []string
	if err := f.db.Select(&bodies, f.db.Rebind("SELECT body FROM outbox WHERE chat_id = ? ORDER BY id"), chat); err != nil {
		f.t.Fatal(err)
	}
	out := make([]bot.Reply, len(bodies))
	for i, b := range bodies {
		if err := json.Unmarshal([]byte(b), &out[i]); err != nil {
			f.t.Fatal(err)
		}
	}
	return out
}

func TestTwoSchedulersOnOneDatabaseSendADigestOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.respond(f.unit.ID, time.Date(2026, 11, 18, 9, 0, 0, 0, jakarta), [9]int{4, 4, 3, 4, 4, 4, 4, 4, 4}, "", "warga1")
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "900", Schedule: "0 7 * * 1", Language: "id"})
		if n, _ := f.service().Tick(ctx, f.now); n != 0 {
			t.Fatalf("a digest went out before the schedule fired: %d", n)
		}
		f.now = time.Date(2026, 11, 23, 7, 0, 30, 0, jakarta) // Monday 07:00:30
		var wg sync.WaitGroup
		sent := make([]int, 2)
		for i := range sent {
			wg.Go(func() {
				n, err := f.service().Tick(ctx, f.now)
				if err != nil {
					t.Error(err)
				}
				sent[i] = n
			})
		}
		wg.Wait()
		if sent[0]+sent[1] != 1 {
			t.Fatalf("two schedulers sent %v digests, want 1 in all", sent)
		}
		got := f.outbox("900")
		if len(got) != 1 || len(got[0].Photo) == 0 || !strings.Contains(got[0].Text, "16–22 Nov 2026") || !strings.Contains(got[0].Text, "IKM 97,22") {
			t.Fatalf("outbox %+v", got)
		}
		f.now = f.now.Add(time.Minute)
		if n, _ := f.service().Tick(ctx, f.now); n != 0 {
			t.Errorf("the next minute sent %d digests again", n)
		}
		if n, _ := f.service().SendNow(ctx, f.now, nil); n != 1 || len(f.outbox("900")) != 2 {
			t.Errorf("--now sent %d, outbox %d: want a resend", n, len(f.outbox("900")))
		}
	})
}

func TestDigestsMissedWhileTheServerWasDownGoOutOldestFirst(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "901", Schedule: "0 7 * * *", Language: "id"})
		// Subscribed on Thursday the 20th at 10:00; the server was down from then until
		// Tuesday the 25th at 07:00:30, over five daily fires (21st to 25th).
		f.now = time.Date(2026, 11, 25, 7, 0, 30, 0, jakarta)
		if n, err := f.service().Tick(ctx, f.now); err != nil || n != digest.CatchUp {
			t.Fatalf("Tick sent %d (%v), want the last %d days' digests", n, err, digest.CatchUp)
		}
		var days []string
		for _, r := range f.outbox("901") {
			for _, d := range []string{"20", "21", "22", "23", "24"} {
				if strings.Contains(r.Text, "Periode: "+d+" November 2026") {
					days = append(days, d)
				}
			}
		}
		if strings.Join(days, ", ") != "22, 23, 24" {
			t.Errorf("digests of November %q, want the 22nd to the 24th, oldest first", days)
		}
		f.now = f.now.Add(time.Minute)
		if n, _ := f.service().Tick(ctx, f.now); n != 0 {
			t.Errorf("the next minute sent %d again", n)
		}
	})
}

// A digest sent by hand for part of a month (sukma digest send --period 2026-11-01..2026-11-15)
// is not the month's scheduled digest, which still goes out when the month ends.
func TestADigestSentByHandForPartOfAPeriodLeavesTheScheduledOne(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.now = time.Date(2026, 11, 2, 10, 0, 0, 0, jakarta)
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "902", Schedule: "0 7 1 * *", Language: "id"})
		f.now = time.Date(2026, 11, 15, 12, 0, 0, 0, jakarta)
		half := digest.Period{From: time.Date(2026, 11, 1, 0, 0, 0, 0, jakarta), To: time.Date(2026, 11, 15, 0, 0, 0, 0, jakarta)}
		if n, err := f.service().SendNow(ctx, f.now, &half); err != nil || n != 1 {
			t.Fatalf("SendNow(1–15 Nov) = %d, %v", n, err)
		}
		f.now = time.Date(2026, 12, 1, 7, 0, 30, 0, jakarta)
		if n, err := f.service().Tick(ctx, f.now); err != nil || n != 1 {
			t.Fatalf("Tick on 1 December sent %d (%v), want November's digest", n, err)
		}
		got := f.outbox("902")
		if len(got) != 2 || !strings.Contains(got[1].Text, "November 2026") {
			t.Errorf("outbox %+v", got)
		}
	})
}

func TestAlertsAreBatchedAndNeverNameTheCitizen(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		other, _ := db.CreateUnit(ctx, storage.NewUnit{Code: "RS", Name: "RSUD Saiful Anwar"})
		f.respond(f.unit.ID, f.now, [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1}, "lama", "history") // before alerts started
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "700", Schedule: "0 7 * * 1", Alerts: true})
		f.subscribe(storage.NewSubscriber{Channel: "whatsapp", Address: "6281", Schedule: "0 7 * * 1", Alerts: true})
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "701", Schedule: "0 7 * * 1", Alerts: false})
		s := f.service()
		step := func() int {
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
			n, err := s.FlushAlerts(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		step() // starts the cursor after the history
		f.respond(f.unit.ID, f.now, [9]int{4, 4, 1, 4, 4, 4, 4, 4, 4}, "", "6289990001")
		f.respond(f.unit.ID, f.now, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, "", "6289990002") // fine: no alert
		if n := step(); n != 0 {
			t.Fatalf("%d alerts on responses seconds old, want them left to settle", n)
		}
		f.now = f.now.Add(11 * time.Second)
		if n := step(); n != 2 {
			t.Fatalf("%d alerts, want 2 (unit and province subscribers)", n)
		}
		f.now = f.now.Add(2 * time.Minute)
		f.respond(f.unit.ID, f.now, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, "Petugas meminta uang tambahan", "6289990003")
		f.respond(other.ID, f.now, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 1}, "", "6289990004")
		if n := step(); n != 0 {
			t.Errorf("%d alerts within ten minutes of the last, want them held", n)
		}
		f.now = f.now.Add(9*time.Minute + 11*time.Second)
		if n := step(); n != 2 {
			t.Errorf("%d alerts after ten minutes, want the held ones in one each", n)
		}
		unit, province := f.outbox("700"), f.outbox("6281")
		if len(unit) != 2 || len(province) != 2 || len(f.outbox("701")) != 0 {
			t.Fatalf("unit %+v\nprovince %+v", unit, province)
		}
		if !strings.Contains(unit[0].Text, "U3 Waktu penyelesaian 1") || !strings.Contains(unit[1].Text, "Perbaikan: “Petugas meminta uang tambahan”") || strings.Contains(unit[1].Text, "RSUD") {
			t.Errorf("unit alerts:\n%s\n---\n%s", unit[0].Text, unit[1].Text)
		}
		if !strings.Contains(province[1].Text, "2 respons") || !strings.Contains(province[1].Text, "RSUD Saiful Anwar") {
			t.Errorf("province alert:\n%s", province[1].Text)
		}
		var bodies []string
		db.Select(&bodies, "SELECT body FROM outbox")
		for _, b := range bodies {
			if strings.Contains(b, "628999") || strings.Contains(b, "pseudo-") || strings.Contains(b, "history") {
				t.Errorf("an alert names the citizen: %s", b)
			}
		}
	})
}

// The flow asks what to improve whenever an element is scored 1 or 2: "tambah kursi" after a
// 2 is a suggestion for the digest, not an alert. A report of a bribe is, whatever the scores.
func TestOnlyTheWorstScoreOrMisconductAlerts(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "43", Schedule: "0 7 * * 1", Alerts: true})
		s := f.service()
		scan := func() int {
			t.Helper()
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
			f.now = f.now.Add(11 * time.Second)
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
			n, err := s.FlushAlerts(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			f.now = f.now.Add(10 * time.Minute)
			return n
		}
		scan() // starts the cursor
		f.respond(f.unit.ID, f.now, [9]int{3, 3, 2, 3, 3, 3, 3, 3, 3}, "Tambah kursi", "c1")
		if n := scan(); n != 0 {
			t.Fatalf("%d alerts on a 2 with a suggestion, want none: %+v", n, f.outbox("43"))
		}
		f.respond(f.unit.ID, f.now, [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, "", "c2")
		if _, err := db.Exec(db.Rebind("UPDATE responses SET saran = ? WHERE id = (SELECT MAX(id) FROM responses)"), "Cepat, tapi saya dimintai uang rokok"); err != nil {
			t.Fatal(err)
		}
		if n := scan(); n != 1 {
			t.Fatalf("%d alerts on a bribe reported in the saran, want 1", n)
		}
		got := f.outbox("43")
		want := "⚠️ Peringatan SKM — Dukcapil Malang\n1 respons perlu perhatian:\n\n• 20 Nov 10.20 · Dukcapil Malang\n" +
			"  Saran: “Cepat, tapi saya dimintai uang rokok”\n\nTindak lanjuti bersama unit layanan di atas; rincian di dasbor: https://survei.test/admin/?unit=DUK\n" +
			"Berhenti berlangganan: kirim /berhenti"
		if len(got) != 1 || got[0].Text != want {
			t.Errorf("alert:\n%+v\nwant:\n%s", got, want)
		}
	})
}

// On PostgreSQL a response may become visible after one with a higher id (ids are drawn at
// insert, rows seen at commit); worked off from a backlog, both carry message times long
// past. The scan passes an id only alertSettle after it saw it, by its own clock, so the late
// lower id still raises its alert.
func TestAnAlarmingResponseCommittedAfterAHigherIDStillAlerts(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Alerts: true})
		insert := func(id int64, at time.Time, u1 int) {
			t.Helper()
			f.respond(f.unit.ID, at, [9]int{u1, 3, 3, 3, 3, 3, 3, 3, 3}, "", fmt.Sprint("c", id))
			if _, err := db.Exec(db.Rebind("UPDATE responses SET id = ? WHERE session_id = (SELECT MAX(id) FROM sessions)"), id); err != nil {
				t.Fatal(err)
			}
		}
		s := f.service()
		insert(5, f.now.Add(-time.Hour), 3)
		if err := s.ScanAlerts(ctx); err != nil { // the cursor starts at 5
			t.Fatal(err)
		}
		insert(11, f.now.Add(-40*time.Second), 3) // visible first, a message 40 s old
		if err := s.ScanAlerts(ctx); err != nil {
			t.Fatal(err)
		}
		insert(10, f.now.Add(-41*time.Second), 1) // alarming, visible a moment later
		f.now = f.now.Add(time.Minute)
		for range 2 {
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
		}
		f.now = f.now.Add(11 * time.Second)
		if err := s.ScanAlerts(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := s.FlushAlerts(ctx, f.now); err != nil || n != 1 {
			t.Errorf("FlushAlerts = %d, %v; want the alert of response 10", n, err)
		}
	})
}

// A citizen who reports a bribe and leaves before the last question leaves a partial
// response: it counts in no figure, but the head hears of the bribe, once.
func TestABribeReportedInAnUnfinishedSurveyAlertsOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "44", Schedule: "0 7 * * 1", Alerts: true})
		s := f.service()
		step := func() int {
			t.Helper()
			if err := s.ScanAlerts(ctx); err != nil {
				t.Fatal(err)
			}
			n, err := s.FlushAlerts(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			f.now = f.now.Add(11 * time.Minute)
			return n
		}
		step() // starts the cursor
		partial := func(scores [9]int, perbaikan string) {
			t.Helper()
			f.respond(f.unit.ID, f.now, scores, perbaikan, "p")
			if _, err := db.Exec("UPDATE responses SET status = 'partial', saran = NULL WHERE id = (SELECT MAX(id) FROM responses)"); err != nil {
				t.Fatal(err)
			}
		}
		partial([9]int{1, 1}, "Antrean lama")
		partial([9]int{3, 3, 1}, "Petugas minta duit tambahan 50 ribu biar cepat")
		sent := 0
		for range 3 {
			sent += step()
		}
		got := f.outbox("44")
		if sent != 1 || len(got) != 1 {
			t.Fatalf("%d alerts, outbox %+v; want one", sent, got)
		}
		for _, w := range []string{"1 respons perlu perhatian", "· survei tidak diselesaikan\n", "Perbaikan: “Petugas minta duit tambahan 50 ribu biar cepat”"} {
			if !strings.Contains(got[0].Text, w) {
				t.Errorf("alert lacks %q:\n%s", w, got[0].Text)
			}
		}
		if strings.Contains(got[0].Text, "Antrean lama") {
			t.Errorf("an unfinished survey's low score alerted:\n%s", got[0].Text)
		}
	})
}

// A retired unit takes no surveys: the digest of the period it was retired in says so, and
// its empty digests stop after it, rather than asking the head every week to check a QR
// code that is no longer meant to be there.
func TestARetiredUnitsEmptyDigestsStop(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		sub := f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "45", Schedule: "0 7 * * 1", Language: "id"})
		tick := func(y int, m time.Month, d int) int {
			t.Helper()
			f.now = time.Date(y, m, d, 7, 0, 30, 0, jakarta)
			n, err := f.service().Tick(ctx, f.now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := tick(2026, 11, 23); n != 1 {
			t.Fatalf("the week before: %d digests, want 1", n)
		}
		f.now = time.Date(2026, 11, 25, 12, 0, 0, 0, jakarta) // a Wednesday
		if err := db.RetireUnit(ctx, f.unit.ID); err != nil {
			t.Fatal(err)
		}
		if n := tick(2026, 11, 30); n != 1 {
			t.Fatalf("the week the unit was retired in: %d digests, want 1", n)
		}
		got := f.outbox("45")[1:]
		if len(got) != 1 || !strings.Contains(got[0].Text, "Unit ini dinonaktifkan sejak 25 November 2026 dan tidak menerima survei lagi") || strings.Contains(got[0].Text, "QR") {
			t.Fatalf("outbox %+v", got)
		}
		if n := tick(2026, 12, 7); n != 0 || len(f.outbox("45")) != 2 {
			t.Errorf("the week after: %d digests, outbox %d; want none", n, len(f.outbox("45")))
		}
		if done, err := db.DigestClaimed(ctx, sub.ID, 20261130, 20261206); err != nil || !done {
			t.Errorf("the quiet week is not recorded as done (%v): it would be built every minute", err)
		}
		// A survey opened before the unit was retired and finished since counts, and is told.
		f.respond(f.unit.ID, time.Date(2026, 12, 8, 9, 0, 0, 0, jakarta), [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, "", "late")
		if n := tick(2026, 12, 14); n != 1 {
			t.Errorf("a week with a respondent: %d digests, want 1", n)
		}
		f.now = f.now.Add(time.Hour)
		if n, _ := f.service().SendNow(ctx, f.now, &digest.Period{From: time.Date(2026, 12, 1, 0, 0, 0, 0, jakarta), To: time.Date(2026, 12, 6, 0, 0, 0, 0, jakarta)}); n != 1 {
			t.Errorf("a digest sent by hand: %d, want it sent", n)
		}
	})
}

// An ended period without respondents had none; one sent by hand up to today has none yet.
func TestAnEmptyPeriodHasNoRespondentsOrNoneYet(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.subscribe(storage.NewSubscriber{UnitID: &f.unit.ID, Channel: "telegram", Address: "46", Schedule: "0 7 * * 1", Language: "id"})
		for _, to := range []int{19, 20} { // f.now is the 20th
			p := digest.Period{From: time.Date(2026, 11, 16, 0, 0, 0, 0, jakarta), To: time.Date(2026, 11, to, 0, 0, 0, 0, jakarta)}
			if n, err := f.service().SendNow(ctx, f.now, &p); n != 1 || err != nil {
				t.Fatalf("SendNow: %d, %v", n, err)
			}
		}
		got := f.outbox("46")
		if len(got) != 2 || !strings.HasPrefix(strings.Split(got[0].Text, "\n")[3], "Tidak ada responden pada periode ini") ||
			!strings.HasPrefix(strings.Split(got[1].Text, "\n")[3], "Belum ada responden pada periode ini") {
			t.Errorf("outbox %+v", got)
		}
	})
}
