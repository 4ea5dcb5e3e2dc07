package whatsapp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"sukma/bot"
)

// Send delivers one reply (the dispatcher's bot.Sender) to a chat JID: "typing…" for a
// moment, then the text with the options as numbered lines ("1. Sangat sesuai"), or the Photo
// uploaded and sent as an image with the text as its caption.
//
// Errors are the typed errors of bot.Sender: a chat id that is not a person's JID wraps
// bot.ErrBadRequest; while the device is not connected (or not paired, or banned) Send
// returns *bot.ErrThrottled, so replies wait in the outbox without giving up; a timeout or
// any other failure of a send wraps bot.ErrUnreachable.
func (a *Adapter) Send(ctx context.Context, chatID string, r bot.Reply) error {
	if !strings.Contains(chatID, "@") {
		chatID += "@" + types.DefaultUserServer // a subscriber's number, as the JSON API stores it
	}
	to, err := types.ParseJID(chatID)
	if err != nil || (to.Server != types.DefaultUserServer && to.Server != types.HiddenUserServer) || to.User == "" {
		return fmt.Errorf("whatsapp: chat id %s is not a person's JID: %w", Mask(chatID), bot.ErrBadRequest)
	}
	if r.Template != nil {
		return fmt.Errorf("whatsapp: a linked device cannot send the template %q (only the Cloud API can): %w", r.Template.Name, bot.ErrBadRequest)
	}
	if st := a.Status().State; a.device != nil && st != StateConnected {
		// Not the message's fault: it waits, without using up its attempts, until the device
		// is back (reconnected, paired again, or the ban is over).
		return &bot.ErrThrottled{RetryAfter: notConnectedWait}
	}
	client := a.conn()
	if client == nil {
		return &bot.ErrThrottled{RetryAfter: notConnectedWait}
	}
	text := r.NumberedText()
	if err := client.SendChatPresence(ctx, to, types.ChatPresenceComposing, types.ChatPresenceMediaText); err != nil {
		a.log.Debug("whatsapp: could not show typing", slog.Any("error", err))
	}
	select {
	case <-ctx.Done():
		return fmt.Errorf("whatsapp: %w: %w", ctx.Err(), bot.ErrUnreachable)
	case <-time.After(a.typingPause(text)):
	}
	msg := &waE2E.Message{Conversation: proto.String(text)}
	if len(r.Photo) > 0 {
		up, err := client.Upload(ctx, r.Photo, whatsmeow.MediaImage)
		if err != nil {
			return sendError("upload image", err)
		}
		msg = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{
			Caption: proto.String(text), Mimetype: proto.String("image/png"),
			URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: proto.Uint64(up.FileLength),
		}}
	}
	if _, err := client.SendMessage(ctx, to, msg); err != nil {
		return sendError("send message", err)
	}
	if err := client.SendChatPresence(ctx, to, types.ChatPresencePaused, types.ChatPresenceMediaText); err != nil {
		a.log.Debug("whatsapp: could not clear typing", slog.Any("error", err))
	}
	return nil
}

// notConnectedWait is how long a reply waits before it is tried again while the device is
// not connected.
const notConnectedWait = 30 * time.Second

// typingPause is how long "typing…" shows: longer for longer texts, up to Options.Typing,
// drawn between a third and all of that.
func (a *Adapter) typingPause(text string) time.Duration {
	d := min(a.opts.Typing, time.Duration(len(text))*15*time.Millisecond+a.opts.Typing/3)
	return d/3 + rand.N(d*2/3+1)
}

func sendError(what string, err error) error {
	msg := "whatsapp: " + what + ": " + maskAll(err.Error())
	switch {
	case errors.Is(err, whatsmeow.ErrBroadcastListUnsupported), errors.Is(err, whatsmeow.ErrUnknownServer),
		errors.Is(err, whatsmeow.ErrRecipientADJID), errors.Is(err, whatsmeow.ErrInvalidImageFormat):
		return fmt.Errorf("%s: %w", msg, bot.ErrBadRequest)
	}
	return fmt.Errorf("%s: %w", msg, bot.ErrUnreachable)
}

var _ bot.Sender = (*Adapter)(nil)
