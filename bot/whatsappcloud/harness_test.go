package whatsappcloud_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sukma/bot"
	"sukma/bot/whatsappcloud"
	"sukma/bot/whatsappcloud/wacloudtest"
	"sukma/flows"
	"sukma/internal/logtest"
	"sukma/storage"
)

const (
	accessToken = "EAAG-secret-access-token"
	appSecret   = "app-secret-123"
	verifyToken = "verify-me-456"
	phoneID     = "109876543210"
	citizen     = "6281234565678"
)

// logBuffer collects log output from several goroutines.
type logBuffer = logtest.Buffer

// harness is the Cloud API channel on a real engine and database, its webhook served over
// HTTP, against the fake Graph API, with the outbox dispatcher running.
type harness struct {
	t      testing.TB
	db     *storage.DB
	api    *wacloudtest.Server
	a      *whatsappcloud.Adapter
	hook   *httptest.Server
	logs   *logBuffer
	unitID int64
	n      int
}

func newHarness(t testing.TB, db *storage.DB) *harness {
	t.Helper()
	ctx := context.Background()
	if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Demo", Population: 100})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, db: db, api: wacloudtest.New(phoneID, accessToken), logs: &logBuffer{}, unitID: u.ID}
	t.Cleanup(h.api.Close)
	logger := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	engine := &bot.Engine{DB: db, Secret: []byte("test-secret"), Location: time.UTC, Logger: logger}
	d := &bot.Dispatcher{DB: db, Logger: logger, Poll: 20 * time.Millisecond}
	h.a = whatsappcloud.New(whatsappcloud.Options{
		Token: accessToken, PhoneNumberID: phoneID, AppSecret: appSecret, VerifyToken: verifyToken,
		Endpoint: h.api.Endpoint(), Engine: engine, Notify: d.Notify, Logger: logger,
	})
	d.Register(bot.ChannelWhatsApp, h.a, bot.Limits{PerSecond: 1000, Burst: 100, PerChat: 1000, PerChatBurst: 100})
	runCtx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(runCtx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })

	mux := http.NewServeMux()
	mux.Handle("GET "+whatsappcloud.WebhookPath, h.a.Verify())
	mux.Handle("POST "+whatsappcloud.WebhookPath, h.a.Webhook())
	h.hook = httptest.NewServer(mux)
	t.Cleanup(h.hook.Close)
	t.Cleanup(func() {
		logs := h.logs.String()
		for _, secret := range []string{accessToken, appSecret, verifyToken, citizen} {
			if strings.Contains(logs, secret) {
				t.Errorf("%q appears in the log:\n%s", secret, logs)
			}
		}
	})
	return h
}

func (h *harness) visit() string {
	h.t.Helper()
	h.n++
	token := fmt.Sprintf("tok%d_%d", h.n, time.Now().UnixNano())
	err := h.db.CreateVisit(context.Background(), storage.NewVisit{Token: token, UnitID: h.unitID, FlowID: "skm", ExpiresAt: time.Now().Add(7 * 24 * time.Hour).UnixMilli()})
	if err != nil {
		h.t.Fatal(err)
	}
	return token
}

// post sends a webhook POST with the given signature header ("" for none) and returns the
// status.
func (h *harness) post(body []byte, signature string) int {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.hook.URL+whatsappcloud.WebhookPath, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if signature != "" {
		req.Header.Set("X-Hub-Signature-256", signature)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// say posts a signed payload with one message, checks the 200, waits until every reply is
// sent and returns them.
func (h *harness) say(m map[string]any) []wacloudtest.Message {
	h.t.Helper()
	before := len(h.api.Sent())
	body := wacloudtest.Payload(phoneID, []map[string]any{m})
	if status := h.post(body, whatsappcloud.Sign(appSecret, body)); status != http.StatusOK {
		h.t.Fatalf("webhook answered %d, want 200", status)
	}
	h.settle()
	return h.api.Sent()[before:]
}

// settle waits until the outbox has nothing left to send.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for h.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL") != 0 {
		if time.Now().After(deadline) {
			h.t.Fatal("timed out waiting for the outbox to be sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) count(query string) int {
	h.t.Helper()
	var n int
	if err := h.db.Get(&n, query); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func lastOf(ms []wacloudtest.Message) wacloudtest.Message {
	if len(ms) == 0 {
		return wacloudtest.Message{}
	}
	return ms[len(ms)-1]
}

// fullSurvey answers every question of the built-in flow (as in bot/engine_test.go).
var fullSurvey = []string{"2", "35", "5", "4", "4", "4", "2", "3", "4", "3", "4", "3", "4", "Antrean terlalu lama", "Tambah loket"}
