package whatsappcloud_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/whatsappcloud"
	"sukma/bot/whatsappcloud/wacloudtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestACitizenAnswersTheWholeSurveyOverTheCloudAPI(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		got := h.say(wacloudtest.Text(citizen, "wamid.start", "SKM "+h.visit()))
		if len(got) != 2 || !strings.Contains(got[0].Text, "Halo") {
			t.Fatalf("the start sent %+v, want a greeting and a question", got)
		}
		if q := got[1]; q.To != citizen || q.Interactive != "button" || len(q.Choices) != 2 || q.Choices[0].Title != "Laki-laki" ||
			q.Choices[1].Title != "Perempuan" || strings.Contains(q.Text, "1. ") {
			t.Errorf("first question = %+v, want buttons Laki-laki and Perempuan to %s", q, citizen)
		}
		kinds := map[string]int{}
		for i, answer := range fullSurvey {
			q := lastOf(got)
			kinds[q.Interactive]++
			msg := wacloudtest.Text(citizen, fmt.Sprintf("wamid.a%d", i), answer)
			if q.Interactive != "" {
				n, _ := strconv.Atoi(answer)
				msg = wacloudtest.Choose(citizen, fmt.Sprintf("wamid.a%d", i), q, n)
			}
			if got = h.say(msg); len(got) == 0 {
				t.Fatalf("answer %d (%q) got no reply", i, answer)
			}
		}
		if !strings.Contains(lastOf(got).Text, "tercatat") {
			t.Errorf("last message = %q, want the thank-you", lastOf(got).Text)
		}
		// jenis kelamin has buttons; pendidikan, pekerjaan and the nine elements have lists.
		if kinds["button"] != 1 || kinds["list"] != 11 || kinds[""] != 3 {
			t.Errorf("questions by kind %v, want 1 with buttons, 11 with lists, 3 typed", kinds)
		}
		if n := h.count("SELECT COUNT(*) FROM responses WHERE status = 'complete'"); n != 1 {
			t.Errorf("%d complete responses, want 1", n)
		}
		var values []string
		if err := db.Select(&values, "SELECT value FROM answers WHERE question_id IN ('jenis_kelamin', 'pendidikan', 'u3') ORDER BY question_id"); err != nil {
			t.Fatal(err)
		}
		if want := []string{"P", "S1", "2"}; !slices.Equal(values, want) {
			t.Errorf("jenis kelamin, pendidikan, U3 stored as %q, want %q", values, want)
		}
	})
}

func TestCloudMessages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		question := lastOf(h.say(wacloudtest.Text(citizen, "wamid.1", "SKM "+h.visit())))

		t.Run("a sticker gets the question again", func(t *testing.T) {
			got := h.say(wacloudtest.Sticker(citizen, "wamid.2"))
			if len(got) != 1 || !strings.HasSuffix(got[0].Text, question.Text) || got[0].Text == question.Text {
				t.Fatalf("a sticker got %+v, want a re-prompt ending in %q", got, question.Text)
			}
		})

		t.Run("a redelivered webhook counts once", func(t *testing.T) {
			answer := wacloudtest.Text(citizen, "wamid.3", "2")
			first := h.say(answer)
			answers := h.count("SELECT COUNT(*) FROM answers")
			again := h.say(answer)
			if len(first) == 0 || len(again) != 0 {
				t.Errorf("first delivery sent %d messages, the second %d; want some, then none", len(first), len(again))
			}
			if n := h.count("SELECT COUNT(*) FROM answers"); n != answers {
				t.Errorf("answers went from %d to %d on the redelivery", answers, n)
			}
		})

		t.Run("statuses are logged and not stored", func(t *testing.T) {
			events := h.count("SELECT COUNT(*) FROM inbound_events")
			body := wacloudtest.Payload(phoneID, nil,
				map[string]any{"id": "wamid.out1", "status": "delivered", "timestamp": "1764147601", "recipient_id": citizen},
				map[string]any{"id": "wamid.out2", "status": "failed", "timestamp": "1764147602", "recipient_id": citizen,
					"errors": []any{map[string]any{"code": 131047, "title": "Re-engagement message"}}})
			if status := h.post(body, whatsappcloud.Sign(appSecret, body)); status != http.StatusOK {
				t.Fatalf("status payload answered %d, want 200", status)
			}
			if n := h.count("SELECT COUNT(*) FROM inbound_events"); n != events {
				t.Errorf("inbound events went from %d to %d", events, n)
			}
			if logs := h.logs.String(); !strings.Contains(logs, "could not be delivered") || !strings.Contains(logs, "code=131047") || !strings.Contains(logs, "62812****5678") {
				t.Errorf("the failed status is not logged with its code and the masked number:\n%s", logs)
			}
		})

		t.Run("a message with a NUL in its id is dropped, not retried forever", func(t *testing.T) {
			before := len(h.api.Sent())
			body := wacloudtest.Payload(phoneID, []map[string]any{wacloudtest.Text(citizen, "wamid.\x00", "2")})
			if status := h.post(body, whatsappcloud.Sign(appSecret, body)); status != http.StatusOK {
				t.Fatalf("answered %d, want 200: an error status makes Meta send it again", status)
			}
			h.settle()
			if got := h.api.Sent()[before:]; len(got) != 0 {
				t.Errorf("sent %+v, want nothing", got)
			}
		})

		t.Run("another phone number's messages are not answered", func(t *testing.T) {
			before := len(h.api.Sent())
			body := wacloudtest.Payload("999", []map[string]any{wacloudtest.Text(citizen, "wamid.9", "SKM x")})
			if status := h.post(body, whatsappcloud.Sign(appSecret, body)); status != http.StatusOK {
				t.Fatalf("answered %d, want 200", status)
			}
			h.settle()
			if got := h.api.Sent()[before:]; len(got) != 0 {
				t.Errorf("sent %+v, want nothing", got)
			}
		})
	})
}

