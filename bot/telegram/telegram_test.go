package telegram_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestACitizenAnswersTheWholeSurveyOverTelegram(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		got := h.say(telegramtest.TextUpdate(42, "/start "+h.visit()))
		if len(got) != 2 || !strings.Contains(got[0].Text, "Halo") || len(got[1].Buttons) != 2 {
			t.Fatalf("the start sent %+v, want a greeting and a question with two buttons", got)
		}
		if b := got[1].Buttons[0]; !strings.HasPrefix(b.Text, "1. ") || !strings.HasPrefix(b.Data, "o:") || !strings.HasSuffix(b.Data, ":1") {
			t.Errorf("first button = %+v, want text \"1. …\" and data \"o:<id>:1\"", b)
		}
		pressed := 0
		for i, answer := range fullSurvey {
			asked := lastOf(h.api.Sent())
			n, err := strconv.Atoi(answer)
			if err == nil && n <= len(asked.Buttons) && i%2 == 0 {
				got = h.say(telegramtest.ButtonUpdate(asked, asked.Buttons[n-1].Data))
				pressed++
			} else {
				got = h.say(telegramtest.TextUpdate(42, answer))
			}
			if len(got) == 0 {
				t.Fatalf("answer %d (%q) got no reply", i, answer)
			}
		}
		if !strings.Contains(lastOf(got).Text, "tercatat") {
			t.Errorf("last message = %q, want the thank-you", lastOf(got).Text)
		}
		if n := h.count("SELECT COUNT(*) FROM responses WHERE status = 'complete'"); n != 1 {
			t.Errorf("%d complete responses, want 1", n)
		}
		answers := h.api.Answers()
		if pressed == 0 || len(answers) != pressed || len(h.api.Edits()) != pressed {
			t.Errorf("%d presses: %d answered (%q), %d keyboards removed; want each acknowledged and its keyboard removed", pressed, len(answers), answers, len(h.api.Edits()))
		}
		for _, a := range answers {
			if a != "" {
				t.Errorf("a current button was answered %q, want a silent acknowledgement", a)
			}
		}
	})
}

func TestTelegramMessagesAndButtons(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		stop := h.poll()
		first := lastOf(h.say(telegramtest.TextUpdate(7, "/start "+h.visit())))
		second := lastOf(h.say(telegramtest.ButtonUpdate(first, first.Buttons[1].Data)))
		if second.Text == first.Text || second.MessageID == first.MessageID {
			t.Fatalf("pressing a button did not move on: %+v", second)
		}
		// The question keeps the choice under it, in place of its buttons.
		chosen := first.Text + "\n\n✓ " + first.Buttons[1].Text
		h.waitFor("the choice shown", func() bool { return h.api.EditedText(first.MessageID) == chosen })

		t.Run("a button of an earlier question is refused and changes nothing", func(t *testing.T) {
			before := h.count("SELECT COUNT(*) FROM answers")
			got := h.say(telegramtest.ButtonUpdate(first, first.Buttons[0].Data))
			if len(got) != 0 {
				t.Errorf("an old button sent %+v, want nothing", got)
			}
			if a := h.api.Answers(); lastAnswer(a) != telegram.OldButton {
				t.Errorf("answers = %q, want the last %q", a, telegram.OldButton)
			}
			if after := h.count("SELECT COUNT(*) FROM answers"); after != before {
				t.Errorf("answers went from %d to %d", before, after)
			}
			if got := h.api.EditedText(first.MessageID); got != chosen {
				t.Errorf("a refused press changed the question to %q", got)
			}
		})

		t.Run("a sticker gets the question again", func(t *testing.T) {
			got := h.say(telegramtest.StickerUpdate(7))
			if len(got) != 1 || !strings.HasSuffix(got[0].Text, "\n\n"+second.Text) {
				t.Fatalf("a sticker got %+v, want a re-prompt of %q", got, second.Text)
			}
		})

		t.Run("an edited message is said to be unread, with the question again", func(t *testing.T) {
			edited := telegramtest.TextUpdate(7, "4")
			edited["edited_message"], edited["message"] = edited["message"], nil
			delete(edited, "message")
			got := h.say(edited)
			if len(got) != 1 || !strings.HasPrefix(got[0].Text, "Pesan yang diedit tidak kami baca") || !strings.HasSuffix(got[0].Text, "\n\n"+second.Text) {
				t.Fatalf("an edit got %+v, want a re-prompt of %q", got, second.Text)
			}
		})

		t.Run("a redelivered update counts once", func(t *testing.T) {
			answer := telegramtest.TextUpdate(7, "35")
			id := h.api.Push(answer)
			h.waitFor("the answer confirmed", func() bool { return h.api.Confirmed(id) })
			h.settle()
			sent := len(h.api.Sent())
			stop() // as if the process died before confirming: Telegram sends it again
			h.api.Redeliver(id, telegramtest.TextUpdate(7, "35"))
			h.poll()
			h.waitFor("the redelivery confirmed", func() bool { return h.api.Confirmed(id) })
			h.settle()
			if got := h.api.Sent()[sent:]; len(got) != 0 {
				t.Errorf("the redelivery sent %+v, want nothing", got)
			}
		})

		t.Run("/start alone gets the help", func(t *testing.T) {
			got := h.say(telegramtest.TextUpdate(8, "/start"))
			if len(got) != 1 || !strings.Contains(got[0].Text, "pindai kode QR") {
				t.Errorf("/start alone got %+v, want the help", got)
			}
		})
	})
}

