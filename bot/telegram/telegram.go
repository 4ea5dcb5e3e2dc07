// Package telegram is Sukma's Telegram channel: it turns Bot API updates (long polling or a
// webhook) into bot.Inbound for the engine, and sends the outbox's replies as messages with an
// inline keyboard, one button per option and a Lewati (Skip) button under a question that may
// be skipped. It uses github.com/go-telegram-bot-api/telegram-bot-api/v5 for the Bot API
// types and calls, with our own receive loop, HTTP timeouts, context cancellation and token
// redaction around it.
//
// Bot API reference: https://core.telegram.org/bots/api
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"sukma/bot"
)

// Engine is the conversation engine, as this channel uses it (*bot.Engine).
type Engine interface {
	Handle(ctx context.Context, in bot.Inbound) ([]bot.Reply, error)
}

// Options configure an Adapter. Token and Engine are required.
type Options struct {
	Token string
	// Endpoint is the Bot API URL template, "…/bot%s/%s" (token, method); default Telegram's.
	Endpoint string
	// Client makes the HTTP requests; default a client with a 40-second timeout, longer than
	// the long poll.
	Client *http.Client
	Engine Engine
	// Notify is called after the engine stored replies, so that they go out at once.
	Notify func()
	Logger *slog.Logger
	// PollTimeout is how long one getUpdates waits for news (default 30 s).
	PollTimeout time.Duration
}

// Adapter is one Telegram bot.
type Adapter struct {
	opts     Options
	api      *tgbotapi.BotAPI
	log      *slog.Logger
	mu       sync.Mutex
	username string
}

// OldButton is the answer to a button of an earlier question when the chat's language is not
// known (a button Sukma cannot read); else the engine's bot.OldButtonError says it in the
// survey's language.
const OldButton = "Tombol ini sudah tidak berlaku"

// WebhookPath is where Telegram posts updates in webhook mode, below the public URL.
const WebhookPath = "/telegram/webhook"

// Errors of Start.
var (
	// ErrBadToken means Telegram refused the bot token (401/404 on getMe).
	ErrBadToken = errors.New("Telegram rejected the bot token")
)

// Commands is the bot's menu, set at start: in Indonesian for everyone, and with the English
// names of the same commands for a Telegram app set to English (CommandsEnglish).
var Commands = []tgbotapi.BotCommand{
	{Command: "start", Description: "Mulai survei"},
	{Command: "batal", Description: "Batalkan survei"},
	{Command: "bahasa", Description: "Ganti bahasa (Indonesia/English)"},
	{Command: "ulang", Description: "Ulangi survei dari awal"},
}

// CommandsEnglish is the menu of a Telegram app set to English.
var CommandsEnglish = []tgbotapi.BotCommand{
	{Command: "start", Description: "Start the survey"},
	{Command: "cancel", Description: "Cancel the survey"},
	{Command: "language", Description: "Change language (Indonesia/English)"},
	{Command: "restart", Description: "Start the survey over"},
}

// New makes an adapter; it does not call Telegram yet (see Start).
func New(o Options) *Adapter {
	if o.Endpoint == "" {
		o.Endpoint = tgbotapi.APIEndpoint
	}
	if o.Client == nil {
		// The dispatcher sends up to 32 messages at once: keep that many connections
		// open to the one API host, not Go's default of two (a TCP and TLS handshake per
		// message otherwise).
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		o.Client = &http.Client{Timeout: 40 * time.Second, Transport: tr}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.PollTimeout <= 0 {
		o.PollTimeout = 30 * time.Second
	}
	if o.Notify == nil {
		o.Notify = func() {}
	}
	api := &tgbotapi.BotAPI{Token: o.Token, Client: o.Client, Buffer: 100}
	api.SetAPIEndpoint(o.Endpoint)
	return &Adapter{opts: o, api: api, log: o.Logger.With(slog.String("channel", bot.ChannelTelegram))}
}

// Start asks Telegram who the bot is (getMe) and sets its command menu. It returns an error
// wrapping ErrBadToken if Telegram refuses the token, or bot.ErrUnreachable if Telegram
// cannot be reached (worth trying again later).
func (a *Adapter) Start(ctx context.Context) error {
	resp, err := a.call(ctx).MakeRequest("getMe", nil)
	if err != nil {
		var te *tgbotapi.Error
		if errors.As(err, &te) && (te.Code == http.StatusUnauthorized || te.Code == http.StatusNotFound) {
			return fmt.Errorf("%w (%d %s)", ErrBadToken, te.Code, a.redact(te.Message))
		}
		return a.sendError("getMe", err)
	}
	var me tgbotapi.User
	if err := decode(resp, &me); err != nil {
		return fmt.Errorf("telegram: getMe: %w: %w", err, bot.ErrUnreachable)
	}
	a.mu.Lock()
	a.username = me.UserName
	a.mu.Unlock()
	for _, menu := range []tgbotapi.SetMyCommandsConfig{
		tgbotapi.NewSetMyCommands(Commands...),
		tgbotapi.NewSetMyCommandsWithScopeAndLanguage(tgbotapi.NewBotCommandScopeDefault(), "en", CommandsEnglish...),
	} {
		if _, err := a.call(ctx).Request(menu); err != nil {
			a.log.Warn("telegram: could not set the command menu", slog.String("language", menu.LanguageCode),
				slog.Any("error", a.sendError("setMyCommands", err)))
		}
	}
	return nil
}

// Username is the bot's username (for t.me links), known after Start.
func (a *Adapter) Username() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.username
}

// call returns the Bot API client bound to ctx: the library makes requests without a
// context, so each call gets a copy whose HTTP client carries ctx.
func (a *Adapter) call(ctx context.Context) *tgbotapi.BotAPI {
	c := *a.api
	c.Client = ctxClient{ctx: ctx, c: a.opts.Client}
	return &c
}

type ctxClient struct {
	ctx context.Context
	c   *http.Client
}

func decode(resp *tgbotapi.APIResponse, v any) error { return json.Unmarshal(resp.Result, v) }

func (c ctxClient) Do(r *http.Request) (*http.Response, error) { return c.c.Do(r.WithContext(c.ctx)) }

// sendError maps a failed Bot API call to the dispatcher's typed errors, without the token:
// the library's network errors carry the request URL, and the URL carries the token.
func (a *Adapter) sendError(method string, err error) error {
	var te *tgbotapi.Error
	if errors.As(err, &te) {
		msg := fmt.Sprintf("telegram: %s: %d %s", method, te.Code, a.redact(te.Message))
		switch {
		case te.Code == http.StatusTooManyRequests:
			return &bot.ErrThrottled{RetryAfter: time.Duration(max(te.RetryAfter, 1)) * time.Second}
		case te.Code == http.StatusForbidden:
			return fmt.Errorf("%s: %w", msg, bot.ErrStopped)
		case te.Code == http.StatusBadRequest:
			return fmt.Errorf("%s: %w", msg, bot.ErrBadRequest)
		}
		return fmt.Errorf("%s: %w", msg, bot.ErrUnreachable)
	}
	return fmt.Errorf("telegram: %s: %s: %w", method, a.redact(err.Error()), bot.ErrUnreachable)
}

// redact removes the token from a text, in plain and in URL-escaped form.
func (a *Adapter) redact(s string) string {
	if a.opts.Token == "" {
		return s
	}
	for _, t := range []string{a.opts.Token, url.PathEscape(a.opts.Token), url.QueryEscape(a.opts.Token)} {
		s = strings.ReplaceAll(s, t, "<token>")
	}
	return s
}
