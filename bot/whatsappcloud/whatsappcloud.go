// Package whatsappcloud is Sukma's channel for the official WhatsApp Business Cloud API, for
// agencies that have a business account: Meta posts the citizens' messages to a webhook, which
// turns them into bot.Inbound for the engine, and the outbox's replies go out as Graph API
// messages, options as reply buttons or a list. It also sends the one message Sukma starts a
// chat with: the survey invitation, an approved template.
//
// Cloud API reference: https://developers.facebook.com/docs/whatsapp/cloud-api
package whatsappcloud

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sukma/bot"
)

// DefaultEndpoint is the Graph API base URL, with its version.
const DefaultEndpoint = "https://graph.facebook.com/v21.0"

// WebhookPath is where Meta posts events and asks for the verification challenge.
const WebhookPath = "/whatsapp/webhook"

// Engine is the conversation engine, as this channel uses it (*bot.Engine).
type Engine interface {
	Handle(ctx context.Context, in bot.Inbound) ([]bot.Reply, error)
}

// DefaultInviteTemplate and DefaultInviteLanguage name the invitation template when none is
// configured. Its body takes one parameter, the visit's token: "… balas SKM {{1}} …".
const (
	DefaultInviteTemplate = "sukma_undangan_survei"
	DefaultInviteLanguage = "id"
)

// Options configure an Adapter. Token, PhoneNumberID, AppSecret, VerifyToken and Engine are
// required.
type Options struct {
	Token         string // a system user's access token
	PhoneNumberID string // the sending number's id (not the number itself)
	AppSecret     string // signs the webhook's POSTs (X-Hub-Signature-256)
	VerifyToken   string // Meta sends it back when the webhook is registered
	// Endpoint is the Graph API base URL with its version; default DefaultEndpoint.
	Endpoint string
	// InviteTemplate and InviteLanguage name the approved template of the survey invitation
	// (a Reply whose Template has no name); default DefaultInviteTemplate in
	// DefaultInviteLanguage.
	InviteTemplate, InviteLanguage string
	// Client makes the HTTP requests; default a client with a 30-second timeout.
	Client *http.Client
	Engine Engine
	// Notify is called after the engine stored replies, so that they go out at once.
	Notify func()
	Logger *slog.Logger
}

// Adapter is one WhatsApp Business phone number on the Cloud API.
type Adapter struct {
	opts Options
	log  *slog.Logger
}

// Limits keep well under the Cloud API's throughput (80 messages a second by default) and its
// pair rate limit (about one message every 6 seconds to one number, with short bursts allowed):
// a greeting and its first question may go together, then one a second.
var Limits = bot.Limits{PerSecond: 40, Burst: 40, PerChat: 1, PerChatBurst: 3}

// New makes an adapter; it calls nothing yet.
func New(o Options) *Adapter {
	if o.Endpoint == "" {
		o.Endpoint = DefaultEndpoint
	}
	o.Endpoint = strings.TrimRight(o.Endpoint, "/")
	if o.Client == nil {
		// The dispatcher sends up to 32 messages at once: keep that many connections
		// open to the one API host, not Go's default of two (a TCP and TLS handshake per
		// message otherwise).
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		o.Client = &http.Client{Timeout: 30 * time.Second, Transport: tr}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.InviteTemplate == "" {
		o.InviteTemplate = DefaultInviteTemplate
	}
	if o.InviteLanguage == "" {
		o.InviteLanguage = DefaultInviteLanguage
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	return &Adapter{opts: o, log: o.Logger.With(slog.String("channel", bot.ChannelWhatsApp), slog.String("api", "cloud"))}
}

// redact removes the access token and the app secret from a text, for logs and errors.
func (a *Adapter) redact(s string) string {
	for _, secret := range []string{a.opts.Token, a.opts.AppSecret, a.opts.VerifyToken} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "<secret>")
		}
	}
	return s
}

// Mask shortens a phone number for logs: 6281234565678 → 62812****5678. Numbers are chat ids
// and personal data; a log needs only enough to tell two apart.
func Mask(number string) string {
	if len(number) <= 9 {
		return strings.Repeat("*", len(number))
	}
	return number[:5] + "****" + number[len(number)-4:]
}
