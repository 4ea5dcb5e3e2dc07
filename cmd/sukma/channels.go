package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
)

// telegramLimits are Telegram's sending rates; tests that play a citizen faster than any
// person raise them.
var telegramLimits = bot.TelegramLimits

// openChannels sets up the enabled messaging channels (Telegram, WhatsApp) and the outbox
// dispatcher: their webhooks in a.webhooks, their link targets, and their loops in a.runners.
func (a *App) openChannels(ctx context.Context) error {
	if a.webhooks == nil {
		a.webhooks = map[string]http.Handler{}
	}
	d := &bot.Dispatcher{DB: a.DB, Logger: a.Logger}
	// The engine hands the dispatcher the replies it writes, and tells it of those it could
	// not claim: the channels need not Notify it.
	a.Engine.Dispatch = d
	a.runners = append(a.runners, d.Run) // harmless with no channel: it sends nothing
	if err := a.openTelegram(ctx, d); err != nil {
		return err
	}
	return a.openWhatsApp(ctx, d)
}

// openTelegram starts the Telegram bot when SUKMA_TELEGRAM_TOKEN is set. A token Telegram
// refuses stops the start-up; an unreachable Telegram does not: the bot comes up in the
// background when Telegram answers, and visits get t.me links from then on.
func (a *App) openTelegram(ctx context.Context, d *bot.Dispatcher) error {
	cfg := a.Config
	if cfg.TelegramToken == "" {
		return nil
	}
	tg := telegram.New(telegram.Options{
		Token: cfg.TelegramToken, Endpoint: cfg.TelegramAPIEndpoint,
		Engine: a.Engine, Logger: a.Logger,
	})
	a.telegram = tg
	startCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	err := tg.Start(startCtx)
	cancel()
	started := err == nil
	switch {
	case errors.Is(err, telegram.ErrBadToken):
		return fmt.Errorf("SUKMA_TELEGRAM_TOKEN (telegram_token): token ditolak Telegram, periksa token dari @BotFather (%w)", err)
	case err != nil:
		a.Logger.Warn("telegram: cannot reach Telegram; will keep trying in the background", slog.Any("error", err))
	default:
		a.Logger.Info("telegram: bot is ready", slog.String("bot", tg.Username()), slog.String("mode", cfg.TelegramMode))
	}
	d.Register(bot.ChannelTelegram, tg, telegramLimits)
	if cfg.TelegramMode == "webhook" {
		a.webhooks["POST "+telegram.WebhookPath] = tg.Webhook(cfg.TelegramWebhookSecret)
	}
	a.runners = append(a.runners, func(ctx context.Context) {
		if !started && !retry(ctx, a.Logger, "getMe", tg.Start) {
			return
		}
		if cfg.TelegramMode != "webhook" {
			// Telegram serves one long poll per bot: with replicas, one of them polls.
			botID, _, _ := strings.Cut(cfg.TelegramToken, ":") // the public part of the token
			a.leader(ctx, "sukma-telegram-polling-"+botID, tg.Poll)
			return
		}
		url := cfg.PublicURL + telegram.WebhookPath
		if retry(ctx, a.Logger, "setWebhook", func(ctx context.Context) error { return tg.SetWebhook(ctx, url, cfg.TelegramWebhookSecret) }) {
			a.Logger.Info("telegram: webhook registered", slog.String("url", url))
		}
	})
	return nil
}

// telegramUsername is the bot's username for t.me links: empty while Telegram is off or not
// reached yet.
func (a *App) telegramUsername() string {
	if a.telegram == nil {
		return ""
	}
	return a.telegram.Username()
}

// retry calls fn until it succeeds (true), fails for good, or ctx ends (false). Only an
// unreachable Telegram is worth another try; waits grow from 2 seconds to 5 minutes.
func retry(ctx context.Context, log *slog.Logger, what string, fn func(context.Context) error) bool {
	wait := 2 * time.Second
	for {
		err := fn(ctx)
		if err == nil {
			return true
		}
		if !errors.Is(err, bot.ErrUnreachable) {
			log.Error("telegram: "+what+" failed; Telegram is off until the next start", slog.Any("error", err))
			return false
		}
		log.Warn("telegram: "+what+" failed; trying again", slog.Any("error", err), slog.Duration("retry_in", wait))
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Minute)
	}
}

// leader runs fn while this process holds the database lock called name, and waits for the
// lock while another replica holds it. If the lock's connection is lost or stops answering
// (checked every 5 seconds), fn is stopped and the lock taken again.
func (a *App) leader(ctx context.Context, name string, fn func(context.Context)) {
	for ctx.Err() == nil {
		lock, err := a.DB.TryLeaderLock(ctx, name)
		if err != nil {
			a.Logger.Warn("leader lock failed", slog.String("lock", name), slog.Any("error", err))
		}
		if lock == nil {
			// Another replica holds it: try again soon, as it is free as soon as that
			// replica's connection closes (a killed replica). A failing database gets
			// longer waits.
			wait := 2 * time.Second
			if err != nil {
				wait = 15 * time.Second
			}
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
			continue
		}
		run, stop := context.WithCancel(ctx)
		go func() {
			defer stop()
			for {
				select {
				case <-run.Done():
					return
				case <-time.After(5 * time.Second):
					if err := lock.Alive(run); err != nil && run.Err() == nil {
						a.Logger.Warn("leader lock lost", slog.String("lock", name), slog.Any("error", err))
						return
					}
				}
			}
		}()
		fn(run)
		stop()
		lock.Release()
	}
}
