package admin

import (
	"net/http"

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
