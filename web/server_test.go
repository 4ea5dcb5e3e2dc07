package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sukma/storage/storagetest"
)

func TestHealthz(t *testing.T) {
	closed := storagetest.SQLite(t)
	closed.Close()
	tests := []struct {
		name   string
		db     Pinger
		status int
		body   string
	}{
		{"answers ok when the database answers", storagetest.SQLite(t), 200, `{"status":"ok"}` + "\n"},
		{"answers 503 when the database does not", closed, 503, `{"error":"Basis data tidak menjawab (database does not answer)","status":"unavailable"}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			s.health = tt.db
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
			if rec.Code != tt.status || rec.Body.String() != tt.body {
				t.Errorf("got %d %s, want %d %s", rec.Code, rec.Body, tt.status, tt.body)
			}
		})
	}
}

func TestMetricsAreServed(t *testing.T) {
	s := New(Deps{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Errorf("GET /metrics = %d %.200s", rec.Code, rec.Body)
	}
}
