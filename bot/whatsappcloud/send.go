package whatsappcloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"sukma/bot"
)

// Limits of the Cloud API on one message.
const (
	maxText    = 4096
	maxCaption = 1024
)

// Send delivers one reply (the dispatcher's bot.Sender) to the number chatID. Options go as
// reply buttons (up to three) or a list (four to ten) whose ids name the outbox row being
// sent, "o:<outbox id>:N", so that only the current question's are taken (see handleMessage);
// more options, or a text too long for an interactive message, go as numbered lines
// ("1. Sangat sesuai"), which can always be answered by typing the number. A Template goes as
// that approved template (the invitation). A Photo is uploaded and sent as an image with the
// text as its caption (the text follows separately when it is longer than a caption may be).
// A text longer than the API takes goes as several messages, cut at line breaks.
//
// Errors are the typed errors of bot.Sender: 429 and error 130429 or 131056 are
// *bot.ErrThrottled; 131047 (the 24-hour window is closed), 131026 (the number cannot receive)
// and 131050 (the citizen stopped the business) wrap bot.ErrStopped; other 4xx wrap
// bot.ErrBadRequest; 5xx and network failures wrap bot.ErrUnreachable.
func (a *Adapter) Send(ctx context.Context, chatID string, r bot.Reply) error {
	if r.Template != nil {
		return a.post(ctx, chatID, a.templateMessage(*r.Template))
	}
	if len(r.Photo) == 0 {
		if msg := interactive(bot.OutboxID(ctx), r); msg != nil {
			return a.post(ctx, chatID, msg)
		}
	}
	text := r.NumberedText()
	if len(r.Photo) > 0 {
		id, err := a.upload(ctx, r.Photo)
		if err != nil {
			return err
		}
		img := map[string]any{"id": id}
		if len(text) <= maxCaption {
			img["caption"], text = text, ""
		}
		if err := a.post(ctx, chatID, map[string]any{"type": "image", "image": img}); err != nil {
			return err
		}
		if text == "" {
			return nil
		}
	}
	// A longer text goes as several messages; if one fails, the whole reply is tried again.
	for _, part := range bot.SplitText(text, maxText) {
		if err := a.post(ctx, chatID, map[string]any{"type": "text", "text": map[string]any{"body": part, "preview_url": false}}); err != nil {
			return err
		}
	}
	return nil
}

// post sends one message: POST /{phone-number-id}/messages.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages
func (a *Adapter) post(ctx context.Context, to string, msg map[string]any) error {
	msg["messaging_product"] = "whatsapp"
	msg["recipient_type"] = "individual"
	msg["to"] = to
	body, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("whatsapp cloud: %w: %w", err, bot.ErrBadRequest)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url("messages"), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("whatsapp cloud: %s: %w", a.redact(err.Error()), bot.ErrBadRequest)
	}
	req.Header.Set("Content-Type", "application/json")
	return a.do(req, "send message", nil)
}

// upload stores a PNG as media and returns its id: POST /{phone-number-id}/media.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media
func (a *Adapter) upload(ctx context.Context, png []byte) (string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("messaging_product", "whatsapp")
	w.WriteField("type", "image/png")
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="chart.png"`)
	h.Set("Content-Type", "image/png")
	part, _ := w.CreatePart(h)
	part.Write(png)
	w.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url("media"), &body)
	if err != nil {
		return "", fmt.Errorf("whatsapp cloud: %s: %w", a.redact(err.Error()), bot.ErrBadRequest)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	var out struct {
		ID string `json:"id"`
	}
	if err := a.do(req, "upload image", &out); err != nil {
		return "", err
	}
	if out.ID == "" {
		return "", fmt.Errorf("whatsapp cloud: upload image: no media id in the answer: %w", bot.ErrUnreachable)
	}
	return out.ID, nil
}

func (a *Adapter) url(what string) string {
	return a.opts.Endpoint + "/" + a.opts.PhoneNumberID + "/" + what
}

// graphError is the Graph API's error body.
type graphError struct {
	Error struct {
		Message   string `json:"message"`
		Code      int    `json:"code"`
		FBTraceID string `json:"fbtrace_id"`
		Data      struct {
			Details string `json:"details"`
		} `json:"error_data"`
	} `json:"error"`
}

// Graph API error codes that change what the dispatcher does.
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
const (
	codeRateLimit       = 130429 // throughput reached
	codePairRateLimit   = 131056 // too many messages to one number
	codeWindowClosed    = 131047 // more than 24 hours since the citizen's last message
	codeUndeliverable   = 131026 // not a WhatsApp user, or an old app
	codeUserStopped     = 131050 // the citizen stopped marketing messages of the business
	codeAppRateLimit    = 4
	codeAccountRateHint = 80007
)

// do makes a Graph API request, decodes a 2xx answer into out (if not nil) and maps a failure
// to the dispatcher's typed errors.
func (a *Adapter) do(req *http.Request, what string, out any) error {
	req.Header.Set("Authorization", "Bearer "+a.opts.Token)
	resp, err := a.opts.Client.Do(req)
	if err != nil {
		return fmt.Errorf("whatsapp cloud: %s: %s: %w", what, a.redact(err.Error()), bot.ErrUnreachable)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("whatsapp cloud: %s: %s: %w", what, a.redact(err.Error()), bot.ErrUnreachable)
	}
	if resp.StatusCode/100 == 2 {
		if out != nil {
			if err := json.Unmarshal(body, out); err != nil {
				return fmt.Errorf("whatsapp cloud: %s: unreadable answer: %w", what, bot.ErrUnreachable)
			}
		}
		return nil
	}
	var ge graphError
	json.Unmarshal(body, &ge)
	e := ge.Error
	msg := fmt.Sprintf("whatsapp cloud: %s: %d (error %d) %s", what, resp.StatusCode, e.Code, a.redact(e.Message))
	if e.Data.Details != "" {
		msg += ": " + a.redact(e.Data.Details)
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests, e.Code == codeRateLimit, e.Code == codePairRateLimit,
		e.Code == codeAppRateLimit, e.Code == codeAccountRateHint:
		return &bot.ErrThrottled{RetryAfter: retryAfter(resp.Header.Get("Retry-After"), e.Code)}
	case e.Code == codeWindowClosed, e.Code == codeUndeliverable, e.Code == codeUserStopped:
		return fmt.Errorf("%s: %w", msg, bot.ErrStopped)
	case resp.StatusCode >= 500:
		return fmt.Errorf("%s: %w", msg, bot.ErrUnreachable)
	case resp.StatusCode == http.StatusUnauthorized:
		// A token that expired or was revoked: an admin can fix it, so keep trying.
		return fmt.Errorf("%s (check SUKMA_WHATSAPP_CLOUD_TOKEN): %w", msg, bot.ErrUnreachable)
	}
	return fmt.Errorf("%s: %w", msg, bot.ErrBadRequest)
}

// retryAfter is the wait Meta asked for, or a default: a few seconds for one number, a
// minute for the whole account.
func retryAfter(header string, code int) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(header)); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if code == codePairRateLimit {
		return 6 * time.Second
	}
	return time.Minute
}

var _ bot.Sender = (*Adapter)(nil)
