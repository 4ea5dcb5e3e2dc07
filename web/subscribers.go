package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"sukma/digest"
	"sukma/storage"
)

// subscriberRoutes registers the digest subscribers' API:
//
//	POST   /api/v1/subscribers        {"unit"|"agency","channel","address","schedule"?,"language"?,"alerts"?} → 201;
//	                                  409 if the address already subscribes to that scope on the channel
//	GET    /api/v1/subscribers        → every subscriber
//	DELETE /api/v1/subscribers/{id}   → 204
//	POST   /api/v1/subscribers/codes  {"unit"|"agency","schedule"?,"language"?,"alerts"?} → 201 {"code","expires_at",…}
//
// A subscriber follows a unit, an agency (every unit of it, ranked) or, with neither, the
// whole province (every unit, ranked).
func (s *Server) subscriberRoutes(api func(pattern string, h http.HandlerFunc, params ...string)) {
	api("POST /api/v1/subscribers", s.handleCreateSubscriber)
	api("GET /api/v1/subscribers", s.handleListSubscribers)
	api("DELETE /api/v1/subscribers/{id}", s.handleDeleteSubscriber)
	api("POST /api/v1/subscribers/codes", s.handleCreateSubscriptionCode)
}

type subscriberJSON struct {
	ID        int64  `json:"id"`
	Unit      string `json:"unit"`
	Agency    string `json:"agency"`
	Channel   string `json:"channel"`
	Address   string `json:"address"`
	Schedule  string `json:"schedule"`
	Language  string `json:"language"`
	Alerts    bool   `json:"alerts"`
	CreatedAt string `json:"created_at"`
	// Warning says, on creation, that the subscriber's channel is off on this server: its
	// digests and alerts wait in the outbox until it is on.
	Warning string `json:"warning,omitempty"`
}

func (s *Server) subscriberOut(sub storage.Subscriber) subscriberJSON {
	return subscriberJSON{ID: sub.ID, Unit: sub.UnitCode, Agency: sub.AgencyCode, Channel: sub.Channel, Address: sub.Address,
		Schedule: sub.Schedule, Language: sub.Language, Alerts: sub.Alerts,
		CreatedAt: time.UnixMilli(sub.CreatedAt).In(s.location()).Format(time.RFC3339)}
}

// subscription is what both a subscriber and a code are made of.
type subscription struct {
	Unit     string `json:"unit"`
	Agency   string `json:"agency"`
	Schedule string `json:"schedule"`
	Language string `json:"language"`
	Alerts   bool   `json:"alerts"`
}

var (
	telegramChat = regexp.MustCompile(`^-?[0-9]{1,16}$`) // Telegram: at most 52 significant bits
	phone        = regexp.MustCompile(`^[0-9]{8,15}$`)
)

