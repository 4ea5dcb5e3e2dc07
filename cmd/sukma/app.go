package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"path/filepath"
	"sync"
	"time"

	"sukma/bot"
	"sukma/bot/telegram"
	"sukma/bot/webchat"
	"sukma/bot/whatsapp"
	"sukma/config"
	"sukma/redact"
	"sukma/storage"
	"sukma/web"
	"sukma/web/admin"
	"sukma/web/clientip"
)

// App is a running Sukma: the database and the HTTP server, and whatever runs beside them.
// Tests boot it on :0 with a temporary database.
type App struct {
	Config config.Config
	Logger *slog.Logger

	DB     *storage.DB
	Engine *bot.Engine
	// Out receives what a person starting Sukma must see once (the generated admin token).
	Out      io.Writer
	listener net.Listener
	// Filled by openChannels: the channels' webhooks, link targets, and what runs beside
	// the HTTP server until shutdown.
	webhooks       map[string]http.Handler
	telegram       *telegram.Adapter
	whatsApp       *whatsapp.Adapter
	whatsAppNumber string
	runners        []func(ctx context.Context)
	server         *http.Server
	// Drain bounds the shutdown (default 30 seconds).
	Drain time.Duration
	// unlock ends the one-server lock of a SQLite file (lockServe).
	unlock func()
}

