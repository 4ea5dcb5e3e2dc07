package whatsapp_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.mau.fi/whatsmeow"

	"sukma/bot"
	"sukma/bot/whatsapp"
)

func TestSendShowsTypingThenNumberedOptions(t *testing.T) {
	c := &calls{}
	fc := &fakeClient{calls: c}
	a := whatsapp.New(fc, whatsapp.Options{Engine: &fakeEngine{calls: c}, Logger: quiet(), Typing: 1})
	err := a.Send(context.Background(), citizenJID.String(), bot.Reply{Text: "Bagaimana?", Options: []bot.Option{{Label: "Tidak sesuai"}, {Label: "Sangat sesuai"}}})
	if err != nil {
		t.Fatal(err)
	}
	to := citizenJID.String()
	if want := []string{"presence " + to + " composing", "send " + to, "presence " + to + " paused"}; !slices.Equal(c.all(), want) {
		t.Errorf("calls = %q, want %q", c.all(), want)
	}
	if len(fc.sent) != 1 || fc.sent[0].GetConversation() != "Bagaimana?\n\n1. Tidak sesuai\n2. Sangat sesuai" {
		t.Errorf("sent %v, want the text and numbered options", fc.sent)
	}
}

func TestSendUploadsAPhoto(t *testing.T) {
	c := &calls{}
	fc := &fakeClient{calls: c}
	a := whatsapp.New(fc, whatsapp.Options{Engine: &fakeEngine{calls: c}, Logger: quiet(), Typing: 1})
	if err := a.Send(context.Background(), citizenJID.String(), bot.Reply{Text: "IKM 88,1", Photo: []byte("png!")}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.all(), "upload 4 bytes") || len(fc.sent) != 1 {
		t.Fatalf("calls = %q, want an upload and one message", c.all())
	}
	img := fc.sent[0].GetImageMessage()
	if img.GetCaption() != "IKM 88,1" || img.GetMimetype() != "image/png" || img.GetDirectPath() != "/x" || img.GetFileLength() != 4 {
		t.Errorf("image = %v, want the upload's fields and the text as caption", img)
	}
}

func TestSendErrorsAreTyped(t *testing.T) {
	tests := []struct {
		name    string
		chat    string
		sendErr error
		want    error
	}{
		{"a group is not a chat to send to", "120363000000000000@g.us", nil, bot.ErrBadRequest},
		{"a chat id that is not a JID is refused", "not a jid@@", nil, bot.ErrBadRequest},
		{"a lost connection is unreachable", citizenJID.String(), whatsmeow.ErrNotConnected, bot.ErrUnreachable},
		{"a timeout is unreachable", citizenJID.String(), whatsmeow.ErrMessageTimedOut, bot.ErrUnreachable},
		{"an unknown server is a bad request", citizenJID.String(), whatsmeow.ErrUnknownServer, bot.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := whatsapp.New(&fakeClient{calls: &calls{}, sendErr: tt.sendErr}, whatsapp.Options{Engine: &fakeEngine{calls: &calls{}}, Logger: quiet(), Typing: 1})
			if err := a.Send(context.Background(), tt.chat, bot.Reply{Text: "halo"}); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestLimitsAreCautious(t *testing.T) {
	l := whatsapp.Limits(20)
	if l.PerSecond != 20.0/60 || l.PerChat != 1 || l.Burst < 1 {
		t.Errorf("Limits(20) = %+v, want 20 a minute overall and one a second per chat", l)
	}
	if d := whatsapp.Limits(0); d.PerSecond != 20.0/60 {
		t.Errorf("Limits(0) = %+v, want the default of 20 a minute", d)
	}
}

func TestMaskHidesTheMiddleOfNumbers(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"a number keeps its first five and last four digits", citizen, "62812****5678"},
		{"a JID keeps its server", citizen + "@s.whatsapp.net", "62812****5678@s.whatsapp.net"},
		{"a short id is hidden whole", "12345", "*****"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := whatsapp.Mask(tt.in); got != tt.want {
				t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestALinkedDeviceNeverSendsATemplate(t *testing.T) {
	c := &calls{}
	fc := &fakeClient{calls: c}
	a := whatsapp.New(fc, whatsapp.Options{Engine: &fakeEngine{calls: c}, Logger: quiet(), Typing: 1})
	err := a.Send(context.Background(), citizenJID.String(), bot.Reply{Template: &bot.Template{Name: "sukma_undangan_survei", Params: []string{"tok"}}})
	if !errors.Is(err, bot.ErrBadRequest) || len(fc.sent) != 0 || len(c.all()) != 0 {
		t.Errorf("Send of a template = %v, sent %v, calls %q; want it refused before anything is sent", err, fc.sent, c.all())
	}
}

// A subscriber added through the JSON API is a number (6281…), not a JID: the digest goes to
// that number's chat.
func TestSendToANumberGoesToItsChat(t *testing.T) {
	c := &calls{}
	fc := &fakeClient{calls: c}
	a := whatsapp.New(fc, whatsapp.Options{Engine: &fakeEngine{calls: c}, Logger: quiet(), Typing: 1})
	if err := a.Send(context.Background(), citizenJID.User, bot.Reply{Text: "Ringkasan SKM"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(c.all(), "send "+citizenJID.String()) {
		t.Errorf("calls = %q, want a send to %s", c.all(), citizenJID)
	}
}
