package admin

import (
	"net/http"
	"strings"

	"github.com/skip2/go-qrcode"
)

// WhatsAppPairing links a WhatsApp account to the linked device from the channels page,
// inside the running server. cmd/sukma implements it on bot/whatsapp.
type WhatsAppPairing interface {
	// Pairing reports the state of linking an account.
	Pairing() Pairing
	// StartPairing starts a pairing session that runs on after the request (until the phone
	// scans a code, or the codes run out); starting one while one runs does nothing.
	StartPairing() error
}

// Pairing is the state of linking a WhatsApp account.
type Pairing struct {
	// Needed: the linked device is enabled but no account is linked.
	Needed bool
	// Running: a pairing session runs; QR is its newest code (empty until the first).
	Running bool
	QR      string
	// Problem says why the last session ended without a linked account; Linked is the
	// (masked) number it linked.
	Problem string
	Linked  string
}

type channelsPage struct {
	Channels []Channel
	Known    bool
	WhatsApp *Pairing // nil: no linked device to pair
}

func (s *Server) channelRoutes(province func(http.HandlerFunc) http.Handler) {
	s.mux.Handle("GET /admin/channels", province(s.handleChannels))
	s.mux.Handle("POST /admin/channels/whatsapp/pair", province(s.handlePair))
	s.mux.Handle("GET /admin/channels/whatsapp/qr.png", province(s.handlePairingQR))
}

// handleChannels shows the messaging channels' state as Deps.Channels reports it, and the
// WhatsApp pairing (button, QR code) when the linked device has no account.
func (s *Server) handleChannels(w http.ResponseWriter, r *http.Request) {
	p := channelsPage{Known: s.Channels != nil}
	if s.Channels != nil {
		p.Channels = s.Channels.Status()
	}
	if s.WhatsApp != nil {
		st := s.WhatsApp.Pairing()
		p.WhatsApp = &st
	}
	s.render(w, r, http.StatusOK, "channels", view{Title: "Kanal"}, p)
}

// handlePair starts a pairing session; the page then shows its QR codes.
func (s *Server) handlePair(w http.ResponseWriter, r *http.Request) {
	if s.WhatsApp == nil {
		s.notFound(w, r, "WhatsApp perangkat tertaut tidak aktif di server ini.")
		return
	}
	if err := s.WhatsApp.StartPairing(); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/channels?ok=pairing#whatsapp-pairing", http.StatusSeeOther)
}

// handlePairingQR is the newest QR code of the running pairing session as a PNG, or 404
// when none runs (the page's script then reloads the page to show what happened).
func (s *Server) handlePairingQR(w http.ResponseWriter, r *http.Request) {
	var st Pairing
	if s.WhatsApp != nil {
		st = s.WhatsApp.Pairing()
	}
	if !st.Running || st.QR == "" {
		s.render(w, r, http.StatusNotFound, "message", view{Title: "Tidak ada kode QR"}, message{Back: "/admin/channels",
			Text: "Tidak ada kode QR penautan: penautan WhatsApp tidak sedang berjalan. Mulai dari halaman Kanal."})
		return
	}
	png, err := qrcode.Encode(st.QR, qrcode.Medium, 320)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
}

// channelOff is a messaging channel this server has turned off, with the settings that turn
// it on (README's table): a digest, an alert or a subscription code on it waits in the outbox
// until it is on.
type channelOff struct {
	Key, Name string // "telegram", "Telegram"
	Settings  []string
}

// enabling are the settings that turn each channel on.
var enabling = map[string][]string{
	"telegram": {"SUKMA_TELEGRAM_TOKEN"},
	"whatsapp": {"SUKMA_WHATSAPP_ENABLED=true", "SUKMA_WHATSAPP_CLOUD_TOKEN"},
}

// channelsOff returns the channels that Deps.Channels reports as not enabled (none when it
// reports nothing). Enabled is the configuration, the same on every replica; Connected is
// not, behind a load balancer (one replica holds the WhatsApp device), so it is not asked.
func (s *Server) channelsOff() []channelOff {
	if s.Channels == nil {
		return nil
	}
	var off []channelOff
	for _, c := range s.Channels.Status() {
		key := strings.ToLower(c.Name)
		if !c.Enabled && enabling[key] != nil {
			off = append(off, channelOff{Key: key, Name: c.Name, Settings: enabling[key]})
		}
	}
	return off
}

// channelIsOff reports whether the channel (a subscriber's "telegram" or "whatsapp") is off.
func (s *Server) channelIsOff(key string) bool {
	for _, c := range s.channelsOff() {
		if c.Key == key {
			return true
		}
	}
	return false
}
