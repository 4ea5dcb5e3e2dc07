package main

import (
	"context"
	"time"

	"sukma/bot"
	"sukma/digest"
)

// digestService is the digest and alert sender of this app's database and settings.
func (a *App) digestService() *digest.Service {
	return &digest.Service{DB: a.DB, Location: a.Config.Location, PublicURL: a.Config.PublicURL, Logger: a.Logger}
}

// openDigests registers the subscribers' chat commands (/langganan, /subscribe, /berhenti,
// /unsubscribe) on the engine, and runs the digest scheduler (every minute) and the alerts
// (every 20 seconds) beside the server. Both are safe with several replicas: every digest
// and every alert is claimed in the database before it is written to the outbox.
func (a *App) openDigests(ctx context.Context) error {
	d := a.digestService()
	if a.Engine.Commands == nil {
		a.Engine.Commands = map[string]bot.CommandFunc{}
	}
	for name, fn := range d.Commands() {
		a.Engine.Commands[name] = fn
	}
	a.runners = append(a.runners,
		func(ctx context.Context) { d.RunScheduler(ctx, time.Minute) },
		func(ctx context.Context) { d.RunAlerts(ctx, 20*time.Second) },
	)
	return nil
}