func TestWebhookSignature(t *testing.T) {
	body := wacloudtest.Payload(phoneID, []map[string]any{wacloudtest.Text(citizen, "wamid.sig", "SKM abc")})
	tests := []struct {
		name      string
		signature string
		want      int
	}{
		{"a POST without a signature is refused", "", http.StatusForbidden},
		{"a POST signed with another secret is refused", whatsappcloud.Sign("other", body), http.StatusForbidden},
		{"a POST whose signature is not hex is refused", "sha256=zz", http.StatusForbidden},
		{"a POST signed without the sha256= prefix is refused", strings.TrimPrefix(whatsappcloud.Sign(appSecret, body), "sha256="), http.StatusForbidden},
		{"a POST signed for another body is refused", whatsappcloud.Sign(appSecret, append([]byte(" "), body...)), http.StatusForbidden},
		{"a POST signed with the app secret is accepted", whatsappcloud.Sign(appSecret, body), http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, storagetest.SQLite(t))
			if got := h.post(body, tt.signature); got != tt.want {
				t.Errorf("status %d, want %d", got, tt.want)
			}
			stored := h.count("SELECT COUNT(*) FROM inbound_events")
			if want := map[bool]int{true: 1, false: 0}[tt.want == http.StatusOK]; stored != want {
				t.Errorf("%d inbound events stored, want %d", stored, want)
			}
		})
	}
	t.Run("a signed body that is not a payload gets 400", func(t *testing.T) {
		h := newHarness(t, storagetest.SQLite(t))
		junk := []byte(`{"hello":`)
		if got := h.post(junk, whatsappcloud.Sign(appSecret, junk)); got != http.StatusBadRequest {
			t.Errorf("status %d, want 400", got)
		}
	})
}

