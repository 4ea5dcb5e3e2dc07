package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// SetWebhook tells Telegram to post updates to url with secret in the
// X-Telegram-Bot-Api-Secret-Token header. (The library's WebhookConfig has no secret_token,
// so the request is made here.)
func (a *Adapter) SetWebhook(ctx context.Context, url, secret string) error {
	updates, _ := json.Marshal(allowedUpdates)
	params := tgbotapi.Params{"url": url, "secret_token": secret, "allowed_updates": string(updates)}
	if _, err := a.call(ctx).MakeRequest("setWebhook", params); err != nil {
		return a.sendError("setWebhook", err)
	}
	return nil
}

// Webhook answers Telegram's POSTs at WebhookPath. A request without the right secret gets
// 403 and changes nothing; a body that is not an update gets 400; 200 means the update is
// stored (a 500 makes Telegram deliver it again, and a redelivery counts once). The last call
// that acknowledges a button press goes in the 200's body, for Telegram to make.
func (a *Adapter) Webhook(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil || u.UpdateID == 0 {
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		calls, err := a.handleUpdate(r.Context(), u)
		if err != nil {
			a.log.Error("telegram: webhook update not stored", slog.Int("update_id", u.UpdateID), slog.Any("error", err))
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		if len(calls) == 0 {
			w.WriteHeader(http.StatusOK)
			return
		}
		last := len(calls) - 1
		a.follow(r.Context(), calls[:last])
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(calls[last])
	})
}
