package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sukma/bot/telegram"
	"sukma/bot/telegram/telegramtest"
)

// loadAnswers complete the built-in flow: profile, U1–U9 (scores loadScores), two texts.
var loadAnswers = []string{"1", "52", "3", "6", "4", "3", "2", "3", "4", "4", "3", "3", "4", "Loket kurang", "-"}

const loadScores = "4,3,2,3,4,4,3,4,3"

// invalidable is how many of loadAnswers can be answered wrongly first (the two texts
// accept anything).
const invalidable = 13

// citizen is one simulated person, answering as fast as the bot replies.
type citizen struct {
	chat  int64
	inbox chan loadReply
	rng   *rand.Rand
	seq   int
	// lastID is the newest message the chat got: its buttons are the current ones.
	lastID int
	// prev is the text of the message received last; the same text again is a message sent
	// twice (a replica died between sending it and recording it sent).
	prev   string
	resent int

	lat      []time.Duration
	messages int // sent and answered
	answers  int // valid answers stored
	tokens   []string
	errors   []string
}

// survey creates a visit and answers it to the end.
func (lt *loadtest) survey(ctx context.Context, c *citizen) error {
	token, err := lt.newVisit(ctx)
	if err != nil {
		return err
	}
	start := "/start " + token
	if lt.mode == "web" {
		start = "mulai"
	}
	got, err := lt.step(ctx, c, token, start, nil, 2) // the flow's introduction, then the first question
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	last := got[len(got)-1]
	for i, a := range loadAnswers {
		if i < invalidable && c.rng.Float64() < lt.invalid {
			wrong := []string{"entahlah", "9"}[c.rng.IntN(2)]
			if i == 1 {
				wrong = "7" // younger than the form allows
			}
			got, err := lt.step(ctx, c, token, wrong, nil, 1)
			if err != nil {
				return fmt.Errorf("answer %d (invalid %q): %w", i+1, wrong, err)
			}
			last = got[0]
		}
		var press *telegramtest.Button
		if n, err := strconv.Atoi(a); err == nil && n >= 1 && n <= len(last.Buttons) && c.rng.IntN(2) == 0 {
			press = &last.Buttons[n-1] // most people tap the button
		}
		got, err := lt.step(ctx, c, token, a, press, 1)
		if err != nil {
			return fmt.Errorf("answer %d (%q): %w", i+1, a, err)
		}
		last = got[0]
		c.answers++
	}
	if !strings.Contains(last.Text, "tercatat") {
		return fmt.Errorf("last message %.60q is not the thank-you", last.Text)
	}
	c.tokens = append(c.tokens, token)
	return nil
}

