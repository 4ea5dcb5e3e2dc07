package bot_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"sukma/bot"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// skipFlow has an optional number question, an optional choice and a required scale.
const skipFlow = `id: lewati
version: 1
title: Tes
languages: [id, en]
questions:
  - id: usia
    kind: number
    optional: true
    prompt: { id: "Berapa usia Anda?", en: "How old are you?" }
    min: 15
    max: 100
  - id: datang
    kind: choice
    optional: true
    prompt: { id: "Dari mana Anda tahu layanan ini?", en: "How did you hear of this service?" }
    options:
      - { value: teman, label: { id: Teman, en: A friend } }
      - { value: internet, label: { id: Internet, en: Internet } }
  - id: puas
    kind: scale
    element: U1
    prompt: { id: "Seberapa puas Anda?", en: "How satisfied are you?" }
    labels:
      - { id: Tidak puas, en: Not satisfied }
      - { id: Kurang puas, en: Not quite satisfied }
      - { id: Puas, en: Satisfied }
      - { id: Sangat puas, en: Very satisfied }
`

// A question that may be skipped names its skip button in the survey's language; the press
// (Inbound.Skip) skips it as the skip word typed would, only while its message asks the
// question the session is at, whatever language the survey has switched to since.
func TestASkipButtonSkipsTheQuestionItAsks(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		f := newFixture(t, db)
		f.publish(skipFlow)
		press := func(button int64) ([]bot.Reply, error) {
			f.n++
			return f.e.Handle(context.Background(), bot.Inbound{Channel: bot.ChannelTelegram, ChatID: "42", UserID: "u42",
				Skip: true, Button: button, EventID: fmt.Sprint("skip", f.n)})
		}
		answers := func() int {
			var n int
			if err := db.Get(&n, "SELECT COUNT(*) FROM answers"); err != nil {
				t.Fatal(err)
			}
			return n
		}

		rs := f.send("42", "/start "+f.visitOf("lewati"))
		if q := rs[len(rs)-1]; q.Question != "usia" || q.Skip != "lewati" || q.SkipLabel() != "Lewati" {
			t.Fatalf("the first question = %+v (label %q), want usia with the skip button Lewati", q, q.SkipLabel())
		}
		usia := lastOutboxID(t, db, "42")
		rs, err := press(usia)
		if err != nil || len(rs) != 1 || rs[0].Question != "datang" || answers() != 0 {
			t.Fatalf("the skip press: %+v, %v, %d answers; want the next question and usia not answered", rs, err, answers())
		}
		datang := lastOutboxID(t, db, "42")

		t.Run("a second press of the skip button skips nothing", func(t *testing.T) {
			if _, err := press(usia); !errors.Is(err, bot.ErrOldButton) {
				t.Errorf("a second press: %v, want ErrOldButton", err)
			}
			if now := lastOutboxID(t, db, "42"); now != datang {
				t.Errorf("a second press wrote message %d, want nothing after the question %d", now, datang)
			}
		})

		t.Run("a skip button shown before /bahasa skips in the new language", func(t *testing.T) {
			rs := f.send("42", "/bahasa en")
			if q := rs[len(rs)-1]; q.Question != "datang" || q.Skip != "skip" || q.SkipLabel() != "Skip" || len(q.Options) != 2 {
				t.Fatalf("the question in English = %+v (label %q), want its two options and Skip", q, q.SkipLabel())
			}
			rs, err := press(datang)
			if err != nil || len(rs) != 1 || rs[0].Question != "puas" || answers() != 0 {
				t.Fatalf("the Indonesian skip press: %+v, %v, %d answers; want the next question, datang not answered", rs, err, answers())
			}
		})

		t.Run("a question that may not be skipped is asked again", func(t *testing.T) {
			if q := f.send("42", "x"); q[len(q)-1].Skip != "" || q[len(q)-1].SkipLabel() != "" {
				t.Errorf("a required question: %+v, want no skip", q[len(q)-1])
			}
			rs, err := press(lastOutboxID(t, db, "42"))
			if err != nil || len(rs) != 1 || rs[0].Question != "puas" || !strings.HasPrefix(rs[0].Text, "That button is no longer active.") || answers() != 0 {
				t.Errorf("a skip press on a required question: %+v, %v, %d answers; want it asked again", rs, err, answers())
			}
			if rs := f.send("42", "4"); !strings.Contains(last(rs), "recorded") || f.countResponses(storage.ResponseComplete) != 1 {
				t.Errorf("the last answer got %q, want the thanks", last(rs))
			}
		})
	})
}
