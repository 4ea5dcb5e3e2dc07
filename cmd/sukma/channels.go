package main

import "context"

// openChannels sets up the enabled messaging channels (Telegram, WhatsApp) and the outbox
// dispatcher: their webhooks in a.webhooks, their link targets, and their loops in a.runners.
func (a *App) openChannels(ctx context.Context) error {
	return nil
}
