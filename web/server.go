// Package web serves Sukma over HTTP: the JSON API, the web chat, webhooks, the admin UI,
// /healthz and /metrics.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sukma/storage"
)

// Deps is what the handlers need; cmd/sukma fills it.
type Deps struct {
	DB     *storage.DB
	Logger *slog.Logger
	// PublicURL is the base of links and QR codes, without a trailing slash.
	PublicURL string
	// AdminToken is the bearer token of /api/v1.
	AdminToken string
	// TelegramBot returns the bot's username (for t.me links) as known now: empty when
	// Telegram is off or has not been reached yet. nil means off.
	TelegramBot func() string
	// WhatsAppNumber is the account's number in international form (62…) for wa.me links;
	// empty when WhatsApp is off.
	WhatsAppNumber string
	// WhatsAppInvites is set when the WhatsApp Cloud API is on: a visit created with a
	// "phone" then sends the approved template invitation.
	WhatsAppInvites bool
	// Chat serves the web chat under /s/ (GET /s/{token}, GET and POST /s/{token}/messages)
	// and its assets under /chat-assets/.
	Chat http.Handler
	// Health adds the channels' states to /healthz (name → "ok", "disabled" or "down: …").
	Health func() map[string]string
	// Admin serves the admin UI under /admin/.
	Admin http.Handler
	// Webhooks are the channels' inbound endpoints, by pattern ("POST /telegram/webhook").
	Webhooks map[string]http.Handler
	// Location is SUKMA_TIMEZONE.
	Location *time.Location
}

// Pinger is the database as /healthz sees it: Healthy fails when it does not answer, or
// takes no writes (see storage.DB.Healthy).
type Pinger interface {
	Healthy(ctx context.Context) error
}

// Server is Sukma's HTTP handler. Build it with New.
type Server struct {
	Deps
	health Pinger
	mux    *http.ServeMux
}

// New returns a Server with every route registered.
func New(d Deps) *Server {
	s := &Server{Deps: d, health: d.DB, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.Handle("GET /metrics", promhttp.Handler())
	if d.Chat != nil {
		s.mux.Handle("/s/", d.Chat)
		s.mux.Handle("/chat-assets/", d.Chat)
	}
	if d.Admin != nil {
		s.mux.Handle("/admin/", d.Admin)
		s.mux.Handle("GET /admin", http.RedirectHandler("/admin/", http.StatusFound))
	}
	for pattern, h := range d.Webhooks {
		s.mux.Handle(pattern, h)
	}
	s.apiRoutes()
	s.publikRoutes(s.mux)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handleHealth answers 200 {"status":"ok"} when the database answers within two seconds.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	// The check runs beside the answer: a database that accepts connections and never
	// answers holds a query past its context (the driver waits for the server), and the
	// answer must come within the two seconds all the same.
	done := make(chan error, 1)
	go func() { done <- s.health.Healthy(ctx) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		s.Logger.Warn("health check: database does not answer", slog.Any("err", err))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": bilingual("Basis data tidak menjawab", "database does not answer")})
		return
	}
	body := map[string]any{"status": "ok"}
	if s.Health != nil {
		body["channels"] = s.Health()
	}
	writeJSON(w, http.StatusOK, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
