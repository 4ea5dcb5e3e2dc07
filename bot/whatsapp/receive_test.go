package whatsapp_test

import (
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"sukma/bot"
	"sukma/bot/whatsapp"
)

func TestMessagesBecomeInbound(t *testing.T) {
	lid := types.NewJID("123456789012345", types.HiddenUserServer)
	tests := []struct {
		name     string
		evt      func() *events.Message
		want     bool
		wantText string
		wantChat string
	}{
		{"a text message is the citizen's answer", func() *events.Message { return textEvent("A1", "SKM abc") }, true, "SKM abc", citizen + "@s.whatsapp.net"},
		{"an extended text message is read too", func() *events.Message {
			e := textEvent("A2", "")
			e.Message = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("3")}}
			return e
		}, true, "3", citizen + "@s.whatsapp.net"},
		{"a sticker comes with no text, for the re-prompt", func() *events.Message {
			e := textEvent("A3", "")
			e.Message = &waE2E.Message{StickerMessage: &waE2E.StickerMessage{Mimetype: proto.String("image/webp")}}
			return e
		}, true, "", citizen + "@s.whatsapp.net"},
		{"a photo with a caption comes with no text", func() *events.Message {
			e := textEvent("A4", "")
			e.Message = &waE2E.Message{ImageMessage: &waE2E.ImageMessage{Caption: proto.String("4")}}
			return e
		}, true, "", citizen + "@s.whatsapp.net"},
		{"an edit comes with no text, as on Telegram", func() *events.Message {
			e := textEvent("A5", "4")
			e.IsEdit = true
			return e
		}, true, "", citizen + "@s.whatsapp.net"},
		{"a message from a LID chat is answered at the phone number it carries", func() *events.Message {
			e := textEvent("A6", "2")
			e.Info.Chat, e.Info.Sender, e.Info.SenderAlt = lid, lid, citizenJID
			return e
		}, true, "2", citizen + "@s.whatsapp.net"},
		{"a message from a LID chat without a phone number is answered at the LID", func() *events.Message {
			e := textEvent("A7", "2")
			e.Info.Chat, e.Info.Sender = lid, lid
			return e
		}, true, "2", lid.String()},
		{"a group message is ignored", func() *events.Message {
			e := textEvent("B1", "SKM abc")
			e.Info.Chat, e.Info.IsGroup = types.NewJID("120363000000000000", types.GroupServer), true
			return e
		}, false, "", ""},
		{"a status update is ignored", func() *events.Message {
			e := textEvent("B2", "halo")
			e.Info.Chat = types.StatusBroadcastJID
			return e
		}, false, "", ""},
		{"a broadcast list message is ignored", func() *events.Message {
			e := textEvent("B3", "halo")
			e.Info.Chat = types.NewJID("1234567890", types.BroadcastServer)
			return e
		}, false, "", ""},
		{"a channel post is ignored", func() *events.Message {
			e := textEvent("B4", "halo")
			e.Info.Chat = types.NewJID("120363111111111111", types.NewsletterServer)
			return e
		}, false, "", ""},
		{"the account's own message is ignored", func() *events.Message {
			e := textEvent("B5", "1")
			e.Info.IsFromMe, e.Info.Sender = true, ownJID
			return e
		}, false, "", ""},
		{"a deletion is ignored", func() *events.Message {
			e := textEvent("B6", "")
			e.Message = &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_REVOKE.Enum()}}
			return e
		}, false, "", ""},
		{"a history sync notification is ignored", func() *events.Message {
			e := textEvent("B7", "")
			e.Info.IsFromMe = true
			e.Message = &waE2E.Message{ProtocolMessage: &waE2E.ProtocolMessage{Type: waE2E.ProtocolMessage_HISTORY_SYNC_NOTIFICATION.Enum()}}
			return e
		}, false, "", ""},
		{"an event without a message is ignored", func() *events.Message {
			e := textEvent("B8", "")
			e.Message = nil
			return e
		}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.evt()
			in, ok := whatsapp.Translate(e)
			if ok != tt.want {
				t.Fatalf("Translate kept = %v, want %v", ok, tt.want)
			}
			if !ok {
				return
			}
			if in.Channel != bot.ChannelWhatsApp || in.Text != tt.wantText || in.ChatID != tt.wantChat || in.EventID != "wa:"+e.Info.ID || !in.Time.Equal(e.Info.Timestamp) {
				t.Errorf("Inbound = %+v, want text %q in chat %s with event wa:%s", in, tt.wantText, tt.wantChat, e.Info.ID)
			}
		})
	}
}

