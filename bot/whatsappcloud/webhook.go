package whatsappcloud

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
)

// maxBody bounds a webhook request; Meta batches at most a few messages per POST.
const maxBody = 1 << 20

// Verify answers Meta's GET at WebhookPath when the webhook is registered in the app
// dashboard: the hub.challenge back if hub.mode is "subscribe" and hub.verify_token is ours,
// else 403.
//
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
func (a *Adapter) Verify() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		got := q.Get("hub.verify_token")
		if q.Get("hub.mode") != "subscribe" || a.opts.VerifyToken == "" ||
			subtle.ConstantTimeCompare([]byte(got), []byte(a.opts.VerifyToken)) != 1 {
			a.log.Warn("whatsapp cloud: webhook verification refused: wrong hub.mode or hub.verify_token")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		a.log.Info("whatsapp cloud: webhook verified")
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, q.Get("hub.challenge"))
	})
}

// Webhook answers Meta's POSTs at WebhookPath. A request without a valid X-Hub-Signature-256
// (HMAC-SHA256 of the raw body with the app secret) gets 403 and changes nothing; a body that
// is not a webhook payload gets 400; 200 means every message in it is stored (a 500 makes
// Meta deliver it again, and a redelivery counts once).
func (a *Adapter) Webhook() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil || len(body) > maxBody {
			http.Error(w, "cannot read the body", http.StatusBadRequest)
			return
		}
		if !a.signed(body, r.Header.Get("X-Hub-Signature-256")) {
			a.log.Warn("whatsapp cloud: webhook POST with a missing or wrong signature refused")
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var p payload
		if err := json.Unmarshal(body, &p); err != nil || p.Object == "" {
			http.Error(w, "not a WhatsApp webhook payload", http.StatusBadRequest)
			return
		}
		if err := a.handlePayload(r.Context(), p); err != nil {
			a.log.Error("whatsapp cloud: webhook messages not stored", slog.Any("error", err))
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// signed reports whether header is "sha256=<hex HMAC-SHA256(app secret, body)>", in constant
// time.
func (a *Adapter) signed(body []byte, header string) bool {
	hexSig, ok := strings.CutPrefix(header, "sha256=")
	if !ok || a.opts.AppSecret == "" {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, []byte(a.opts.AppSecret))
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}

// Sign returns the X-Hub-Signature-256 value of body, as Meta computes it (for tests and
// tools that replay a payload).
func Sign(appSecret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(appSecret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}
