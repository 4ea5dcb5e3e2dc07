// Package web serves Sukma over HTTP: the JSON API, the web chat, webhooks, the admin UI,
// /healthz and /metrics.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"
)

// Pinger is the database as /healthz sees it.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Server holds what the handlers need. Build it with New.
type Server struct {
	DB     Pinger
	Logger *slog.Logger

	mux *http.ServeMux
}

// New returns a Server with every route registered.
func New(db Pinger, logger *slog.Logger) *Server {
	s := &Server{DB: db, Logger: logger, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// handleHealth answers 200 {"status":"ok"} when the database answers within two seconds.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Logger.Warn("health check: database does not answer", slog.Any("err", err))
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database does not answer"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