func TestAMessageIsMarkedReadOnlyAfterItIsStored(t *testing.T) {
	t.Run("a stored message is marked read after the engine step", func(t *testing.T) {
		c := &calls{}
		notified := 0
		a := whatsapp.New(&fakeClient{calls: c}, whatsapp.Options{Engine: &fakeEngine{calls: c}, Notify: func() { notified++ }, Logger: quiet()})
		if !a.HandleEvent(textEvent("M1", "SKM abc")) {
			t.Fatal("HandleEvent = false, want true (acknowledged)")
		}
		want := []string{`handle wa:M1 "SKM abc"`, "read " + citizen + "@s.whatsapp.net M1"}
		if got := c.all(); !slices.Equal(got, want) || notified != 1 {
			t.Errorf("calls = %q, notified %d; want %q and one notify", got, notified, want)
		}
	})
	t.Run("a message the engine could not store is neither read nor acknowledged", func(t *testing.T) {
		c := &calls{}
		a := whatsapp.New(&fakeClient{calls: c}, whatsapp.Options{Engine: &fakeEngine{calls: c, err: errDatabase}, Logger: quiet()})
		if a.HandleEvent(textEvent("M2", "1")) {
			t.Error("HandleEvent = true, want false so WhatsApp delivers it again")
		}
		if got := c.all(); !slices.Equal(got, []string{`handle wa:M2 "1"`}) {
			t.Errorf("calls = %q, want the engine step alone", got)
		}
	})
	t.Run("a message the engine refuses as unreadable is acknowledged: it would be refused again", func(t *testing.T) {
		c := &calls{}
		a := whatsapp.New(&fakeClient{calls: c}, whatsapp.Options{Engine: &fakeEngine{calls: c, err: bot.ErrUnreadable}, Logger: quiet()})
		if !a.HandleEvent(textEvent("M\x00", "1")) {
			t.Error("HandleEvent = false, want true: delivered again, it would be refused again")
		}
	})
	t.Run("an ignored message is acknowledged without an engine step", func(t *testing.T) {
		c := &calls{}
		a := whatsapp.New(&fakeClient{calls: c}, whatsapp.Options{Engine: &fakeEngine{calls: c}, Logger: quiet()})
		e := textEvent("M3", "halo")
		e.Info.IsFromMe = true
		if !a.HandleEvent(e) || len(c.all()) != 0 {
			t.Errorf("calls = %q, want none and an acknowledgement", c.all())
		}
	})
}

func TestConnectionEventsSetTheStatus(t *testing.T) {
	tests := []struct {
		name string
		evt  any
		want whatsapp.State
	}{
		{"connected", &events.Connected{}, whatsapp.StateConnected},
		{"a lost connection is reconnecting", &events.Disconnected{}, whatsapp.StateDisconnected},
		{"an unlinked account must be paired again", &events.LoggedOut{Reason: events.ConnectFailureLoggedOut}, whatsapp.StateLoggedOut},
		{"another process took the device", &events.StreamReplaced{}, whatsapp.StateReplaced},
		{"a temporary ban is shown", &events.TemporaryBan{Code: events.TempBanSentToTooManyPeople, Expire: 3600e9}, whatsapp.StateBanned},
		{"an outdated client is shown", &events.ClientOutdated{}, whatsapp.StateOutdated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &calls{}
			a := whatsapp.New(&fakeClient{calls: logs}, whatsapp.Options{Engine: &fakeEngine{calls: logs}, Logger: quiet()})
			if !a.HandleEvent(tt.evt) {
				t.Error("a connection event was not acknowledged")
			}
			if st := a.Status(); st.State != tt.want {
				t.Errorf("state = %s, want %s", st.State, tt.want)
			}
		})
	}
	t.Run("the status says how to pair again and when a ban ends", func(t *testing.T) {
		a := whatsapp.New(&fakeClient{calls: &calls{}}, whatsapp.Options{Engine: &fakeEngine{calls: &calls{}}, Logger: quiet()})
		a.HandleEvent(&events.LoggedOut{Reason: events.ConnectFailureLoggedOut})
		if d := a.Status().Detail; !strings.Contains(d, "sukma whatsapp pair") {
			t.Errorf("logged out detail = %q", d)
		}
		a.HandleEvent(&events.TemporaryBan{Code: events.TempBanBlockedByUsers, Expire: 3600e9})
		if d := a.Status().Detail; !strings.Contains(d, "until about") {
			t.Errorf("ban detail = %q", d)
		}
	})
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
