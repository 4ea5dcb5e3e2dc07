package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"sukma/bot/whatsapp"
	"sukma/web/admin"
)

// channelStatus reports the messaging channels' state, for the admin UI and /healthz.
type channelStatus struct{ a *App }

// Status lists Telegram and WhatsApp, enabled or not.
func (c channelStatus) Status() []admin.Channel {
	a := c.a
	tg := admin.Channel{Name: "Telegram", Enabled: a.Config.TelegramToken != ""}
	switch {
	case !tg.Enabled:
		tg.Detail = "Nonaktif: isi SUKMA_TELEGRAM_TOKEN untuk mengaktifkan."
	case a.telegram != nil && a.telegram.Username() != "":
		tg.Connected = true
		tg.Detail = fmt.Sprintf("@%s, mode %s", a.telegram.Username(), a.Config.TelegramMode)
	default:
		tg.Detail = "Telegram belum dapat dihubungi; mencoba lagi di latar belakang."
	}

	wa := admin.Channel{Name: "WhatsApp", Enabled: a.Config.WhatsAppEnabled || a.Config.WhatsAppCloudToken != ""}
	switch {
	case a.whatsApp != nil:
		st := a.whatsApp.Status()
		wa.Connected = st.State == whatsapp.StateConnected
		wa.Detail = waStates[st.State]
		if wa.Detail == "" {
			wa.Detail = string(st.State)
		}
		if st.Number != "" {
			wa.Detail += " · " + st.Number
		}
		if st.Detail != "" && st.State != whatsapp.StateUnpaired && st.State != whatsapp.StateConnected {
			wa.Detail += " (" + st.Detail + ")" // the adapter's own words: a reason, an expiry
		}
	case a.Config.WhatsAppCloudToken != "":
		wa.Connected = true
		wa.Detail = "WhatsApp Cloud API: webhook " + a.Config.PublicURL + "/whatsapp/webhook"
	default:
		wa.Detail = "Nonaktif: SUKMA_WHATSAPP_ENABLED=true lalu jalankan `sukma whatsapp pair`."
	}
	return []admin.Channel{tg, wa}
}

// waStates says in Indonesian what each state of the linked device means for the admin.
var waStates = map[whatsapp.State]string{
	whatsapp.StateUnpaired:     "Belum ada akun tertaut: tautkan di halaman ini atau dengan `sukma whatsapp pair`.",
	whatsapp.StateConnecting:   "Menyambung…",
	whatsapp.StateConnected:    "Tersambung",
	whatsapp.StateDisconnected: "Terputus; menyambung ulang sendiri",
	whatsapp.StateLoggedOut:    "Akun dilepas dari ponsel: tautkan lagi",
	whatsapp.StateReplaced:     "Dipakai proses lain dengan perangkat yang sama",
	whatsapp.StateBanned:       "Diblokir sementara oleh WhatsApp",
	whatsapp.StateOutdated:     "Versi ditolak WhatsApp: perbarui Sukma",
}

// health is the channels' part of /healthz: name → state. A channel that is down does not
// make Sukma unhealthy (the web chat and the other channels still work), but it shows here.
func (c channelStatus) health() map[string]string {
	out := map[string]string{}
	for _, ch := range c.Status() {
		switch {
		case !ch.Enabled:
			out[ch.Name] = "disabled"
		case ch.Connected:
			out[ch.Name] = "ok"
		default:
			out[ch.Name] = "down: " + ch.Detail
		}
	}
	return out
}

// whatsAppPairing links a WhatsApp account from the admin channels page (admin.WhatsAppPairing):
// a pairing session on the running server's device store, whose newest QR code the page
// shows. The running adapter picks the linked account up within 30 seconds.
type whatsAppPairing struct {
	log *slog.Logger
	// needed reports whether no account is linked; pair runs one session (tests fake both).
	needed func() bool
	pair   func(ctx context.Context, p whatsapp.Pairing) (string, error)

	mu      sync.Mutex
	running bool
	qr      string
	problem string
	linked  string
}

// pairingTimeout bounds one session (WhatsApp itself stops offering codes after a few).
const pairingTimeout = 3 * time.Minute

// adminWhatsApp is the pairing of the admin UI, or nil when the linked device is off.
func (a *App) adminWhatsApp() admin.WhatsAppPairing {
	if a.whatsApp == nil {
		return nil
	}
	return &whatsAppPairing{log: a.Logger, needed: a.whatsApp.NeedsPairing, pair: a.whatsApp.Pair}
}

func (p *whatsAppPairing) Pairing() admin.Pairing {
	needed := p.needed()
	p.mu.Lock()
	defer p.mu.Unlock()
	st := admin.Pairing{Needed: needed, Running: p.running, QR: p.qr, Problem: p.problem}
	if needed {
		// Linked until the adapter has connected the account.
		st.Linked = p.linked
	}
	return st
}

func (p *whatsAppPairing) StartPairing() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.running {
		return nil
	}
	p.running, p.qr, p.problem, p.linked = true, "", "", ""
	go p.run()
	return nil
}

func (p *whatsAppPairing) run() {
	ctx, cancel := context.WithTimeout(context.Background(), pairingTimeout)
	defer cancel()
	log := p.log
	number, err := p.pair(ctx, whatsapp.Pairing{Logger: log, QR: func(code string) {
		p.mu.Lock()
		p.qr = code
		p.mu.Unlock()
	}})
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running, p.qr = false, ""
	switch {
	case err == nil || errors.Is(err, whatsapp.ErrAlreadyPaired):
		p.linked = whatsapp.Mask(number)
		log.Info("whatsapp: account linked from the admin page", slog.String("number", p.linked))
	case errors.Is(err, whatsapp.ErrPairTimeout) || errors.Is(err, context.DeadlineExceeded):
		p.problem = "Waktu penautan habis: tidak ada kode yang dipindai. Tekan Tautkan WhatsApp untuk mencoba lagi."
	default:
		p.problem = "Penautan gagal: " + err.Error()
		log.Warn("whatsapp: pairing from the admin page failed", slog.Any("err", err))
	}
}
