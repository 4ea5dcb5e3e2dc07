package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sukma/internal/logtest"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A client that stops a CSV download part way is no error of the server's: it is logged at
// INFO, so that ERROR stays for what an operator must look at.
func TestADownloadStoppedByTheClientIsNoError(t *testing.T) {
	db := storagetest.SQLite(t)
	if _, err := db.SeedDemo(context.Background(), storage.DemoOptions{Units: 2, Months: 12, Responses: 1000, Seed: 1, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	s := New(Deps{DB: db, Logger: slog.New(slog.NewTextHandler(&logs, nil)), PublicURL: "http://sukma.test", AdminToken: "t0ken", Location: time.UTC})
	mux := http.NewServeMux()
	s.exportRoutes(func(p string, h http.HandlerFunc, params ...string) { mux.HandleFunc(p, withParams(h, params)) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	res, err := http.Get(srv.URL + "/api/v1/responses.csv")
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 1000)
	if _, err := res.Body.Read(first); err != nil {
		t.Fatal(err)
	}
	res.Body.Close() // the client goes away with most of the file unread

	deadline := time.Now().Add(20 * time.Second)
	for !strings.Contains(logs.String(), "not sent whole") && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	got := logs.String()
	if !strings.Contains(got, "level=INFO msg=\"export: responses.csv not sent whole\"") || strings.Contains(got, "level=ERROR") {
		t.Errorf("logs:\n%s\nwant the stopped download at INFO, no ERROR", got)
	}
}

// lockedBuffer is a log destination safe for the handler's goroutine and the test's.
type lockedBuffer = logtest.Buffer