// check validates and completes the subscription (defaults: weekly, Indonesian), resolving
// the unit or agency; it returns the status and message of a 4xx, or 0.
func (s *Server) check(ctx context.Context, sub *subscription) (unitID, agencyID *int64, status int, msg problem, err error) {
	sub.Schedule = strings.TrimSpace(sub.Schedule)
	if sub.Schedule == "" {
		sub.Schedule = digest.DefaultSchedule
	}
	if _, perr := digest.ParseSchedule(sub.Schedule); perr != nil {
		msg := problem{`"schedule": ` + perr.Error(), `"schedule": ` + perr.Error()}
		var se *digest.ScheduleError
		if errors.As(perr, &se) {
			msg.id = `"schedule": ` + se.Indonesian
		}
		return nil, nil, http.StatusBadRequest, msg, nil
	}
	switch sub.Language {
	case "":
		sub.Language = "id"
	case "id", "en":
	default:
		return nil, nil, http.StatusBadRequest, problem{fmt.Sprintf(`"language" harus "id" atau "en", bukan %q`, sub.Language),
			fmt.Sprintf(`"language" must be "id" or "en", not %q`, sub.Language)}, nil
	}
	switch {
	case sub.Unit != "" && sub.Agency != "":
		return nil, nil, http.StatusBadRequest, problem{`isi "unit" atau "agency", jangan keduanya: satu unit, semua unit sebuah instansi, atau tanpa keduanya seluruh provinsi`,
			`give "unit" or "agency", not both: a unit, every unit of an agency, or with neither the whole province`}, nil
	case sub.Unit != "":
		u, ferr := s.DB.FindUnitByCode(ctx, sub.Unit)
		if errors.Is(ferr, storage.ErrNotFound) || ferr == nil && u.Code == storage.PreviewUnitCode { // the flow editor's hidden unit
			return nil, nil, http.StatusUnprocessableEntity, problem{fmt.Sprintf(`"unit": unit %q tidak ditemukan: periksa kodenya dengan GET /api/v1/units`, sub.Unit),
				fmt.Sprintf(`"unit": unit %q not found: check the code with GET /api/v1/units`, sub.Unit)}, nil
		}
		if ferr == nil && u.RetiredAt != nil {
			return nil, nil, http.StatusUnprocessableEntity, problem{fmt.Sprintf(`"unit": unit %q sudah dipensiunkan dan tidak menerima survei: ringkasannya akan kosong`, u.Code),
				fmt.Sprintf(`"unit": unit %q is retired and takes no surveys: its digests would be empty`, u.Code)}, nil
		}
		return &u.ID, nil, 0, problem{}, ferr
	case sub.Agency != "":
		a, ferr := s.DB.FindAgencyByCode(ctx, sub.Agency)
		if errors.Is(ferr, storage.ErrNotFound) {
			return nil, nil, http.StatusUnprocessableEntity, problem{fmt.Sprintf(`"agency": instansi %q tidak ditemukan: periksa instansi di GET /api/v1/units`, sub.Agency),
				fmt.Sprintf(`"agency": agency %q not found: check the agencies of GET /api/v1/units`, sub.Agency)}, nil
		}
		return nil, &a.ID, 0, problem{}, ferr
	}
	return nil, nil, 0, problem{}, nil
}

// handleCreateSubscriber: POST /api/v1/subscribers → 201 with the subscriber.
func (s *Server) handleCreateSubscriber(w http.ResponseWriter, r *http.Request) {
	var req struct {
		subscription
		Channel string `json:"channel"`
		Address string `json:"address"`
	}
	if !decode(w, r, &req) {
		return
	}
	req.Address = digest.NormalAddress(req.Channel, req.Address)
	switch {
	case req.Channel != "telegram" && req.Channel != "whatsapp":
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`"channel" harus "telegram" atau "whatsapp", bukan %q`, req.Channel),
			fmt.Sprintf(`"channel" must be "telegram" or "whatsapp", not %q`, req.Channel))
		return
	case req.Address == "":
		writeError(w, http.StatusBadRequest, `"address" wajib diisi: chat id Telegram atau nomor WhatsApp (62…)`,
			`"address" is required: the Telegram chat id or the WhatsApp number (62…)`)
		return
	case req.Channel == "telegram" && !telegramChat.MatchString(req.Address):
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`"address" harus chat id Telegram (angka), bukan %q`, req.Address),
			fmt.Sprintf(`"address" must be a Telegram chat id (digits), not %q`, req.Address))
		return
	case req.Channel == "whatsapp" && !phone.MatchString(req.Address):
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`"address" harus nomor WhatsApp, 8 sampai 15 angka seperti 6281234567890, bukan %q`, req.Address),
			fmt.Sprintf(`"address" must be a WhatsApp number in international form, 8 to 15 digits such as 6281234567890, not %q`, req.Address))
		return
	}
	unitID, agencyID, status, msg, err := s.check(r.Context(), &req.subscription)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if status != 0 {
		msg.write(w, status)
		return
	}
	// The head hears at once what the messages are and how to stop them.
	sub, err := digest.CreateSubscriber(r.Context(), s.DB, storage.NewSubscriber{UnitID: unitID, AgencyID: agencyID, Channel: req.Channel,
		Address: req.Address, Schedule: req.Schedule, Language: req.Language, Alerts: req.Alerts}, s.Location)
	if errors.Is(err, storage.ErrConflict) {
		s.alreadySubscribed(w, r, req.Channel, req.Address, unitID, agencyID)
		return
	} else if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := s.subscriberOut(sub)
	if s.channelOff(req.Channel) {
		name := map[string]string{"telegram": "Telegram", "whatsapp": "WhatsApp"}[req.Channel]
		out.Warning = bilingual(name+" tidak aktif di server ini: ringkasan dan peringatan pelanggan ini menunggu di antrean sampai kanal itu aktif (lihat /healthz)",
			name+" is off on this server: this subscriber's digests and alerts wait in the outbox until it is on (see /healthz)")
	}
	writeJSON(w, http.StatusCreated, out)
}