func TestWebhookVerification(t *testing.T) {
	h := newHarness(t, storagetest.SQLite(t))
	tests := []struct {
		name       string
		mode, tok  string
		wantStatus int
		wantBody   string
	}{
		{"the right verify token gets the challenge back", "subscribe", verifyToken, http.StatusOK, "1158201444"},
		{"a wrong verify token is refused", "subscribe", "guess", http.StatusForbidden, ""},
		{"another mode is refused", "unsubscribe", verifyToken, http.StatusForbidden, ""},
		{"no verify token is refused", "subscribe", "", http.StatusForbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{"hub.mode": {tt.mode}, "hub.verify_token": {tt.tok}, "hub.challenge": {"1158201444"}}
			resp, err := http.Get(h.hook.URL + whatsappcloud.WebhookPath + "?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tt.wantStatus || (tt.wantBody != "" && string(b) != tt.wantBody) {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, b, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestSendErrorsAreTyped(t *testing.T) {
	tests := []struct {
		name    string
		failure wacloudtest.Failure
		check   func(error) bool
		want    string
	}{
		{"HTTP 429 is throttled for the time Meta asks", wacloudtest.Failure{Status: 429, Code: 130429, RetryAfter: "7"},
			func(err error) bool {
				var th *bot.ErrThrottled
				return errors.As(err, &th) && th.RetryAfter == 7*time.Second
			}, "ErrThrottled{7s}"},
		{"error 130429 is throttled", wacloudtest.Failure{Status: 400, Code: 130429},
			func(err error) bool { var th *bot.ErrThrottled; return errors.As(err, &th) && th.RetryAfter > 0 }, "ErrThrottled"},
		{"error 131056 (one number, too fast) is throttled for seconds", wacloudtest.Failure{Status: 400, Code: 131056},
			func(err error) bool {
				var th *bot.ErrThrottled
				return errors.As(err, &th) && th.RetryAfter < time.Minute
			}, "ErrThrottled under a minute"},
		{"a closed 24-hour window stops", wacloudtest.Failure{Status: 400, Code: 131047},
			func(err error) bool { return errors.Is(err, bot.ErrStopped) }, "ErrStopped"},
		{"an undeliverable number stops", wacloudtest.Failure{Status: 400, Code: 131026},
			func(err error) bool { return errors.Is(err, bot.ErrStopped) }, "ErrStopped"},
		{"a server error is unreachable", wacloudtest.Failure{Status: 503, Code: 2},
			func(err error) bool { return errors.Is(err, bot.ErrUnreachable) }, "ErrUnreachable"},
		{"an expired token is unreachable until an admin fixes it", wacloudtest.Failure{Status: 401, Code: 190},
			func(err error) bool { return errors.Is(err, bot.ErrUnreachable) }, "ErrUnreachable"},
		{"another refusal is a bad request", wacloudtest.Failure{Status: 400, Code: 100},
			func(err error) bool { return errors.Is(err, bot.ErrBadRequest) }, "ErrBadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := wacloudtest.New(phoneID, accessToken)
			defer api.Close()
			a := whatsappcloud.New(whatsappcloud.Options{Token: accessToken, PhoneNumberID: phoneID, Endpoint: api.Endpoint()})
			tt.failure.Times = 1
			api.Fail(tt.failure)
			err := a.Send(context.Background(), citizen, bot.Reply{Text: "halo"})
			if !tt.check(err) {
				t.Errorf("err = %v, want %s", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), accessToken) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
	t.Run("an unreachable Graph API is unreachable", func(t *testing.T) {
		api := wacloudtest.New(phoneID, accessToken)
		api.Close()
		a := whatsappcloud.New(whatsappcloud.Options{Token: accessToken, PhoneNumberID: phoneID, Endpoint: api.Endpoint()})
		if err := a.Send(context.Background(), citizen, bot.Reply{Text: "halo"}); !errors.Is(err, bot.ErrUnreachable) {
			t.Errorf("err = %v, want ErrUnreachable", err)
		}
	})
}

func TestAPhotoIsUploadedAndSentWithItsCaption(t *testing.T) {
	api := wacloudtest.New(phoneID, accessToken)
	defer api.Close()
	a := whatsappcloud.New(whatsappcloud.Options{Token: accessToken, PhoneNumberID: phoneID, Endpoint: api.Endpoint()})
	png := []byte("\x89PNG fake chart")
	if err := a.Send(context.Background(), citizen, bot.Reply{Text: "IKM minggu ini: 88,1", Photo: png}); err != nil {
		t.Fatal(err)
	}
	sent, uploads := api.Sent(), api.Uploads()
	if len(uploads) != 1 || string(uploads[0]) != string(png) {
		t.Fatalf("uploads = %q, want the PNG once", uploads)
	}
	if len(sent) != 1 || sent[0].Type != "image" || sent[0].MediaID != "media1" || sent[0].Text != "IKM minggu ini: 88,1" {
		t.Errorf("sent %+v, want one image with the uploaded media and the text as caption", sent)
	}

	long := strings.Repeat("panjang ", 200)
	if err := a.Send(context.Background(), citizen, bot.Reply{Text: long, Photo: png}); err != nil {
		t.Fatal(err)
	}
	if sent = api.Sent()[1:]; len(sent) != 2 || sent[0].Type != "image" || sent[0].Text != "" || sent[1].Text != long {
		t.Errorf("a text too long for a caption: sent %+v, want the image, then the text", sent)
	}
}

func TestRepliesAreNumberedForWhatsApp(t *testing.T) {
	got := (bot.Reply{Text: "Bagaimana?", Options: []bot.Option{{Label: "Tidak sesuai"}, {Label: "Sangat sesuai"}}}).NumberedText()
	if want := "Bagaimana?\n\n1. Tidak sesuai\n2. Sangat sesuai"; got != want {
		t.Errorf("NumberedText = %q, want %q", got, want)
	}
}

func TestMaskKeepsTheEnds(t *testing.T) {
	if got := whatsappcloud.Mask(citizen); got != "62812****5678" {
		t.Errorf("Mask(%s) = %s", citizen, got)
	}
}

func TestTheSamplePayloadIsUnderstood(t *testing.T) {
	h := newHarness(t, storagetest.SQLite(t))
	body, err := os.ReadFile("testdata/text.json")
	if err != nil {
		t.Fatal(err)
	}
	if status := h.post(body, whatsappcloud.Sign(appSecret, body)); status != http.StatusOK {
		t.Fatalf("status %d, want 200", status)
	}
	h.settle()
	if got := h.api.Sent(); len(got) != 1 || got[0].To != citizen || !strings.Contains(got[0].Text, "tidak dikenal") {
		t.Errorf("sent %+v, want the unknown-code answer to %s", got, citizen)
	}
}

func TestALongTextGoesAsSeveralMessages(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newHarness(t, db)
		line := strings.Repeat("Unit Layanan Contoh: indeks 82,50 (B, Baik) dari 120 responden. ", 3) + "\n"
		long := strings.Repeat(line, 50) // about 9,800 characters
		if err := h.a.Send(context.Background(), "6281234567890", bot.Reply{Text: long}); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, m := range h.api.Sent() {
			parts = append(parts, m.Text)
		}
		if len(parts) != 3 || strings.Join(parts, "\n") != long {
			t.Errorf("sent %d messages that are not the text cut at line breaks", len(parts))
		}
	})
}