// step sends one message (or presses a button of last) and waits for want replies; the
// reply latency is from the send to the last of them.
func (lt *loadtest) step(ctx context.Context, c *citizen, token, text string, press *telegramtest.Button, want int) ([]loadReply, error) {
	c.seq++
	if lt.think > 0 { // a person reads the question, then answers
		select {
		case <-time.After(lt.think/2 + time.Duration(c.rng.Int64N(int64(lt.think)+1))):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	began := time.Now()
	var got []loadReply
	var err error
	if lt.mode == "web" {
		got, err = lt.sayWeb(ctx, token, text, c.seq)
		if err == nil && len(got) != want {
			err = fmt.Errorf("%d replies, want %d", len(got), want)
		}
	} else {
		got, err = lt.sayTelegram(ctx, c, text, press, want)
	}
	if err != nil {
		return nil, err
	}
	c.lat = append(c.lat, time.Since(began))
	c.messages++
	return got, nil
}

// sayTelegram delivers an update (queued for getUpdates, or posted to a webhook) and waits
// for the replies sent to the fake Bot API.
func (lt *loadtest) sayTelegram(ctx context.Context, c *citizen, text string, press *telegramtest.Button, want int) ([]loadReply, error) {
	update := telegramtest.TextUpdate(c.chat, text)
	if press != nil {
		update = telegramtest.ButtonUpdate(telegramtest.Message{ChatID: c.chat, MessageID: c.lastID, Text: "?"}, press.Data)
	}
	lt.fake.Number(update) // after the replies it answers, as Telegram numbers them
	if lt.mode == "polling" {
		lt.push(update)
	} else if err := lt.postWebhook(ctx, update); err != nil {
		return nil, err
	}
	wait := time.NewTimer(lt.replyTimeout)
	defer wait.Stop()
	got := make([]loadReply, 0, want)
	for len(got) < want {
		select {
		case m := <-c.inbox:
			if m.Text == c.prev {
				c.resent++
				continue
			}
			c.prev = m.Text
			got = append(got, m)
		case <-wait.C:
			return nil, fmt.Errorf("%d of %d replies after %s", len(got), want, lt.replyTimeout)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	c.lastID = got[len(got)-1].MessageID
	return got, nil
}

// push queues an update for the server's long poll. Ids are given and queued under one lock,
// in order: the poller moves its offset past the highest id it saw.
func (lt *loadtest) push(update map[string]any) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.nextUpdate++
	lt.fake.Redeliver(lt.nextUpdate, update)
}

// postWebhook posts an update as Telegram would, to the servers in turn, and makes the call a
// 200's body holds; a server that does not answer 200 gets the update again later, or another
// server does (as Telegram retries).
func (lt *loadtest) postWebhook(ctx context.Context, update map[string]any) error {
	lt.mu.Lock()
	lt.nextUpdate++
	update["update_id"] = lt.nextUpdate
	lt.mu.Unlock()
	body, _ := json.Marshal(update)
	deadline := time.Now().Add(lt.replyTimeout)
	for try := 0; ; try++ {
		url := lt.urls[int(lt.turn.Add(1))%len(lt.urls)] + telegram.WebhookPath
		req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", lt.webhookSecret)
		resp, err := lt.client.Do(req)
		if err == nil {
			reply, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return lt.fake.WebhookReply(reply) // Telegram makes the call a response holds
			}
			if resp.StatusCode < 500 {
				return fmt.Errorf("POST %s = %d", telegram.WebhookPath, resp.StatusCode)
			}
			err = fmt.Errorf("POST %s = %d", telegram.WebhookPath, resp.StatusCode)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return err
		}
		lt.retries.Add(1)
		time.Sleep(time.Duration(min(try+1, 10)) * 20 * time.Millisecond)
	}
}

// sayWeb posts a message to the web chat and returns the replies of the response.
func (lt *loadtest) sayWeb(ctx context.Context, token, text string, seq int) ([]loadReply, error) {
	body, _ := json.Marshal(map[string]string{"text": text, "id": strconv.Itoa(seq)})
	req, _ := http.NewRequestWithContext(ctx, "POST", lt.urls[0]+"/s/"+token+"/messages", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := lt.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Replies []struct {
			Text string `json:"text"`
		} `json:"replies"`
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("POST /s/…/messages = %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	got := make([]loadReply, len(out.Replies))
	for i, r := range out.Replies {
		got[i] = loadReply{Text: r.Text}
	}
	return got, nil
}

// newVisit asks the server for a visit token of the demo unit.
func (lt *loadtest) newVisit(ctx context.Context) (string, error) {
	var v struct{ Token string }
	err := lt.api(ctx, "POST", "/api/v1/visits", map[string]string{"unit": lt.unit}, &v)
	if err == nil && v.Token == "" {
		err = errors.New("POST /api/v1/visits: no token")
	}
	return v.Token, err
}

// api calls the JSON API of the first server with the admin token.
func (lt *loadtest) api(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, _ := json.Marshal(in)
		body = bytes.NewReader(b)
	}
	var err error
	for _, base := range lt.urls { // a replica may be down
		var req *http.Request
		req, err = http.NewRequestWithContext(ctx, method, base+path, body)
		if err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+lt.adminToken)
		var resp *http.Response
		resp, err = lt.client.Do(req)
		if err != nil {
			if b, ok := body.(*bytes.Reader); ok {
				b.Seek(0, io.SeekStart)
			}
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			return fmt.Errorf("%s %s = %d %s", method, path, resp.StatusCode, bytes.TrimSpace(b))
		}
		return json.Unmarshal(b, out)
	}
	return err
}
