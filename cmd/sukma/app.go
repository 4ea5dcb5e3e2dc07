package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"sukma/config"
	"sukma/storage"
	"sukma/web"
)

// App is a running Sukma: the database and the HTTP server, and whatever runs beside them.
// Tests boot it on :0 with a temporary database.
type App struct {
	Config config.Config
	Logger *slog.Logger

	DB       *storage.DB
	listener net.Listener
	server   *http.Server
}

// Open opens the database (migrating it) and binds the HTTP address; it serves nothing yet.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	a := &App{Config: cfg, Logger: logger}
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): %w", err)
	}
	a.DB = db
	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("SUKMA_HTTP_ADDR (http_addr): cannot listen on %s: %w", cfg.HTTPAddr, err)
	}
	a.listener = ln
	a.server = &http.Server{
		Handler:           web.New(web.Deps{DB: db, Logger: logger, PublicURL: cfg.PublicURL, AdminToken: cfg.AdminToken, Location: cfg.Location}),
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

// Run serves until ctx is done, then shuts down gracefully: in-flight requests finish (up to
// 30 seconds), then the database closes.
func (a *App) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- a.server.Serve(a.listener) }()
	a.Logger.Info("sukma is serving", slog.String("addr", a.Addr()), slog.String("url", a.Config.PublicURL))

	var err error
	select {
	case <-ctx.Done():
		a.Logger.Info("shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		err = a.server.Shutdown(shutdownCtx)
	case err = <-errc:
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	if cerr := a.DB.Close(); err == nil {
		err = cerr
	}
	return err
}