func lastAnswer(a []string) string {
	if len(a) == 0 {
		return "(none)"
	}
	return a[len(a)-1]
}

func TestStartReadsTheBotAndSetsItsMenu(t *testing.T) {
	api := telegramtest.New(token)
	defer api.Close()
	logs := &logBuffer{}
	a := telegram.New(telegram.Options{Token: token, Endpoint: api.Endpoint(), Logger: newLogger(logs)})
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if a.Username() != api.Username {
		t.Errorf("username = %q, want %q", a.Username(), api.Username)
	}
	for _, cmd := range []string{"start", "batal", "bahasa", "ulang"} {
		if !strings.Contains(api.Commands(), `"command":"`+cmd+`"`) {
			t.Errorf("command menu %s lacks %s", api.Commands(), cmd)
		}
	}
	// A Telegram app set to English lists the English names, which the bot takes as well.
	for _, cmd := range []string{"start", "cancel", "language", "restart"} {
		if !strings.Contains(api.CommandsIn("en"), `"command":"`+cmd+`"`) {
			t.Errorf("English command menu %s lacks %s", api.CommandsIn("en"), cmd)
		}
	}
	if strings.Contains(api.CommandsIn("en"), "survei") {
		t.Errorf("English command menu %s is in Indonesian", api.CommandsIn("en"))
	}

	t.Run("a token Telegram refuses is reported as such, without the token", func(t *testing.T) {
		bad := telegram.New(telegram.Options{Token: token + "x", Endpoint: api.Endpoint(), Logger: newLogger(logs)})
		err := bad.Start(context.Background())
		if !errors.Is(err, telegram.ErrBadToken) || strings.Contains(err.Error(), token) {
			t.Errorf("Start with a wrong token = %v, want ErrBadToken without the token", err)
		}
	})
	t.Run("a refusal that quotes the request's path does not show the token", func(t *testing.T) {
		echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error_code": 401, "description": "Unauthorized: " + r.URL.Path})
		}))
		defer echo.Close()
		a := telegram.New(telegram.Options{Token: token, Endpoint: echo.URL + "/bot%s/%s", Logger: newLogger(logs)})
		err := a.Start(context.Background())
		if !errors.Is(err, telegram.ErrBadToken) || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "<token>") {
			t.Errorf("Start = %v, want ErrBadToken with the token redacted", err)
		}
	})
	t.Run("an unreachable Telegram is reported as unreachable, without the token", func(t *testing.T) {
		down := telegramtest.New(token)
		down.Close()
		a := telegram.New(telegram.Options{Token: token, Endpoint: down.Endpoint(), Logger: newLogger(logs)})
		err := a.Start(context.Background())
		if !errors.Is(err, bot.ErrUnreachable) || strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "<token>") {
			t.Errorf("Start against a closed server = %v, want ErrUnreachable with the token redacted", err)
		}
	})
}

