package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"sukma/bot"
)

// allowedUpdates are the kinds of update the bot asks Telegram for.
var allowedUpdates = []string{"message", "edited_message", "callback_query"}

// handleUpdate hands one update to the engine. It returns an error only when the update was
// not stored and should be delivered again (the database failed); a redelivered update is
// recognised by its id ("tg:<update_id>") and counts once. What it returns besides are the
// calls to make once the update is stored (a button press is acknowledged): see followUp.
//
// Sample update: {"update_id":10,"message":{"message_id":5,"from":{"id":42,"is_bot":false,
// "first_name":"Sri"},"chat":{"id":42,"type":"private"},"date":1764147600,"text":"/start abc"}}
func (a *Adapter) handleUpdate(ctx context.Context, u tgbotapi.Update) ([]followUp, error) {
	event := "tg:" + strconv.Itoa(u.UpdateID)
	if u.CallbackQuery != nil {
		return a.handleButton(ctx, u.CallbackQuery, event)
	}
	msg, text, number := u.Message, "", int64(0)
	if msg == nil {
		// An edited message would change an answer already counted: it is not read, and the
		// engine says so (Inbound.Edited).
		msg = u.EditedMessage
	} else {
		// A photo's (or a file's) caption is read as its text; the photo itself is not.
		// Stickers and voice notes have no text: the engine re-prompts.
		text, number = msg.Text, int64(msg.MessageID)
		if text == "" {
			text = msg.Caption
		}
	}
	if msg == nil || msg.Chat == nil || msg.From == nil {
		return nil, nil
	}
	if msg.Chat.Type != "private" {
		a.log.Debug("telegram: ignored a message outside a private chat", slog.String("chat_type", msg.Chat.Type))
		return nil, nil
	}
	date := msg.Date
	if u.Message == nil && msg.EditDate > 0 {
		date = msg.EditDate // an edit's date is its first version's
	}
	return nil, a.handle(ctx, bot.Inbound{
		Channel: bot.ChannelTelegram, ChatID: strconv.FormatInt(msg.Chat.ID, 10), UserID: strconv.FormatInt(msg.From.ID, 10),
		Text: text, Edited: u.Message == nil, Media: u.Message != nil && msg.Text == "", MessageID: number, ReplyTo: repliesTo(msg),
		EventID: event, Time: time.Unix(int64(date), 0),
	})
}

// repliesTo is the number of the bot's message that msg replies to (swipe-to-reply), or 0: a
// reply to the citizen's own message is as good as none. In a private chat a message not
// from the sender is the bot's.
func repliesTo(msg *tgbotapi.Message) int64 {
	r := msg.ReplyToMessage
	if r == nil || r.From != nil && r.From.ID == msg.From.ID {
		return 0
	}
	return int64(r.MessageID)
}

func (a *Adapter) handle(ctx context.Context, in bot.Inbound) error {
	replies, err := a.opts.Engine.Handle(ctx, in)
	if err != nil {
		return err
	}
	if len(replies) > 0 {
		a.opts.Notify()
	}
	return nil
}

// handleButton takes a pressed button as the answer only if it belongs to the newest message
// of its chat: the current question. Any later message, even one not sent yet, makes it old,
// so a second press, or a press on an earlier question, never changes an answer. The engine
// checks it under the session's lock, so two presses at once on two replicas are told apart.
// The press is then acknowledged (with a notice if it was refused: its spinner stops) and its
// keyboard taken off.
func (a *Adapter) handleButton(ctx context.Context, q *tgbotapi.CallbackQuery, event string) ([]followUp, error) {
	outboxID, n, skip, ok := parseButton(q.Data)
	if !ok || q.Message == nil || q.Message.Chat == nil || q.From == nil {
		return []followUp{answerButton(q.ID, OldButton)}, nil
	}
	err := a.handle(ctx, bot.Inbound{
		Channel: bot.ChannelTelegram, ChatID: strconv.FormatInt(q.Message.Chat.ID, 10), UserID: strconv.FormatInt(q.From.ID, 10),
		Option: n, Skip: skip, Button: outboxID, MessageID: int64(q.Message.MessageID), EventID: event,
	})
	notice := ""
	var old *bot.OldButtonError
	switch {
	case errors.As(err, &old):
		notice = old.Notice() // in the survey's language
	case errors.Is(err, bot.ErrOldButton):
		notice = OldButton
	case err != nil:
		return nil, err
	}
	if notice != "" {
		return []followUp{answerButton(q.ID, notice), removeKeyboard(q.Message)}, nil
	}
	return []followUp{answerButton(q.ID, ""), showChoice(q.Message, q.Data)}, nil
}

// A followUp is a Bot API call to make once an update is stored, whose result nothing waits
// for: the method under "method", then its parameters. Polling makes each one at once (a
// failure is only logged); a webhook makes all but the last, and puts the last in its
// response, which Telegram performs: one call less
// (https://core.telegram.org/bots/api#making-requests-when-getting-updates).
type followUp map[string]any

// answerButton stops a button's spinner, with a short notice if text is not empty.
func answerButton(queryID, text string) followUp {
	f := followUp{"method": "answerCallbackQuery", "callback_query_id": queryID}
	if text != "" {
		f["text"] = text
	}
	return f
}

// showChoice takes the buttons off the question once one is pressed, and writes the chosen
// one under it ("✓ 3. Cepat", "✓ Lewati"), so that the chat keeps the answers given. A
// message whose text or keyboard is not as Sukma sent it (a photo's caption, a text at
// Telegram's limit) only loses its buttons.
func showChoice(m *tgbotapi.Message, data string) followUp {
	label := ""
	if m.ReplyMarkup != nil {
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData != nil && *b.CallbackData == data {
					label = b.Text
				}
			}
		}
	}
	text := m.Text + "\n\n✓ " + label
	if label == "" || m.Text == "" || len(m.Entities) > 0 || utf16Len(text) > TextLimit {
		return removeKeyboard(m)
	}
	return followUp{"method": "editMessageText", "chat_id": m.Chat.ID, "message_id": m.MessageID, "text": text,
		"reply_markup": tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}}
}

