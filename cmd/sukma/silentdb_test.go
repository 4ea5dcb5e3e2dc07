package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"sukma/config"
	"sukma/storage/storagetest"
)

// A PostgreSQL that accepts connections and never answers (a hung server, a cut network)
// must not hang Sukma: /healthz answers 503 within its two seconds, and a shutdown ends
// within its drain, without the queries stuck on the database.
func TestASilentDatabaseFailsTheHealthCheckAndTheShutdownInTime(t *testing.T) {
	proxy, proxied := storagetest.NewFreezeProxy(t, storagetest.PostgresURL(t))
	cfg := config.Default()
	cfg.DatabaseURL = proxied
	cfg.HTTPAddr = "127.0.0.1:0"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app, err := Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	app.Drain = 2 * time.Second
	done := make(chan error, 1)
	go func() { done <- app.Run(ctx) }()
	base := "http://" + app.Addr()
	health := func() (int, time.Duration) {
		began := time.Now()
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Get(base + "/healthz")
		if err != nil {
			t.Fatalf("GET /healthz: %v", err)
		}
		resp.Body.Close()
		return resp.StatusCode, time.Since(began)
	}
	if code, _ := health(); code != 200 {
		t.Fatalf("/healthz before the database went silent: %d", code)
	}

	proxy.Freeze(true)
	for i := range 3 { // the pool's connection, then new ones
		if code, took := health(); code != 503 || took > 3*time.Second {
			t.Errorf("/healthz %d with the database silent: %d after %v, want 503 within 2 seconds", i+1, code, took)
		}
	}
	// A request stuck on the database, as a citizen's answer would be.
	go http.Get(base + "/api/v1/units")

	began := time.Now()
	cancel()
	select {
	case <-done:
		if took := time.Since(began); took > 2*time.Second+6*time.Second {
			t.Errorf("the shutdown took %v, want the 2-second drain and at most 5 seconds to close", took)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the shutdown still waits on the silent database after 30 seconds")
	}
	proxy.Freeze(false)
}