// Open opens the database (migrating it) and binds the HTTP address; it serves nothing yet.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger, out io.Writer) (*App, error) {
	// The address is bound first: with port 0 the links printed and sent from here on name
	// the port the system chose.
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return nil, fmt.Errorf("SUKMA_HTTP_ADDR (http_addr): tidak dapat membuka %s untuk melayani: %w", cfg.HTTPAddr, err)
	}
	if _, port, _ := net.SplitHostPort(cfg.HTTPAddr); port == "0" && cfg.PublicURL == config.DefaultPublicURL(cfg.HTTPAddr) {
		cfg.PublicURL = config.DefaultPublicURL(ln.Addr().String())
	}
	a := &App{Config: cfg, Logger: logger, Out: out, listener: ln, unlock: func() {}}
	if path := storage.SQLitePath(cfg.DatabaseURL); path != "" {
		if a.unlock, err = lockServe(path); err != nil {
			ln.Close()
			return nil, err
		}
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		ln.Close()
		a.unlock()
		return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): basis data tidak dapat dibuka: %w", err)
	}
	a.DB = db
	fail := func(err error) (*App, error) {
		db.Close()
		ln.Close()
		a.unlock()
		return nil, err
	}
	token, secret, err := bootstrap(ctx, db, cfg.AdminToken, cfg.PublicURL, a.Out, logger)
	if errors.Is(err, errAdminTokenMissing) {
		return fail(err) // a setting to fix, named already
	} else if err != nil {
		return fail(fmt.Errorf("persiapan awal: %w", err))
	}
	a.Config.AdminToken = token
	a.Engine = &bot.Engine{DB: db, Secret: secret, Location: cfg.Location, Logger: logger, Batch: batching(db.Dialect), WebStarts: &bot.StartLimit{}}
	a.runners = append(a.runners, func(ctx context.Context) { a.Engine.RunSweeper(ctx, 30*time.Second) })
	if err := a.openDigests(ctx); err != nil {
		return fail(err)
	}
	if err := a.openChannels(ctx); err != nil {
		return fail(err)
	}
	chat := webchat.New(a.Engine, logger)
	chat.ClientIP = func(r *http.Request) string { return clientip.Of(r, cfg.Proxies) }
	a.server = &http.Server{
		Handler: web.New(web.Deps{
			DB: db, Logger: logger, PublicURL: cfg.PublicURL, AdminToken: token, Location: cfg.Location,
			Chat: chat, Webhooks: a.webhooks,
			Admin: admin.New(admin.Deps{DB: db, Logger: logger, AdminToken: token, PublicURL: cfg.PublicURL, LocalLinks: localLinks(cfg), Location: cfg.Location,
				Channels: channelStatus{a}, WhatsApp: a.adminWhatsApp(), TrustedProxies: cfg.Proxies}),
			Health:      channelStatus{a}.health,
			TelegramBot: a.telegramUsername, WhatsAppNumber: a.whatsAppNumber,
			WhatsAppInvites: cfg.WhatsAppCloudToken != "",
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	return a, nil
}

// Addr is the address the HTTP server listens on (useful with :0).
func (a *App) Addr() string { return a.listener.Addr().String() }

// Run serves until ctx is done, then shuts down gracefully within Drain (default 30
// seconds): in-flight requests and the background work finish, then the database closes. A
// database that stopped answering holds them past their contexts; at the deadline Run
// returns without them.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.listener) }()
	background, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, r := range a.runners {
		wg.Go(func() { r(background) })
	}
	// The database too: a replica started without SUKMA_DATABASE_URL serves a new SQLite file of
	// its own, and this line is where an operator sees it.
	a.Logger.Info("sukma is serving", slog.String("addr", a.Addr()), slog.String("url", a.Config.PublicURL), slog.String("admin", a.Config.PublicURL+"/admin/"),
		slog.String("database", databaseShown(a.Config.DatabaseURL)))
	if localLinks(a.Config) {
		a.Logger.Warn("SUKMA_PUBLIC_URL tidak diisi: tautan survei dan kode QR memakai " + a.Config.PublicURL +
			", yang tidak terbuka dari ponsel warga; isi SUKMA_PUBLIC_URL dengan alamat Sukma yang dibuka warga")
	}

	var err error
	select {
	case <-ctx.Done():
		a.Logger.Info("shutting down")
	case err = <-errc:
	}
	drain := a.Drain
	if drain <= 0 {
		drain = 30 * time.Second
	}
	deadline, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	if ctx.Err() != nil {
		err = a.server.Shutdown(deadline)
	}
	stopBackground()
	if !within(deadline, wg.Wait) {
		a.Logger.Error("shutdown: background work still running at the deadline (does the database answer?); stopping without it")
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	closed := make(chan error, 1)
	go func() { closed <- a.DB.Close() }()
	defer a.unlock()
	select {
	case cerr := <-closed:
		if err == nil {
			err = cerr
		}
	case <-time.After(5 * time.Second): // it waits for the queries under way
		if err == nil {
			err = errors.New("the database did not close within 5 seconds")
		}
	}
	return err
}

// localLinks reports whether survey links name this machine only, SUKMA_PUBLIC_URL not set:
// citizens' phones cannot open them.
func localLinks(cfg config.Config) bool {
	u, err := url.Parse(cfg.PublicURL)
	return cfg.PublicURLDerived && err == nil && isLoopback(u.Hostname())
}

// isLoopback reports whether host names this machine only.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// within runs f and reports whether it returned before ctx ended; if not, f goes on alone.
func within(ctx context.Context, f func()) bool {
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// batching is the engine's group commit: the steps of concurrent messages share a
// transaction and a few statements (storage.WriteBatch). Two batches side by side on
// PostgreSQL, so that one's round trips overlap the other's; one on SQLite, whose one writer
// takes them in turn anyway. Up to 64 steps a batch: with 100 citizens answering at once a
// batch averaged 12 (BENCHMARKS.md, section 2).
func batching(d storage.Dialect) bot.Batching {
	if d == storage.Postgres {
		return bot.Batching{Max: 64, Workers: 2}
	}
	return bot.Batching{Max: 64, Workers: 1}
}

// databaseShown is the database URL as logged: without its password, and an SQLite file by
// its absolute path, which says in which folder a relative one was made.
func databaseShown(databaseURL string) string {
	if path := storage.SQLitePath(databaseURL); path != "" {
		if abs, err := filepath.Abs(path); err == nil {
			return "sqlite:" + abs
		}
	}
	return redact.URL(databaseURL)
}
