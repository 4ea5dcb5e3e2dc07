package main

import (
	"fmt"

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
		wa.Detail = string(st.State)
		if st.Number != "" {
			wa.Detail += " · " + st.Number
		}
		if st.Detail != "" {
			wa.Detail += " · " + st.Detail
		}
	case a.Config.WhatsAppCloudToken != "":
		wa.Connected = true
		wa.Detail = "WhatsApp Cloud API: webhook " + a.Config.PublicURL + "/whatsapp/webhook"
	default:
		wa.Detail = "Nonaktif: SUKMA_WHATSAPP_ENABLED=true lalu jalankan `sukma whatsapp pair`."
	}
	return []admin.Channel{tg, wa}
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
