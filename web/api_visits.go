package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// visitValidity is how long a visit token can be rated. A rating tells about one visit, so it
// must come within days of it, not months; a week covers a citizen who opens the link on the
// weekend after.
const visitValidity = 7 * 24 * time.Hour

// newToken returns 32 random bytes in base64url without padding: 43 characters of
// [A-Za-z0-9_-], which fit Telegram's start parameter (at most 64 of those characters).
func newToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails since Go 1.24; it crashes the program instead
	return base64.RawURLEncoding.EncodeToString(b)
}

// links are the ways into the survey that a token opens.
type links struct {
	Token       string `json:"token"`
	TelegramURL string `json:"telegram_url"` // "" when Telegram is off
	WhatsAppURL string `json:"whatsapp_url"` // "" when WhatsApp is off
	WebURL      string `json:"web_url"`
	QRURL       string `json:"qr_url"`
}

// links returns the survey links of token; qrPath is the path of its QR image.
func (s *Server) links(token, qrPath string) links {
	l := links{Token: token, WebURL: s.PublicURL + "/s/" + token, QRURL: s.PublicURL + qrPath}
	if bot := s.telegramBot(); bot != "" {
		l.TelegramURL = "https://t.me/" + bot + "?start=" + token
	}
	if s.WhatsAppNumber != "" {
		l.WhatsAppURL = "https://wa.me/" + s.WhatsAppNumber + "?text=SKM%20" + token
	}
	return l
}

// surveyURL is the link a QR code carries: WhatsApp when it is on (most citizens have it and
// it needs no browser), else the web chat, which always works.
func (l links) surveyURL() string {
	if l.WhatsAppURL != "" {
		return l.WhatsAppURL
	}
	return l.WebURL
}

func visitQRPath(token string) string    { return "/api/v1/visits/" + token + "/qr.png" }
func standingQRPath(token string) string { return "/api/v1/standing/" + token + "/qr.png" }

type visitJSON struct {
	links
	ExpiresAt string `json:"expires_at"` // RFC 3339 in SUKMA_TIMEZONE
	// Invitation is "queued" when the visit was created with a phone number.
	Invitation string `json:"whatsapp_invitation,omitempty"`
}

// invitePhone checks the "phone" of a visit: a WhatsApp number in international form, 62 and
// then 8 to 13 digits (a leading + is dropped). The problem says what is wrong.
func invitePhone(phone string) (string, problem) {
	p := strings.TrimPrefix(phone, "+")
	if len(p) < 10 || len(p) > 15 || strings.Trim(p, "0123456789") != "" {
		return "", problem{fmt.Sprintf(`"phone" %q harus nomor WhatsApp dalam format internasional, 10 sampai 15 angka tanpa spasi, misalnya 6281234567890`, phone),
			fmt.Sprintf(`"phone" %q must be a WhatsApp number in international form, 10 to 15 digits without spaces, like 6281234567890`, phone)}
	}
	if !strings.HasPrefix(p, "62") {
		return "", problem{fmt.Sprintf(`"phone" %q harus nomor Indonesia yang diawali 62, misalnya 6281234567890 (bukan 0812…)`, phone),
			fmt.Sprintf(`"phone" %q must be an Indonesian number starting with 62, like 6281234567890 (not 0812…)`, phone)}
	}
	return p, problem{}
}

// createInvitedVisit stores a visit and puts its survey invitation in the WhatsApp outbox, in
// one transaction: the Cloud API sender sends it as the configured template, with the token as
// its body's {{1}}. The number is kept only as the outbox row's chat id, where the citizen's
// answer arrives.
func (s *Server) createInvitedVisit(ctx context.Context, nv storage.NewVisit, phone string) error {
	body, err := json.Marshal(bot.Reply{Template: &bot.Template{Params: []string{nv.Token}}})
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.CreateVisit(nv); err != nil {
			return err
		}
		return tx.Enqueue(bot.ChannelWhatsApp, phone, string(body), s.DB.Now().UnixMilli(), false)
	})
}

