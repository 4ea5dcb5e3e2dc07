package whatsappcloud_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/whatsappcloud"
	"sukma/bot/whatsappcloud/wacloudtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestOnlyTheCurrentQuestionsButtonsAreTaken(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		first := lastOf(h.say(wacloudtest.Text(citizen, "wamid.1", "SKM "+h.visit())))
		if first.Interactive != "button" {
			t.Fatalf("first question = %+v, want buttons", first)
		}
		second := lastOf(h.say(wacloudtest.Choose(citizen, "wamid.2", first, 2)))
		answers := h.count("SELECT COUNT(*) FROM answers")

		tests := []struct {
			name string
			msg  map[string]any
		}{
			{"a second press of an answered question's button gets the current question again",
				wacloudtest.Choose(citizen, "wamid.3", first, 1)},
			{"a button of another outbox row gets the current question again",
				wacloudtest.ButtonReply(citizen, "wamid.4", "o:999999:1", "Laki-laki")},
			{"a list row with an id we never gave gets the current question again",
				wacloudtest.ListReply(citizen, "wamid.5", "bukan-id-kami", "1. SD")},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := h.say(tt.msg)
				if len(got) != 1 || !strings.HasSuffix(got[0].Text, second.Text) || got[0].Text == second.Text {
					t.Fatalf("sent %+v, want a re-prompt ending in %q", got, second.Text)
				}
				if n := h.count("SELECT COUNT(*) FROM answers"); n != answers {
					t.Errorf("answers went from %d to %d", answers, n)
				}
			})
		}
		t.Run("a typed number still answers", func(t *testing.T) {
			if got := h.say(wacloudtest.Text(citizen, "wamid.6", "35")); len(got) == 0 {
				t.Fatal("no reply")
			}
			if n := h.count("SELECT COUNT(*) FROM answers"); n != answers+1 {
				t.Errorf("answers went from %d to %d, want one more", answers, n)
			}
		})
	})
}

func TestTheInvitationGoesAsTheConfiguredTemplate(t *testing.T) {
	tests := []struct {
		name     string
		opts     func(*whatsappcloud.Options)
		template bot.Template
		want     wacloudtest.Template
	}{
		{"a template without a name is the default invitation in Indonesian", nil,
			bot.Template{Params: []string{"tok123"}},
			wacloudtest.Template{Name: "sukma_undangan_survei", Language: "id", Params: []string{"tok123"}}},
		{"a template without a name is the configured invitation",
			func(o *whatsappcloud.Options) { o.InviteTemplate, o.InviteLanguage = "undangan_dinkes", "en" },
			bot.Template{Params: []string{"tok456"}},
			wacloudtest.Template{Name: "undangan_dinkes", Language: "en", Params: []string{"tok456"}}},
		{"a named template goes as named", nil,
			bot.Template{Name: "lain", Language: "jv"},
			wacloudtest.Template{Name: "lain", Language: "jv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := wacloudtest.New(phoneID, accessToken)
			defer api.Close()
			o := whatsappcloud.Options{Token: accessToken, PhoneNumberID: phoneID, Endpoint: api.Endpoint()}
			if tt.opts != nil {
				tt.opts(&o)
			}
			tpl := tt.template
			if err := whatsappcloud.New(o).Send(context.Background(), citizen, bot.Reply{Template: &tpl}); err != nil {
				t.Fatal(err)
			}
			sent := api.Sent()
			if len(sent) != 1 || sent[0].Type != "template" || sent[0].To != citizen || sent[0].Template == nil ||
				sent[0].Template.Name != tt.want.Name || sent[0].Template.Language != tt.want.Language ||
				strings.Join(sent[0].Template.Params, ",") != strings.Join(tt.want.Params, ",") {
				t.Errorf("sent %+v, want the template %+v", sent, tt.want)
			}
		})
	}
}

func TestAnInvitationInTheOutboxIsSentAndItsCodeStartsTheSurvey(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		token := h.visit()
		body, _ := json.Marshal(bot.Reply{Template: &bot.Template{Params: []string{token}}})
		err := db.InTx(context.Background(), func(tx *storage.Tx) error {
			return tx.Enqueue(bot.ChannelWhatsApp, citizen, string(body), time.Now().UnixMilli(), false)
		})
		if err != nil {
			t.Fatal(err)
		}
		h.settle()
		sent := h.api.Sent()
		if len(sent) != 1 || sent[0].Type != "template" || sent[0].Template.Name != "sukma_undangan_survei" ||
			sent[0].Template.Language != "id" || strings.Join(sent[0].Template.Params, ",") != token {
			t.Fatalf("sent %+v, want the invitation with the token", sent)
		}
		if got := h.say(wacloudtest.Text(citizen, "wamid.1", "SKM "+token)); len(got) != 2 || got[1].Interactive != "button" {
			t.Errorf("the reply to the invitation got %+v, want a greeting and the first question", got)
		}
	})
}
