package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram/telegramtest"
	"sukma/config"
	"sukma/storage/storagetest"
)

// A head subscribes with /langganan over Telegram, citizens answer in the web chat, and the
// digest that reaches the head's phone carries the same IKM as GET /api/v1/ikm; sending it a
// second time for the same period sends nothing.
func TestAHeadReceivesADigestThatAgreesWithTheAPI(t *testing.T) {
	telegramLimits.PerChat, telegramLimits.PerChatBurst = 1000, 100
	t.Cleanup(func() { telegramLimits = bot.TelegramLimits })
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			api := telegramtest.New(testBotToken)
			t.Cleanup(api.Close)
			dbURL := url(t)
			app, base := startApp(t, dbURL, func(c *config.Config) {
				c.TelegramToken, c.TelegramAPIEndpoint = testBotToken, api.Endpoint()
			})
			c := &client{t: t, base: base, token: app.Config.AdminToken}

			// Three citizens, three different experiences.
			for _, u3 := range []string{"1", "3", "4"} {
				token := c.newVisit()
				c.do("GET", "/s/"+token+"/messages", nil, false)
				answers := append([]string{}, surveyAnswers...)
				answers[6] = u3 // U3
				if u3 != "1" {
					answers = append(answers[:13], answers[14:]...) // no follow-up question without a low score
				}
				for _, a := range answers {
					c.say(token, a)
				}
			}

			code, body := c.do("POST", "/api/v1/subscribers/codes", map[string]any{"unit": "DEMO", "alerts": false}, true)
			var sub struct{ Code string }
			if code != 201 || json.Unmarshal(body, &sub) != nil {
				t.Fatalf("POST /api/v1/subscribers/codes = %d %s", code, body)
			}
			const head = 777001
			api.Push(telegramtest.TextUpdate(head, "/langganan "+sub.Code))
			waitUntil(t, "the subscription confirmed", func() bool { return len(sentTo(api, head)) == 1 })

			today := time.Now().In(app.Config.Location).Format(time.DateOnly)
			t.Setenv("SUKMA_DATABASE_URL", dbURL)
			send := func(args ...string) {
				var out, errb bytes.Buffer
				if code := runDigest(context.Background(), append([]string{"send"}, args...), stdio{nil, &out, &errb}); code != 0 {
					t.Fatalf("sukma digest send %v: exit %d: %s", args, code, errb.String())
				}
			}
			send("--now", "--period", today+".."+today)
			waitUntil(t, "the digest delivered", func() bool { return len(sentTo(api, head)) >= 2 })
			digest := sentTo(api, head)[1]
			t.Logf("the head reads:\n%s", digest.Text)
			if len(digest.Photo) == 0 {
				t.Errorf("the digest came without its chart: %q", digest.Text)
			}

			_, body = c.do("GET", "/api/v1/ikm?unit=DEMO&from="+today+"&to="+today, nil, true)
			var ikm struct {
				Respondents int
				IKM         json.Number
			}
			if err := json.Unmarshal(body, &ikm); err != nil || ikm.Respondents != 3 {
				t.Fatalf("GET /api/v1/ikm = %s", body)
			}
			want := "IKM " + strings.Replace(ikm.IKM.String(), ".", ",", 1)
			if !strings.Contains(digest.Text, want) || !strings.Contains(digest.Text, "3") {
				t.Errorf("digest:\n%s\nwant it to say %q, as the API does", digest.Text, want)
			}
			// Its link opens the dashboard at the digest's day and unit.
			if link := "/admin/?period=" + today + ".." + today + "&unit=DEMO"; !strings.Contains(digest.Text, link) {
				t.Errorf("digest:\n%s\nwant its dashboard link to end %s", digest.Text, link)
			}

			send("--period", today+".."+today) // already sent for this period: nothing more
			time.Sleep(300 * time.Millisecond)
			if n := len(sentTo(api, head)); n != 2 {
				t.Errorf("%d messages to the head after a second send, want 2", n)
			}
		})
	}
}

// sentTo lists what the fake Bot API received for one chat.
func sentTo(api *telegramtest.Server, chat int64) []telegramtest.Message {
	var out []telegramtest.Message
	for _, m := range api.Sent() {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}
