package bot_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// Two presses of the current question's button at the same instant, on two replicas (two
// engines on one database, with the group commit on): one answers, the other is an old button
// and changes nothing, so the next question never gets the first one's option.
func TestTwoPressesOfOneButtonAnswerOnce(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.send("42", "/start "+f.visit())
		current := lastOutboxID(t, db, "42")
		engines := []*bot.Engine{f.e, {DB: db, Secret: f.e.Secret, Location: f.e.Location, Logger: f.e.Logger}}
		for _, e := range engines {
			e.Batch = bot.Batching{Max: 16, Workers: 2}
		}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i, e := range engines {
			wg.Go(func() {
				_, errs[i] = e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42",
					Option: 1, Button: current, EventID: []string{"press-a", "press-b"}[i]})
			})
		}
		wg.Wait()
		var old, ok int
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, bot.ErrOldButton):
				old++
			default:
				t.Fatal(err)
			}
		}
		if ok != 1 || old != 1 {
			t.Fatalf("presses: %v; want one answer and one old button", errs)
		}
		var answers int
		if err := db.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM answers").Scan(&answers); err != nil {
			t.Fatal(err)
		}
		if answers != 1 {
			t.Errorf("%d answers stored, want the first question's only", answers)
		}
		// A press on the same, now old, button later is old too; the next question's is taken.
		if _, err := f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42",
			Option: 2, Button: current, EventID: "press-c"}); !errors.Is(err, bot.ErrOldButton) {
			t.Errorf("a later press of the old button: %v, want ErrOldButton", err)
		}
		next := lastOutboxID(t, db, "42")
		if _, err := f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42",
			Text: "35", Button: next, EventID: "typed"}); err != nil {
			t.Errorf("a typed answer with no option is not a button press: %v", err)
		}
	})
}

// lastOutboxID is the id of the newest message of a Telegram chat.
func lastOutboxID(t *testing.T, db *storage.DB, chat string) int64 {
	t.Helper()
	var id int64
	if err := db.InTx(context.Background(), func(tx *storage.Tx) (err error) {
		id, err = tx.LastOutboxID(bot.ChannelTelegram, chat)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// A flow may give its choices numeric codes. A press of the button "2. Ya" stores Ya's code,
// "1", not the code of option number 1 ("0"): the press is read as the option's number.
func TestAButtonOnANumericCodeStoresItsOwnOption(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		f.publish(`id: ya_tidak
version: 1
title: Tes
questions:
  - id: puas
    kind: choice
    prompt: Apakah Anda puas?
    options:
      - { value: "0", label: Tidak }
      - { value: "1", label: Ya }
  - id: saran
    kind: text
    prompt: Saran?
`)
		f.send("c1", "/start "+f.visitOf("ya_tidak"))
		if _, err := f.e.Handle(ctx, bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "c1", UserID: "uc1",
			Option: 2, Button: lastOutboxID(t, db, "c1"), EventID: "press"}); err != nil {
			t.Fatal(err)
		}
		var v string
		if err := db.Get(&v, "SELECT value FROM answers WHERE question_id = 'puas'"); err != nil {
			t.Fatal(err)
		}
		if v != "1" {
			t.Errorf("button 2 (Ya, code 1) stored %q", v)
		}
	})
}

// A question asked again (after a wrong answer, a /bahasa) leaves its earlier message's
// buttons on the screen: a press on them answers the question, as it still means the same.
// The buttons of a question already answered, or of an earlier survey's same question, stay
// old.
func TestTheButtonsOfAQuestionAskedAgainStillAnswerIt(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		press := func(button int64, option int) error {
			f.n++
			_, err := f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42",
				Option: option, Button: button, EventID: fmt.Sprint("press", f.n)})
			return err
		}
		f.send("42", "/start "+f.visit())
		gender := lastOutboxID(t, db, "42")
		f.send("42", "👍")          // a re-prompt, with the buttons again
		f.send("42", "/bahasa en") // and again, in English
		if err := press(gender, 2); err != nil {
			t.Fatalf("a press on the question's first message: %v, want it taken", err)
		}
		var value string
		if err := db.Get(&value, "SELECT value FROM answers WHERE question_id = 'jenis_kelamin'"); err != nil || value != "P" {
			t.Errorf("jenis_kelamin = %q (%v), want P", value, err)
		}
		if err := press(gender, 1); !errors.Is(err, bot.ErrOldButton) {
			t.Errorf("a press on the answered question: %v, want ErrOldButton", err)
		}

		// A new survey in the same chat asks the same first question; the last survey's
		// buttons are not its.
		f.send("42", "/batal")
		f.now = f.now.Add(time.Minute)
		f.send("42", "/start "+f.visit())
		if err := press(gender, 1); !errors.Is(err, bot.ErrOldButton) {
			t.Errorf("a press on an earlier survey's question: %v, want ErrOldButton", err)
		}
	})
}
