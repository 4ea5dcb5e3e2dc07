package whatsapp

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"time"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"sukma/bot"
)

// handleTimeout bounds one message's step, so a stuck database cannot stall whatsmeow's
// event loop for ever; the message is then not acknowledged and comes again.
const handleTimeout = 30 * time.Second

// HandleEvent is the whatsmeow event handler (AddEventHandlerWithSuccessStatus). It returns
// false only when a message was not stored: whatsmeow then withholds the receipt, so WhatsApp
// delivers the message again (after a crash too), and the engine counts it once.
func (a *Adapter) HandleEvent(evt any) bool {
	switch e := evt.(type) {
	case *events.Message:
		ctx, cancel := context.WithTimeout(context.Background(), handleTimeout)
		defer cancel()
		return a.handleMessage(ctx, e)
	default:
		a.lifecycle(evt)
	}
	return true
}

// handleMessage stores one message through the engine, then marks it read: the blue ticks
// mean "stored", and a message lost before that is delivered again.
func (a *Adapter) handleMessage(ctx context.Context, e *events.Message) bool {
	in, ok := Translate(e)
	if !ok {
		return true
	}
	replies, err := a.opts.Engine.Handle(ctx, in)
	if errors.Is(err, bot.ErrUnreadable) {
		a.log.Warn("whatsapp: a message with an unreadable id or sender, dropped", slog.String("message_id", strconv.Quote(e.Info.ID)))
		return true // delivered again, it would be refused again
	}
	if err != nil {
		a.log.Error("whatsapp: message not stored; WhatsApp will deliver it again",
			slog.String("from", Mask(in.ChatID)), slog.String("message_id", e.Info.ID), slog.Any("error", err))
		return false
	}
	if err := a.conn().MarkRead(ctx, []types.MessageID{e.Info.ID}, e.Info.Timestamp, e.Info.Chat, e.Info.Sender); err != nil {
		a.log.Warn("whatsapp: could not mark a message read", slog.String("message_id", e.Info.ID), slog.Any("error", err))
	}
	if len(replies) > 0 {
		a.opts.Notify()
	}
	return true
}

// Translate turns a whatsmeow message into the engine's Inbound. It reports false for what
// the survey must not answer: the account's own messages (from the phone or another linked
// device), groups, broadcast lists, status updates, channels, and protocol messages
// (deletions, disappearing-message settings). History sync arrives as other events and never gets here.
//
// A person's message that has no text (a sticker, a photo, a voice note, a reaction) or
// that edits an earlier one becomes an Inbound with empty Text: the engine asks again.
func Translate(e *events.Message) (bot.Inbound, bool) {
	info := e.Info
	edit := e.IsEdit || e.Message.GetProtocolMessage().GetType() == waE2E.ProtocolMessage_MESSAGE_EDIT
	switch {
	case e.Message == nil, info.IsFromMe, info.IsGroup:
		return bot.Inbound{}, false
	case info.Chat.Server != types.DefaultUserServer && info.Chat.Server != types.HiddenUserServer:
		return bot.Inbound{}, false // groups, broadcast, status, newsletters, bots
	case e.Message.GetProtocolMessage() != nil && !edit:
		return bot.Inbound{}, false
	}
	chat := ChatJID(info.MessageSource)
	in := bot.Inbound{
		Channel: bot.ChannelWhatsApp, ChatID: chat.String(), UserID: chat.User,
		EventID: "wa:" + info.ID, Time: info.Timestamp,
	}
	if !edit {
		in.Text = messageText(e.Message)
	}
	return in, true
}

// ChatJID is where replies to a one-to-one message go, as one stable id per citizen: the
// phone-number JID when the message carries it (as sender or its alternative address), else
// the chat as it came (a LID). Keeping to the phone number keeps a survey in one session
// when WhatsApp moves a chat from phone-number to LID addressing.
func ChatJID(src types.MessageSource) types.JID {
	for _, j := range []types.JID{src.Sender, src.SenderAlt, src.Chat} {
		if j.Server == types.DefaultUserServer && j.User != "" {
			return j.ToNonAD()
		}
	}
	return src.Chat.ToNonAD()
}

// messageText is the text of a plain or extended text message, or "".
func messageText(m *waE2E.Message) string {
	if t := m.GetConversation(); t != "" {
		return t
	}
	return m.GetExtendedTextMessage().GetText()
}