// channelOff reports whether /healthz says every adapter of the channel ("telegram",
// "whatsapp": WhatsApp and WhatsApp Cloud) is disabled; false when it cannot tell.
func (s *Server) channelOff(channel string) bool {
	if s.Health == nil {
		return false
	}
	seen := false
	for name, state := range s.Health() {
		if n := strings.ToLower(name); n == channel || strings.HasPrefix(n, channel+" ") {
			if state != "disabled" {
				return false
			}
			seen = true
		}
	}
	return seen
}

// alreadySubscribed answers 409 naming the subscription that the address already has to the
// scope: a chat gets each digest once, and changing one is deleting it and creating anew.
func (s *Server) alreadySubscribed(w http.ResponseWriter, r *http.Request, channel, address string, unitID, agencyID *int64) {
	old, err := s.DB.FindSubscriberOfScope(r.Context(), channel, address, unitID, agencyID)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.internalError(w, r, err)
		return
	} else if err != nil {
		// Deleted in between: the address has no subscription to point to, only the clash.
		writeError(w, http.StatusConflict, "Alamat ini sudah berlangganan ringkasan yang sama: coba lagi",
			"this address already subscribes to the same digests: try again")
		return
	}
	writeError(w, http.StatusConflict, fmt.Sprintf("Alamat %s %s sudah berlangganan ringkasan yang sama sebagai pelanggan %d: "+
		"untuk mengubah jadwal, bahasa atau peringatannya, hapus dulu dengan DELETE /api/v1/subscribers/%[3]d", channel, address, old.ID),
		fmt.Sprintf("%s %s already subscribes to the same digests as subscriber %d: to change its schedule, language or alerts, "+
			"delete it first with DELETE /api/v1/subscribers/%[3]d", channel, address, old.ID))
}

// handleListSubscribers: GET /api/v1/subscribers → every subscriber, oldest first.
func (s *Server) handleListSubscribers(w http.ResponseWriter, r *http.Request) {
	subs, err := s.DB.FindSubscribers(r.Context())
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := make([]subscriberJSON, 0, len(subs))
	for _, sub := range subs {
		out = append(out, s.subscriberOut(sub))
	}
	writeJSON(w, http.StatusOK, out)
}

// handleDeleteSubscriber: DELETE /api/v1/subscribers/{id} → 204; 404 if there is none.
func (s *Server) handleDeleteSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("id pelanggan harus bilangan bulat, bukan %q", r.PathValue("id")),
			fmt.Sprintf("subscriber id must be a whole number, not %q", r.PathValue("id")))
		return
	}
	err = s.DB.DeleteSubscriber(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Pelanggan %d tidak ditemukan: lihat GET /api/v1/subscribers", id),
			fmt.Sprintf("subscriber %d not found: see GET /api/v1/subscribers", id))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// handleCreateSubscriptionCode: POST /api/v1/subscribers/codes → 201 {"code","expires_at",…}:
// a one-time code, valid for a week, that a head sends to the bot as "/langganan CODE" to
// subscribe that chat.
func (s *Server) handleCreateSubscriptionCode(w http.ResponseWriter, r *http.Request) {
	var req subscription
	if !decode(w, r, &req) {
		return
	}
	unitID, agencyID, status, msg, err := s.check(r.Context(), &req)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if status != 0 {
		msg.write(w, status)
		return
	}
	c, err := digest.IssueCode(r.Context(), s.DB, storage.SubscriptionCode{UnitID: unitID, AgencyID: agencyID,
		Schedule: req.Schedule, Language: req.Language, Alerts: req.Alerts})
	expires := time.UnixMilli(c.ExpiresAt)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"code": c.Code, "expires_at": expires.In(s.location()).Format(time.RFC3339),
		"unit": req.Unit, "agency": req.Agency, "schedule": req.Schedule, "language": req.Language, "alerts": req.Alerts,
		"command": "/langganan " + c.Code,
	})
}
