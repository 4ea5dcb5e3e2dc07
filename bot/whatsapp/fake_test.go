package whatsapp_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"sukma/bot"
)

// calls records, in order, what the channel did: the engine's steps and the client's calls.
type calls struct {
	mu  sync.Mutex
	log []string
}

func (c *calls) add(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.log = append(c.log, fmt.Sprintf(format, args...))
}

func (c *calls) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.log...)
}

// fakeClient is the WhatsApp connection, recording every call.
type fakeClient struct {
	calls   *calls
	sendErr error
	sent    []*waE2E.Message
}

func (f *fakeClient) MarkRead(_ context.Context, ids []types.MessageID, _ time.Time, chat, _ types.JID, _ ...types.ReceiptType) error {
	f.calls.add("read %s %s", chat, ids[0])
	return nil
}

func (f *fakeClient) SendChatPresence(_ context.Context, jid types.JID, state types.ChatPresence, _ types.ChatPresenceMedia) error {
	f.calls.add("presence %s %s", jid, state)
	return nil
}

func (f *fakeClient) SendMessage(_ context.Context, to types.JID, m *waE2E.Message, _ ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error) {
	f.calls.add("send %s", to)
	if f.sendErr != nil {
		return whatsmeow.SendResponse{}, f.sendErr
	}
	f.calls.mu.Lock()
	f.sent = append(f.sent, m)
	f.calls.mu.Unlock()
	return whatsmeow.SendResponse{ID: "out"}, nil
}

func (f *fakeClient) Upload(_ context.Context, b []byte, _ whatsmeow.MediaType) (whatsmeow.UploadResponse, error) {
	f.calls.add("upload %d bytes", len(b))
	return whatsmeow.UploadResponse{URL: "https://mmg.example/x", DirectPath: "/x", MediaKey: []byte("k"), FileLength: uint64(len(b))}, nil
}

// fakeEngine records the steps and fails when told to.
type fakeEngine struct {
	calls *calls
	err   error
}

func (e *fakeEngine) Handle(_ context.Context, in bot.Inbound) ([]bot.Reply, error) {
	e.calls.add("handle %s %q", in.EventID, in.Text)
	if e.err != nil {
		return nil, e.err
	}
	return []bot.Reply{{Text: "ok"}}, nil
}

var errDatabase = errors.New("database is down")

const citizen = "6281234565678"

var (
	citizenJID = types.NewJID(citizen, types.DefaultUserServer)
	ownJID     = types.NewJID("6285550001111", types.DefaultUserServer)
)

// textEvent is a one-to-one text message from the citizen.
func textEvent(id, text string) *events.Message {
	return &events.Message{
		Info: types.MessageInfo{
			MessageSource: types.MessageSource{Chat: citizenJID, Sender: citizenJID},
			ID:            id, Timestamp: time.Now().Truncate(time.Second), // as WhatsApp dates a message: in seconds
		},
		Message: &waE2E.Message{Conversation: proto.String(text)},
	}
}