// handleCreateVisit: POST /api/v1/visits {"unit":"CODE","service":"CODE"?,"phone":"62…"?} →
// 201 with the links of a new single-use token valid for visitValidity. A unit or service
// that does not exist or is retired is 422: the request is well-formed but names something
// unusable. With "phone", the citizen is invited on WhatsApp through the Cloud API (422 when
// it is off; 400 for a number that is not 62…). With an Idempotency-Key header, a retry gets
// the visit the key made (see replayVisit).
func (s *Server) handleCreateVisit(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Unit    string `json:"unit"`
		Service string `json:"service"`
		Phone   string `json:"phone"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Unit == "" {
		writeError(w, http.StatusBadRequest, `"unit" wajib diisi: kode unit yang memberi layanan`, `"unit" is required: the code of the unit that gave the service`)
		return
	}
	key, ok := requestKey(w, r)
	if !ok {
		return
	}
	phone := ""
	if req.Phone != "" {
		var bad problem
		if phone, bad = invitePhone(req.Phone); bad != (problem{}) {
			bad.write(w, http.StatusBadRequest)
			return
		}
	}
	ctx := r.Context()
	sum := requestSum(req.Unit, req.Service, phone)
	if key != "" && s.replayVisit(w, r, key, sum, phone) {
		return // what the first request got, whatever changed since
	}
	if phone != "" && !s.WhatsAppInvites {
		writeError(w, http.StatusUnprocessableEntity, `"phone" memerlukan WhatsApp Cloud API, yang tidak aktif: atur whatsapp_cloud_* (SUKMA_WHATSAPP_CLOUD_*) atau hilangkan "phone"`,
			`"phone" needs the WhatsApp Cloud API, which is off: set whatsapp_cloud_* (SUKMA_WHATSAPP_CLOUD_*) or leave "phone" out`)
		return
	}
	u, err := s.DB.FindUnitByCode(ctx, req.Unit)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Unit %q tidak ditemukan: periksa kodenya dengan GET /api/v1/units", req.Unit),
			fmt.Sprintf("unit %q not found: check the code with GET /api/v1/units", req.Unit))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if u.RetiredAt != nil {
		writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Unit %q sudah tidak aktif dan tidak menerima kunjungan baru", u.Code),
			fmt.Sprintf("unit %q is retired and takes no new visits", u.Code))
		return
	}
	nv := storage.NewVisit{Token: newToken(), UnitID: u.ID, FlowID: "skm", RequestKey: key}
	if key != "" {
		nv.RequestSum = sum
	}
	if req.Service != "" {
		sv, err := s.DB.FindServiceByCode(ctx, u.ID, req.Service)
		if errors.Is(err, storage.ErrNotFound) {
			writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Layanan %q tidak ditemukan di unit %q: periksa kodenya dengan GET /api/v1/units/%s/services", req.Service, u.Code, u.Code),
				fmt.Sprintf("service %q not found in unit %q: check the code with GET /api/v1/units/%s/services", req.Service, u.Code, u.Code))
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		if sv.Retired() {
			writeError(w, http.StatusUnprocessableEntity, fmt.Sprintf("Layanan %q unit %q sudah tidak aktif dan tidak menerima kunjungan baru", sv.Code, u.Code),
				fmt.Sprintf("service %q of unit %q is retired and takes no new visits", sv.Code, u.Code))
			return
		}
		nv.ServiceID = &sv.ID
	}
	expires := s.DB.Now().Add(visitValidity)
	nv.ExpiresAt = expires.UnixMilli()
	create := s.DB.CreateVisit
	if phone != "" {
		create = func(ctx context.Context, nv storage.NewVisit) error { return s.createInvitedVisit(ctx, nv, phone) }
	}
	err = create(ctx, nv)
	if errors.Is(err, storage.ErrConflict) && key != "" && s.replayVisit(w, r, key, sum, phone) {
		return // the same key's first request made its visit meanwhile
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, s.visitJSON(nv.Token, nv.ExpiresAt, phone))
}

// visitJSON is the answer to POST /api/v1/visits for the visit of token.
func (s *Server) visitJSON(token string, expiresAt int64, phone string) visitJSON {
	out := visitJSON{
		links:     s.links(token, visitQRPath(token)),
		ExpiresAt: time.UnixMilli(expiresAt).In(s.location()).Format(time.RFC3339),
	}
	if phone != "" {
		out.Invitation = "queued"
	}
	return out
}

func (s *Server) location() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// handleStanding: POST /api/v1/units/{code}/standing (no body, or {}) → the links of the
// unit's standing token, for walk-in feedback from a poster at the counter: 201 when this
// call created it, 200 when it existed. A standing token does not expire and is not used up.
func (s *Server) handleStanding(w http.ResponseWriter, r *http.Request) {
	if !decodeOptional(w, r, &struct{}{}) { // a field is refused, as by the routes that take some
		return
	}
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	if u.RetiredAt != nil {
		writeError(w, http.StatusConflict, fmt.Sprintf("Unit %q sudah tidak aktif dan tidak menerima penilaian", u.Code),
			fmt.Sprintf("unit %q is retired and takes no feedback", u.Code))
		return
	}
	var fresh string
	token, err := s.DB.EnsureStandingToken(r.Context(), u.ID, func() string { fresh = newToken(); return fresh })
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	status := http.StatusOK
	if token == fresh {
		status = http.StatusCreated
	}
	writeJSON(w, status, s.links(token, standingQRPath(token)))
}

// telegramBot is the bot's username now, or "".
func (s *Server) telegramBot() string {
	if s.TelegramBot == nil {
		return ""
	}
	return s.TelegramBot()
}
