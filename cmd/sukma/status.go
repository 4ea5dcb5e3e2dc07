package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"sukma/bot/whatsapp"
	"sukma/storage"
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
		tg.Facts = fmt.Sprintf("@%s, mode %s", a.telegram.Username(), a.Config.TelegramMode)
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
		wa.Facts = st.Number
		if st.Detail != "" && st.State != whatsapp.StateUnpaired && st.State != whatsapp.StateConnected {
			wa.Facts = strings.TrimPrefix(wa.Facts+" · "+st.Detail, " · ") // the adapter's own words: a reason, an expiry
		}
	case a.Config.WhatsAppCloudToken != "":
		wa.Connected = true
		wa.Facts = "WhatsApp Cloud API: webhook " + a.Config.PublicURL + "/whatsapp/webhook"
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
			out[ch.Name] = strings.TrimSuffix("down: "+ch.Detail+" · "+ch.Facts, " · ")
		}
	}
	return out
}

// whatsAppPairing links a WhatsApp account from the admin channels page (admin.WhatsAppPairing):
// a pairing session on the running server's device store, whose newest QR code the page
// shows. The running adapter picks the linked account up within 30 seconds. The session's
// state is kept in the database, so that behind a load balancer every replica shows it and
// a second press on another replica joins it.
type whatsAppPairing struct {
	db  *storage.DB
	log *slog.Logger
	// needed reports whether no account is linked; pair runs one session (tests fake both).
	needed func() bool
	pair   func(ctx context.Context, p whatsapp.Pairing) (string, error)
}

// pairingState is what every replica knows of the pairing session, stored as JSON.
type pairingState struct {
	Running bool   `json:"running"`
	QR      string `json:"qr,omitempty"`
	Problem string `json:"problem,omitempty"`
	Linked  string `json:"linked,omitempty"`
	At      int64  `json:"at"` // when it was last written, unix ms
}

const pairingKey = "whatsapp_pairing"

// pairingTimeout bounds one session (WhatsApp itself stops offering codes after a few).
const pairingTimeout = 3 * time.Minute

// adminWhatsApp is the pairing of the admin UI, or nil when the linked device is off.
func (a *App) adminWhatsApp() admin.WhatsAppPairing {
	if a.whatsApp == nil {
		return nil
	}
	return &whatsAppPairing{db: a.DB, log: a.Logger, needed: a.whatsApp.NeedsPairing, pair: a.whatsApp.Pair}
}

// state reads the session's state; a session whose replica stopped writing is over.
func (p *whatsAppPairing) state(ctx context.Context) pairingState {
	var st pairingState
	v, err := p.db.Setting(ctx, pairingKey)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			p.log.Warn("whatsapp: pairing state", slog.Any("err", err))
		}
		return st
	}
	if err := json.Unmarshal([]byte(v), &st); err != nil {
		return pairingState{}
	}
	if st.Running && p.db.Now().UnixMilli()-st.At > (pairingTimeout+30*time.Second).Milliseconds() {
		st = pairingState{}
	}
	return st
}

func (p *whatsAppPairing) save(ctx context.Context, st pairingState) error {
	st.At = p.db.Now().UnixMilli()
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return p.db.PutSetting(ctx, pairingKey, string(b))
}

func (p *whatsAppPairing) Pairing() admin.Pairing {
	needed := p.needed()
	st := p.state(context.Background())
	out := admin.Pairing{Needed: needed, Running: st.Running, QR: st.QR, Problem: st.Problem}
	if needed {
		// Linked until the adapter has connected the account.
		out.Linked = st.Linked
	}
	return out
}

func (p *whatsAppPairing) StartPairing() error {
	ctx := context.Background()
	if p.state(ctx).Running {
		return nil // a second press, here or on another replica, joins the session
	}
	if err := p.save(ctx, pairingState{Running: true}); err != nil {
		return err
	}
	go p.run()
	return nil
}

func (p *whatsAppPairing) run() {
	ctx, cancel := context.WithTimeout(context.Background(), pairingTimeout)
	defer cancel()
	log := p.log
	store := func(st pairingState) {
		if err := p.save(context.WithoutCancel(ctx), st); err != nil {
			log.Warn("whatsapp: pairing state", slog.Any("err", err))
		}
	}
	number, err := p.pair(ctx, whatsapp.Pairing{Logger: log, QR: func(code string) {
		store(pairingState{Running: true, QR: code})
	}})
	switch {
	case err == nil || errors.Is(err, whatsapp.ErrAlreadyPaired):
		store(pairingState{Linked: whatsapp.Mask(number)})
		log.Info("whatsapp: account linked from the admin page", slog.String("number", whatsapp.Mask(number)))
	case errors.Is(err, whatsapp.ErrPairTimeout) || errors.Is(err, context.DeadlineExceeded):
		store(pairingState{Problem: "Waktu penautan habis: tidak ada kode yang dipindai. Tekan Tautkan WhatsApp untuk mencoba lagi."})
	default:
		store(pairingState{Problem: "Penautan gagal: " + err.Error()})
		log.Warn("whatsapp: pairing from the admin page failed", slog.Any("err", err))
	}
}
