// Package whatsapp is Sukma's WhatsApp channel as a linked device (go.mau.fi/whatsmeow): the
// account is paired once with `sukma whatsapp pair`, its keys live in Sukma's database
// (whatsmeow's own whatsmeow_* tables), and the device receives citizens' one-to-one messages
// as bot.Inbound and sends the outbox's replies as plain text with numbered options (buttons
// and lists do not render for linked devices).
//
// A linked device that behaves like a robot gets its number banned, so it only ever answers
// (citizens write first, through a wa.me link), marks each message read, shows "typing…"
// before each reply, and sends slowly (Limits).
package whatsapp

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"

	"sukma/bot"
)

// Engine is the conversation engine, as this channel uses it (*bot.Engine).
type Engine interface {
	Handle(ctx context.Context, in bot.Inbound) ([]bot.Reply, error)
}

// Client is what the channel calls on the WhatsApp connection (*whatsmeow.Client); tests
// pass a fake that records the calls.
type Client interface {
	MarkRead(ctx context.Context, ids []types.MessageID, timestamp time.Time, chat, sender types.JID, receiptTypeExtra ...types.ReceiptType) error
	SendChatPresence(ctx context.Context, jid types.JID, state types.ChatPresence, media types.ChatPresenceMedia) error
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	Upload(ctx context.Context, plaintext []byte, appInfo whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
}

// Options configure an Adapter. Engine is required.
type Options struct {
	Engine Engine
	// Notify is called after the engine stored replies, so that they go out at once.
	Notify func()
	Logger *slog.Logger
	// Typing is how long "typing…" shows before a reply at most (default 1.2 s); the actual
	// pause is drawn between a third and all of it, so replies do not come like clockwork.
	Typing time.Duration
}

// Adapter is the linked-device channel: it turns whatsmeow events into engine steps and
// sends replies (it is the dispatcher's bot.Sender).
type Adapter struct {
	opts   Options
	log    *slog.Logger
	client Client
	device *device // nil with a test client

	mu     sync.Mutex
	status Status
}

// State is where the linked device stands.
type State string

// States of the linked device.
const (
	StateUnpaired     State = "unpaired"     // no account linked yet: run `sukma whatsapp pair`
	StateConnecting   State = "connecting"   // linked, (re)connecting
	StateConnected    State = "connected"    // receiving and sending
	StateDisconnected State = "disconnected" // connection lost; reconnecting on its own
	StateLoggedOut    State = "logged_out"   // unlinked from the phone: pair again
	StateReplaced     State = "replaced"     // another process uses the same device
	StateBanned       State = "banned"       // temporarily banned by WhatsApp
	StateOutdated     State = "outdated"     // WhatsApp refuses this whatsmeow version
)

// Status is the channel's state for /healthz and the admin pages. Detail says what to do when
// the state needs a person; Number is the linked account (masked).
type Status struct {
	State  State     `json:"state"`
	Detail string    `json:"detail,omitempty"`
	Number string    `json:"number,omitempty"`
	Since  time.Time `json:"since"`
}

// New makes an adapter on a client (a *whatsmeow.Client, or a fake in tests). Open makes one
// on the device stored in the database.
func New(c Client, o Options) *Adapter {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	if o.Typing <= 0 {
		o.Typing = 1200 * time.Millisecond
	}
	return &Adapter{
		opts: o, client: c, log: o.Logger.With(slog.String("channel", bot.ChannelWhatsApp)),
		status: Status{State: StateConnecting, Since: time.Now()},
	}
}

// conn is the current connection (Run replaces it when an account is linked again).
func (a *Adapter) conn() Client {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.client
}

// Status returns the linked device's state now.
func (a *Adapter) Status() Status {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.status
}

func (a *Adapter) setStatus(s State, detail string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.status.State == s && a.status.Detail == detail {
		return
	}
	a.status.State, a.status.Detail, a.status.Since = s, detail, time.Now()
}

// Limits are the linked device's sending rates: about one message a second per chat (with a
// burst of three, for a greeting and its question) and perMinute messages a minute overall.
func Limits(perMinute float64) bot.Limits {
	if perMinute <= 0 {
		perMinute = 20
	}
	return bot.Limits{PerSecond: perMinute / 60, Burst: 3, PerChat: 1, PerChatBurst: 3}
}

// Mask shortens a phone number for logs: 6281234565678 → 62812****5678. A JID keeps its
// server: 6281234565678@s.whatsapp.net → 62812****5678@s.whatsapp.net.
func Mask(number string) string {
	user, server, found := strings.Cut(number, "@")
	if len(user) <= 9 {
		user = strings.Repeat("*", len(user))
	} else {
		user = user[:5] + "****" + user[len(user)-4:]
	}
	if found {
		return user + "@" + server
	}
	return user
}

// longNumber finds runs of digits long enough to be a phone number or a LID.
var longNumber = regexp.MustCompile(`\d{10,}`)

// maskAll masks every phone number in a text (whatsmeow's log lines carry JIDs).
func maskAll(s string) string { return longNumber.ReplaceAllStringFunc(s, Mask) }