func TestSendMapsTelegramErrors(t *testing.T) {
	api := telegramtest.New(token)
	defer api.Close()
	down := telegramtest.New(token)
	down.Close()
	cases := []struct {
		name     string
		code     int
		endpoint string
		check    func(error) bool
	}{
		{"a 429 is throttled for retry_after", 429, "", func(err error) bool {
			var th *bot.ErrThrottled
			return errors.As(err, &th) && th.RetryAfter == 3*time.Second
		}},
		{"a 403 means the citizen stopped the bot", 403, "", func(err error) bool { return errors.Is(err, bot.ErrStopped) }},
		{"a 400 is a refused message", 400, "", func(err error) bool { return errors.Is(err, bot.ErrBadRequest) }},
		{"a 500 is unreachable", 500, "", func(err error) bool { return errors.Is(err, bot.ErrUnreachable) }},
		{"a closed connection is unreachable", 0, down.Endpoint(), func(err error) bool { return errors.Is(err, bot.ErrUnreachable) }},
	}
	// A photo is uploaded (multipart), and the library builds an upload's error without
	// Telegram's error_code: the status must be recovered all the same.
	replies := []struct {
		method string
		reply  bot.Reply
	}{
		{"sendMessage", bot.Reply{Text: "Halo"}},
		{"sendPhoto", bot.Reply{Text: "📊 Ringkasan SKM", Photo: []byte("\x89PNG\r\n\x1a\nfake chart")}},
	}
	for _, r := range replies {
		for _, c := range cases {
			t.Run(r.method+": "+c.name, func(t *testing.T) {
				endpoint := api.Endpoint()
				if c.endpoint != "" {
					endpoint = c.endpoint
				} else {
					api.Fail(r.method, c.code, 3, 1)
				}
				a := telegram.New(telegram.Options{Token: token, Endpoint: endpoint})
				err := a.Send(context.Background(), "42", r.reply)
				if err == nil || !c.check(err) {
					t.Errorf("Send = %v (%T)", err, err)
				}
				if err != nil && strings.Contains(err.Error(), token) {
					t.Errorf("the error %q shows the token", err)
				}
			})
		}
	}
}

func TestA429IsSentAgainAfterRetryAfter(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		h.poll()
		h.api.Fail("sendMessage", 429, 1, 1)
		start := time.Now()
		got := h.say(telegramtest.TextUpdate(9, "/start"))
		if len(got) != 1 || !strings.Contains(got[0].Text, "Halo") {
			t.Fatalf("sent %+v, want the help once", got)
		}
		if took := time.Since(start); took < time.Second {
			t.Errorf("the help went out %s after a 429 with retry_after 1, want at least 1s", took)
		}
		if n := h.api.Calls("sendMessage"); n != 2 {
			t.Errorf("sendMessage called %d times, want 2", n)
		}
	})
}

func TestPollingStopsPromptlyAndNeverLogsTheToken(t *testing.T) {
	down := telegramtest.New(token)
	down.Close()
	logs := &logBuffer{}
	a := telegram.New(telegram.Options{Token: token, Endpoint: down.Endpoint(), Logger: newLogger(logs)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { a.Poll(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "getUpdates failed") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Poll did not stop within a second of cancel")
	}
	out := logs.String()
	if !strings.Contains(out, "getUpdates failed") || !strings.Contains(out, "<token>") {
		t.Errorf("log = %q, want the failure with the token redacted", out)
	}
	if strings.Contains(out, token) {
		t.Errorf("the token appears in the log: %q", out)
	}
}

func TestAPhotoIsSentWithItsTextAsCaption(t *testing.T) {
	api := telegramtest.New(token)
	defer api.Close()
	a := telegram.New(telegram.Options{Token: token, Endpoint: api.Endpoint()})
	png := []byte("\x89PNG\r\n\x1a\nfake chart")
	if err := a.Send(context.Background(), "42", bot.Reply{Text: "📊 Ringkasan SKM", Photo: png}); err != nil {
		t.Fatal(err)
	}
	sent := api.Sent()
	if len(sent) != 1 || sent[0].Text != "📊 Ringkasan SKM" || string(sent[0].Photo) != string(png) || sent[0].ChatID != 42 {
		t.Errorf("sent %+v", sent)
	}
	if api.Calls("sendPhoto") != 1 || api.Calls("sendMessage") != 0 {
		t.Errorf("calls: sendPhoto %d, sendMessage %d", api.Calls("sendPhoto"), api.Calls("sendMessage"))
	}
}

func TestALongReplyGoesAsSeveralMessagesWithTheButtonsOnTheLast(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		line := strings.Repeat("Unit Layanan Contoh: indeks 82,50 (B, Baik) dari 120 responden. ", 3) + "\n"
		long := strings.Repeat(line, 50) // about 9,800 characters
		err := h.a.Send(context.Background(), "42", bot.Reply{Text: long, Options: []bot.Option{{Label: "Ya"}, {Label: "Tidak"}}})
		if err != nil {
			t.Fatal(err)
		}
		sent := h.api.Sent()
		if len(sent) != 3 {
			t.Fatalf("sent %d messages, want 3 of at most 4,096 characters", len(sent))
		}
		var parts []string
		for i, m := range sent {
			if (len(m.Buttons) > 0) != (i == len(sent)-1) {
				t.Errorf("message %d has %d buttons; want the buttons on the last only", i, len(m.Buttons))
			}
			parts = append(parts, m.Text)
		}
		if strings.Join(parts, "\n") != long {
			t.Errorf("the parts, joined at their line breaks, are not the text")
		}
	})
}
