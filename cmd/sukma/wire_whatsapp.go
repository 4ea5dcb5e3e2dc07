package main

import (
	"context"
	"fmt"
	"log/slog"

	"sukma/bot"
	"sukma/bot/whatsapp"
	"sukma/bot/whatsappcloud"
)

// openWhatsApp sets up the WhatsApp channel that is configured: the Cloud API (webhook and
// sender) when its four settings are set, or the linked device when SUKMA_WHATSAPP_ENABLED
// is true (config.Validate refuses both at once). It sets a.whatsAppNumber for wa.me links.
func (a *App) openWhatsApp(ctx context.Context, d *bot.Dispatcher) error {
	cfg := a.Config
	if cfg.WhatsAppNumber != "" {
		a.whatsAppNumber = cfg.WhatsAppNumber
	}
	switch {
	case cfg.WhatsAppCloud():
		a.openWhatsAppCloud(d)
	case cfg.WhatsAppEnabled:
		return a.openWhatsAppDevice(ctx, d)
	}
	return nil
}

// openWhatsAppCloud serves the Cloud API webhook and registers its sender (which also sends
// the invitations of POST /api/v1/visits with "phone": the web layer allows them when this
// webhook is served). Without
// whatsapp_number, wa.me links stay off: the Cloud API knows the number only by its id.
func (a *App) openWhatsAppCloud(d *bot.Dispatcher) {
	cfg := a.Config
	wa := whatsappcloud.New(whatsappcloud.Options{
		Token: cfg.WhatsAppCloudToken, PhoneNumberID: cfg.WhatsAppCloudPhoneNumberID,
		AppSecret: cfg.WhatsAppCloudAppSecret, VerifyToken: cfg.WhatsAppCloudVerifyToken,
		Endpoint: cfg.WhatsAppCloudAPIEndpoint, Engine: a.Engine, Logger: a.Logger,
		InviteTemplate: cfg.WhatsAppCloudInviteTemplate, InviteLanguage: cfg.WhatsAppCloudInviteLanguage,
	})
	d.Register(bot.ChannelWhatsApp, wa, whatsappcloud.Limits)
	a.webhooks["GET "+whatsappcloud.WebhookPath] = wa.Verify()
	a.webhooks["POST "+whatsappcloud.WebhookPath] = wa.Webhook()
	if a.whatsAppNumber == "" {
		a.Logger.Warn("whatsapp cloud: set SUKMA_WHATSAPP_NUMBER (whatsapp_number) to put wa.me links on the QR codes")
	}
	a.Logger.Info("whatsapp cloud: webhook ready", slog.String("url", cfg.PublicURL+whatsappcloud.WebhookPath))
}

// openWhatsAppDevice opens the linked device's store in our database and registers the
// device: Sukma starts and serves even when no account is linked yet (a warning says how to
// pair; the device comes up within 30 seconds of `sukma whatsapp pair`, its wa.me links after
// a restart).
func (a *App) openWhatsAppDevice(ctx context.Context, d *bot.Dispatcher) error {
	c, err := whatsapp.OpenStore(ctx, a.DB.DB.DB, string(a.DB.Dialect), a.Logger)
	if err != nil {
		return fmt.Errorf("SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): %w", err)
	}
	wa, err := whatsapp.Open(ctx, c, whatsapp.Options{Engine: a.Engine, Logger: a.Logger})
	if err != nil {
		return fmt.Errorf("SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): %w", err)
	}
	a.whatsApp = wa
	if a.whatsAppNumber == "" {
		a.whatsAppNumber = whatsapp.Number(ctx, c)
	}
	if wa.Status().State == whatsapp.StateUnpaired {
		a.Logger.Warn("whatsapp: enabled but no account is linked; " + whatsapp.PairHint)
	}
	// One replica holds the device (two connections of one device kick each other off), and
	// only that replica sends WhatsApp's outbox.
	a.runners = append(a.runners, func(ctx context.Context) {
		a.leader(ctx, "sukma-whatsapp-device", func(ctx context.Context) {
			d.Register(bot.ChannelWhatsApp, wa, whatsapp.Limits(a.Config.WhatsAppPerMinute))
			defer d.Unregister(bot.ChannelWhatsApp)
			wa.Run(ctx)
		})
	})
	return nil
}