// removeKeyboard takes the buttons off a message once they are used up.
func removeKeyboard(m *tgbotapi.Message) followUp {
	return followUp{"method": "editMessageReplyMarkup", "chat_id": m.Chat.ID, "message_id": m.MessageID,
		"reply_markup": tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}}}
}

// follow makes the calls, in order. A failure is only logged: the update is stored already.
func (a *Adapter) follow(ctx context.Context, calls []followUp) {
	for _, f := range calls {
		method, _ := f["method"].(string)
		params := tgbotapi.Params{}
		for k, v := range f {
			switch v := v.(type) {
			case string:
				params[k] = v
			default:
				b, _ := json.Marshal(v)
				params[k] = string(b)
			}
		}
		delete(params, "method") // the path names it
		if _, err := a.call(ctx).MakeRequest(method, params); err != nil {
			a.log.Warn("telegram: "+method+" failed", slog.Any("error", a.sendError(method, err)))
		}
	}
}

// Poll receives updates by long polling until ctx is done. Each update is stored by the
// engine before the offset moves past it, so an update in flight when the process dies is
// delivered again (and counted once). Errors back off from 1 s to a minute. An update that
// cannot be stored is skipped after 5 tries only while the database answers (a poison
// update); through a database outage it waits, however long the outage.
func (a *Adapter) Poll(ctx context.Context) {
	// A webhook left from webhook mode makes getUpdates fail with 409.
	if _, err := a.call(ctx).Request(tgbotapi.DeleteWebhookConfig{}); err != nil && ctx.Err() == nil {
		a.log.Warn("telegram: deleteWebhook failed", slog.Any("error", a.sendError("deleteWebhook", err)))
	}
	offset, failures, lastFailed := 0, 0, -1
	wait := time.Second
	pause := func(what string, err error) bool {
		a.log.Warn("telegram: "+what, slog.Any("error", err), slog.Duration("retry_in", wait))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(wait*2, time.Minute)
		return true
	}
	for ctx.Err() == nil {
		updates, err := a.getUpdates(ctx, offset)
		if err != nil {
			if ctx.Err() != nil || !pause("getUpdates failed", err) {
				return
			}
			continue
		}
		stored, err := a.handleAll(ctx, updates)
		if stored > 0 {
			offset = updates[stored-1].UpdateID + 1
		}
		if err == nil {
			wait = time.Second
			continue
		}
		if ctx.Err() != nil {
			return
		}
		u := updates[stored]
		if failures++; lastFailed != u.UpdateID {
			lastFailed, failures = u.UpdateID, 1
		}
		if failures < 5 || !a.engineReady(ctx) {
			pause(fmt.Sprintf("update %d not stored", u.UpdateID), err)
			continue // fetch it again: the offset stays before it
		}
		a.log.Error("telegram: update skipped after 5 failures", slog.Int("update_id", u.UpdateID), slog.Any("error", err))
		offset = u.UpdateID + 1
	}
}

// engineReady reports whether the engine can store updates now (bot.Engine.Ready); an
// engine that cannot tell is taken as ready.
func (a *Adapter) engineReady(ctx context.Context) bool {
	r, ok := a.opts.Engine.(interface{ Ready(context.Context) error })
	return !ok || r.Ready(ctx) == nil
}

// handleAll hands the updates of one getUpdates to the engine, the chats side by side (so
// that the group commit writes them together) and each chat's updates in order, and returns
// how many of them, from the first, are stored, with the error of the next one. A failed
// update stops the rest of its chat; those of other chats that were stored are delivered
// again with it and count once.
func (a *Adapter) handleAll(ctx context.Context, updates []tgbotapi.Update) (int, error) {
	chats := map[int64][]int{}
	for i, u := range updates {
		var chat int64
		switch {
		case u.Message != nil && u.Message.Chat != nil:
			chat = u.Message.Chat.ID
		case u.EditedMessage != nil && u.EditedMessage.Chat != nil:
			chat = u.EditedMessage.Chat.ID
		case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
			chat = u.CallbackQuery.Message.Chat.ID
		}
		chats[chat] = append(chats[chat], i)
	}
	errs := make([]error, len(updates))
	done := make([]bool, len(updates))
	var wg sync.WaitGroup
	for _, mine := range chats {
		wg.Go(func() {
			for _, i := range mine {
				var calls []followUp
				if calls, errs[i] = a.handleUpdate(ctx, updates[i]); errs[i] != nil {
					return
				}
				a.follow(ctx, calls)
				done[i] = true
			}
		})
	}
	wg.Wait()
	// The first update not stored failed: one left out of its chat comes after a failure.
	for i := range updates {
		if !done[i] {
			return i, errs[i]
		}
	}
	return len(updates), nil
}

func (a *Adapter) getUpdates(ctx context.Context, offset int) ([]tgbotapi.Update, error) {
	cfg := tgbotapi.UpdateConfig{Offset: offset, Limit: 100, Timeout: int(a.opts.PollTimeout / time.Second), AllowedUpdates: allowedUpdates}
	resp, err := a.call(ctx).Request(cfg)
	if err != nil {
		return nil, a.sendError("getUpdates", err)
	}
	var updates []tgbotapi.Update
	if err := json.Unmarshal(resp.Result, &updates); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: %w", err)
	}
	return updates, nil
}

// utf16Len is the length of s as Telegram counts it, in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}
