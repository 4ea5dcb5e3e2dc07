package whatsappcloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"sukma/bot"
)

// payload is a webhook POST of the "messages" field. Sample (testdata/text.json):
//
//	{"object":"whatsapp_business_account","entry":[{"id":"WABA","changes":[{"field":"messages",
//	 "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550001111",
//	 "phone_number_id":"PNID"},"contacts":[{"profile":{"name":"Sri"},"wa_id":"6281234565678"}],
//	 "messages":[{"from":"6281234565678","id":"wamid.X","timestamp":"1764147600","type":"text",
//	 "text":{"body":"SKM abc"}}]}}]}]}
//
// https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples
type payload struct {
	Object string `json:"object"`
	Entry  []struct {
		ID      string `json:"id"`
		Changes []struct {
			Field string `json:"field"`
			Value value  `json:"value"`
		} `json:"changes"`
	} `json:"entry"`
}

type value struct {
	Metadata struct {
		PhoneNumberID string `json:"phone_number_id"`
	} `json:"metadata"`
	Messages []message `json:"messages"`
	Statuses []status  `json:"statuses"`
}

// message is one message from a citizen. Text, button (a template's quick reply) and
// interactive (a pressed reply button or a chosen list row) answer the survey; the other
// types carry nothing for it: image, sticker, audio, video, document, location, contacts,
// reaction, unsupported. A chosen row looks like:
//
//	{"from":"6281234565678","id":"wamid.Z","timestamp":"1764147600","type":"interactive",
//	 "interactive":{"type":"list_reply","list_reply":{"id":"o:17:4","title":"4. Sangat sesuai"}}}
type message struct {
	From      string `json:"from"`
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
	Type      string `json:"type"`
	Text      struct {
		Body string `json:"body"`
	} `json:"text"`
	Button struct {
		Text string `json:"text"`
	} `json:"button"`
	Interactive struct {
		Type        string `json:"type"` // button_reply or list_reply
		ButtonReply reply  `json:"button_reply"`
		ListReply   reply  `json:"list_reply"`
	} `json:"interactive"`
}

// reply is a pressed button or a chosen row: the id we gave it, and its title.
type reply struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// status reports a sent message: sent, delivered, read or failed. Sample:
//
//	{"id":"wamid.Y","status":"failed","timestamp":"1764147601","recipient_id":"6281234565678",
//	 "errors":[{"code":131047,"title":"Re-engagement message"}]}
type status struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	RecipientID string `json:"recipient_id"`
	Errors      []struct {
		Code  int    `json:"code"`
		Title string `json:"title"`
	} `json:"errors"`
}

// handlePayload hands every message of a payload to the engine, in order, and logs the
// statuses. It returns an error only when a message was not stored and the POST should be
// delivered again; a redelivered message is recognised by its id ("wac:<id>") and counts once.
func (a *Adapter) handlePayload(ctx context.Context, p payload) error {
	for _, e := range p.Entry {
		for _, c := range e.Changes {
			if c.Field != "messages" {
				continue
			}
			v := c.Value
			if id := v.Metadata.PhoneNumberID; id != "" && id != a.opts.PhoneNumberID {
				// Another number of the same app: not ours to answer.
				a.log.Debug("whatsapp cloud: ignored events of another phone number id", slog.String("phone_number_id", id))
				continue
			}
			for _, s := range v.Statuses {
				a.logStatus(s)
			}
			for _, m := range v.Messages {
				if err := a.handleMessage(ctx, m); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (a *Adapter) handleMessage(ctx context.Context, m message) error {
	if m.From == "" || m.ID == "" {
		return nil
	}
	in := bot.Inbound{
		Channel: bot.ChannelWhatsApp, ChatID: m.From, UserID: m.From,
		Text: messageText(m), EventID: "wac:" + m.ID,
	}
	if ts, err := strconv.ParseInt(m.Timestamp, 10, 64); err == nil && ts > 0 {
		in.Time = time.Unix(ts, 0)
	}
	if m.Type == "interactive" {
		return a.handleChoice(ctx, m, in)
	}
	if in.Text == "" {
		a.log.Debug("whatsapp cloud: a message without text gets the re-prompt", slog.String("type", m.Type), slog.String("from", Mask(m.From)))
	}
	return a.handle(ctx, in)
}

func (a *Adapter) handle(ctx context.Context, in bot.Inbound) error {
	replies, err := a.opts.Engine.Handle(ctx, in)
	if errors.Is(err, bot.ErrUnreadable) {
		// Answered with an error, Meta would send it again for days.
		a.log.Warn("whatsapp cloud: a message with an unreadable id or sender, dropped", slog.String("from", Mask(in.ChatID)))
		return nil
	}
	if err != nil {
		return fmt.Errorf("whatsapp cloud: message from %s: %w", Mask(in.ChatID), err)
	}
	if len(replies) > 0 {
		a.opts.Notify()
	}
	return nil
}

// handleChoice takes a pressed button or a chosen row as the answer only if it belongs to the
// newest message of its chat: the current question. Any later message, even one not sent yet,
// makes it old, so a second press, or a press on an earlier question, never changes an
// answer: an old one counts as a message without text, which gets the question again. The
// engine checks it under the session's lock, so presses on two replicas are told apart.
func (a *Adapter) handleChoice(ctx context.Context, m message, in bot.Inbound) error {
	id := m.Interactive.ButtonReply.ID
	if m.Interactive.Type == "list_reply" {
		id = m.Interactive.ListReply.ID
	}
	if outboxID, n, ok := parseOptionID(id); ok {
		choice := in
		choice.Option, choice.Button = n, outboxID
		err := a.handle(ctx, choice)
		if !errors.Is(err, bot.ErrOldButton) {
			return err
		}
	}
	a.log.Debug("whatsapp cloud: an old button or row gets the re-prompt", slog.String("from", Mask(m.From)))
	in.EventID += ":old" // the press's own id is recorded already
	return a.handle(ctx, in)
}

// messageText is what the survey reads of a message: its text, or "" (the engine re-prompts).
func messageText(m message) string {
	switch m.Type {
	case "text":
		return m.Text.Body
	case "button":
		return m.Button.Text
	}
	return ""
}

func (a *Adapter) logStatus(s status) {
	attrs := []any{slog.String("status", s.Status), slog.String("message_id", s.ID), slog.String("to", Mask(s.RecipientID))}
	if s.Status != "failed" {
		a.log.Debug("whatsapp cloud: message status", attrs...)
		return
	}
	for _, e := range s.Errors {
		attrs = append(attrs, slog.Int("code", e.Code), slog.String("title", e.Title))
	}
	a.log.Warn("whatsapp cloud: a message could not be delivered", attrs...)
}
