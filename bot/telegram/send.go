package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"sukma/bot"
)

// Send delivers one reply (the dispatcher's bot.Sender): its text (or its photo with the text
// as caption), and its options as an inline keyboard, one button per row, "N. label", whose
// callback data "o:<outbox id>:N" names the outbox row it belongs to; a question that may be
// skipped (bot.Reply.Skip) has a last button "Lewati" ("Skip"), "s:<outbox id>". Errors are
// the typed errors of bot.Sender; 429 is *bot.ErrThrottled with Telegram's retry_after.
func (a *Adapter) Send(ctx context.Context, chatID string, r bot.Reply) error {
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return fmt.Errorf("telegram: chat id %q is not a number: %w", chatID, bot.ErrBadRequest)
	}
	if len(r.Photo) > 0 {
		// A digest's chart, with its text as the caption (the digest keeps captions within
		// Telegram's 1,024 characters).
		p := tgbotapi.NewPhoto(id, tgbotapi.FileBytes{Name: "sukma.png", Bytes: r.Photo})
		p.Caption = r.Text
		if hasButtons(r) {
			p.ReplyMarkup = keyboard(bot.OutboxID(ctx), r)
		}
		if resp, err := a.call(ctx).Request(p); err != nil {
			return a.sendError("sendPhoto", withStatus(resp, err))
		}
		return nil
	}
	// A text longer than Telegram takes goes as several messages, the buttons on the last. If
	// one of them fails, the whole reply is tried again: its first parts may then arrive twice.
	parts := bot.SplitText(r.Text, TextLimit)
	for i, part := range parts {
		msg := tgbotapi.NewMessage(id, part)
		if i == len(parts)-1 && hasButtons(r) {
			msg.ReplyMarkup = keyboard(bot.OutboxID(ctx), r)
		}
		if _, err := a.call(ctx).Request(msg); err != nil {
			return a.sendError("sendMessage", err)
		}
	}
	return nil
}

// withStatus gives a failed upload's error Telegram's status. The library (v5.5.1) builds
// the error of an upload (UploadFiles: a photo) without error_code, so that a 403, 400 or 429
// would look like an unreachable platform and be retried for half an hour; the response it
// returns with the error has the code. retry_after it keeps.
func withStatus(resp *tgbotapi.APIResponse, err error) error {
	var te *tgbotapi.Error
	if resp == nil || resp.ErrorCode == 0 || !errors.As(err, &te) || te.Code != 0 {
		return err
	}
	fixed := *te
	fixed.Code = resp.ErrorCode
	return &fixed
}

// TextLimit is the longest message text Telegram accepts, in UTF-16 code units.
const TextLimit = 4096

func hasButtons(r bot.Reply) bool { return len(r.Options) > 0 || r.SkipLabel() != "" }

func keyboard(outboxID int64, r bot.Reply) tgbotapi.InlineKeyboardMarkup {
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(r.Options)+1)
	for i, o := range r.Options {
		n := i + 1
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
			fmt.Sprintf("%d. %s", n, o.Label), fmt.Sprintf("o:%d:%d", outboxID, n))))
	}
	if label := r.SkipLabel(); label != "" {
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(
			label, fmt.Sprintf("s:%d", outboxID))))
	}
	return tgbotapi.NewInlineKeyboardMarkup(rows...)
}

// parseButton reads callback data "o:<outbox id>:N", option N, or "s:<outbox id>", the
// button that skips the question (skip true, n 0).
func parseButton(data string) (outboxID int64, n int, skip bool, ok bool) {
	if idText, found := strings.CutPrefix(data, "s:"); found {
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil || id <= 0 {
			return 0, 0, false, false
		}
		return id, 0, true, true
	}
	rest, found := strings.CutPrefix(data, "o:")
	if !found {
		return 0, 0, false, false
	}
	idText, nText, found := strings.Cut(rest, ":")
	if !found {
		return 0, 0, false, false
	}
	id, err1 := strconv.ParseInt(idText, 10, 64)
	n, err2 := strconv.Atoi(nText)
	if err1 != nil || err2 != nil || id <= 0 || n <= 0 {
		return 0, 0, false, false
	}
	return id, n, false, true
}
