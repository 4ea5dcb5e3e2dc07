package telegram_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/bot/telegram/telegramtest"
	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// An optional open question has one button, the skip button in the survey's language, which
// skips it as the skip word typed does. Once the question has moved on (by the button or by
// the typed word), the button is spent: pressed, it says so and does not skip the next
// question, which may be skipped too.
func TestAnOptionalQuestionHasASkipButton(t *testing.T) {
	cases := []struct {
		name     string
		language string // a /bahasa argument, or "" for Indonesian
		typed    string // the skip word typed in place of the first press, or "" to press
		label    string
		old      string // the toast of a spent button
	}{
		{"pressed in an Indonesian survey", "", "", "Lewati", "Tombol ini sudah tidak berlaku"},
		{"pressed in an English survey", "en", "", "Skip", "This button is no longer valid"},
		{"typed in an Indonesian survey", "", "lewati", "Lewati", "Tombol ini sudah tidak berlaku"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			storagetest.Each(t, func(t *testing.T, db *storage.DB) {
				h := newHarness(t, db)
				h.poll()
				h.say(telegramtest.TextUpdate(42, "/start "+h.visit()))
				if c.language != "" {
					h.say(telegramtest.TextUpdate(42, "/bahasa "+c.language))
				}
				var perbaikan telegramtest.Message
				for _, a := range fullSurvey[:13] {
					perbaikan = lastOf(h.say(telegramtest.TextUpdate(42, a)))
				}
				if b := perbaikan.Buttons; len(b) != 1 || b[0].Text != c.label || !strings.HasPrefix(b[0].Data, "s:") {
					t.Fatalf("the optional open question has buttons %+v, want %q alone, data \"s:<id>\"", b, c.label)
				}
				var saran telegramtest.Message
				if c.typed != "" {
					saran = lastOf(h.say(telegramtest.TextUpdate(42, c.typed)))
				} else {
					saran = lastOf(h.say(telegramtest.ButtonUpdate(perbaikan, perbaikan.Buttons[0].Data)))
					chosen := perbaikan.Text + "\n\n✓ " + c.label
					h.waitFor("the skip shown", func() bool { return h.api.EditedText(perbaikan.MessageID) == chosen })
					if a := lastAnswer(h.api.Answers()); a != "" {
						t.Errorf("the press was answered %q, want a silent acknowledgement", a)
					}
				}
				if saran.MessageID == perbaikan.MessageID || len(saran.Buttons) != 1 || saran.Buttons[0].Text != c.label {
					t.Fatalf("the skip sent %+v, want the next question with its skip button", saran)
				}

				if got := h.say(telegramtest.ButtonUpdate(perbaikan, perbaikan.Buttons[0].Data)); len(got) != 0 {
					t.Errorf("the spent skip button sent %+v, want nothing", got)
				}
				if a := lastAnswer(h.api.Answers()); a != c.old {
					t.Errorf("the spent skip button was answered %q, want %q", a, c.old)
				}
				h.say(telegramtest.TextUpdate(42, "Tambah loket"))
				if n := h.count("SELECT COUNT(*) FROM responses WHERE status = 'complete' AND perbaikan IS NULL AND saran = 'Tambah loket'"); n != 1 {
					t.Errorf("%d complete responses with perbaikan skipped and the saran typed, want 1", n)
				}
			})
		})
	}
}

// An optional choice has the skip button after its options; a required one has none.
func TestAnOptionalChoiceHasItsSkipButtonAfterItsOptions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		f, err := flows.Parse("datang.yaml", []byte(`id: datang
version: 1
title: Tes
questions:
  - id: datang
    kind: choice
    optional: true
    prompt: "Dari mana Anda tahu layanan ini?"
    options:
      - { value: teman, label: Teman }
      - { value: internet, label: Internet }
  - id: puas
    kind: scale
    element: U1
    prompt: "Seberapa puas Anda?"
    labels: [Tidak puas, Kurang puas, Puas, Sangat puas]
`))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "datang", f, "test"); err != nil {
			t.Fatal(err)
		}
		if err := db.CreateVisit(ctx, storage.NewVisit{Token: "datang1", UnitID: h.unitID, FlowID: "datang", ExpiresAt: time.Now().Add(time.Hour).UnixMilli()}); err != nil {
			t.Fatal(err)
		}
		datang := lastOf(h.say(telegramtest.TextUpdate(42, "/start datang1")))
		if b := datang.Buttons; len(b) != 3 || b[0].Text != "1. Teman" || b[1].Text != "2. Internet" || b[2].Text != "Lewati" {
			t.Fatalf("the optional choice has buttons %+v, want its two options, then Lewati", b)
		}
		puas := lastOf(h.say(telegramtest.ButtonUpdate(datang, datang.Buttons[2].Data)))
		if len(puas.Buttons) != 4 || strings.HasPrefix(puas.Buttons[3].Data, "s:") {
			t.Fatalf("the skip sent %+v, want the scale with its four options and no skip button", puas)
		}
		h.waitFor("the skip shown", func() bool { return h.api.EditedText(datang.MessageID) == datang.Text+"\n\n✓ Lewati" })
		if n := h.count("SELECT COUNT(*) FROM answers"); n != 0 {
			t.Errorf("%d answers, want the choice skipped", n)
		}
	})
}
