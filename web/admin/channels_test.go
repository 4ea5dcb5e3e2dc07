package admin

import (
	"bytes"
	"image/png"
	"net/http"
	"strings"
	"sync"
	"testing"

	"sukma/storage/storagetest"
)

// fakePairing is a WhatsApp pairing without WhatsApp: StartPairing shows a first code.
type fakePairing struct {
	mu      sync.Mutex
	st      Pairing
	started int
}

func (f *fakePairing) Pairing() Pairing {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakePairing) StartPairing() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started++
	f.st.Running, f.st.QR = true, "2@fake-pairing-code,abc,def"
	return nil
}

type fakeChannels struct{}

func (fakeChannels) Status() []Channel {
	return []Channel{{Name: "Telegram", Enabled: true, Connected: true, Detail: "@sukma_bot"},
		{Name: "WhatsApp", Enabled: true, Detail: "unpaired · link an account"}}
}

func TestWhatsAppIsLinkedFromTheChannelsPage(t *testing.T) {
	f := &fakePairing{st: Pairing{Needed: true}}
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{Channels: fakeChannels{}, WhatsApp: f})

	status, _, page := a.get("/admin/channels")
	if status != http.StatusOK || !strings.Contains(page, "@sukma_bot") || !strings.Contains(page, "unpaired") {
		t.Fatalf("channels page %d: %.500s", status, page)
	}
	if !strings.Contains(page, `action="/admin/channels/whatsapp/pair"`) || strings.Contains(page, `id="wa-qr"`) {
		t.Fatal("an unpaired WhatsApp offers no pairing button, or shows a QR code already")
	}
	if status, _, body := a.get("/admin/channels/whatsapp/qr.png"); status != http.StatusNotFound || !strings.Contains(body, "Tidak ada kode QR penautan") {
		t.Errorf("the QR code before pairing: %d %.200s, want 404 saying so in Indonesian", status, body)
	}

	status, loc, _ := a.post("/admin/channels/whatsapp/pair", nil)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/admin/channels?ok=pairing") || f.started != 1 {
		t.Fatalf("pair: %d %s, started %d", status, loc, f.started)
	}
	_, _, page = a.get(loc)
	for _, want := range []string{`id="wa-qr"`, `src="/admin/channels/whatsapp/qr.png"`, "Di ponsel: WhatsApp → Perangkat tertaut → Tautkan perangkat, lalu pindai kode ini", "Penautan WhatsApp dimulai"} {
		if !strings.Contains(page, want) {
			t.Errorf("the pairing page lacks %q", want)
		}
	}
	if strings.Contains(page, "fake-pairing-code") {
		t.Error("the pairing code is in the page's HTML")
	}

	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+"/admin/channels/whatsapp/qr.png", nil)
	res, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("qr.png: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
	}
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	img, err := png.Decode(&buf)
	if err != nil || img.Bounds().Dx() < 200 {
		t.Fatalf("qr.png is no QR image: %v", err)
	}

	// Linked: the page says so, and the button is gone.
	f.mu.Lock()
	f.st = Pairing{Needed: true, Linked: "62812****890"}
	f.mu.Unlock()
	_, _, page = a.get("/admin/channels")
	if !strings.Contains(page, "62812****890") || strings.Contains(page, `id="pair"`) {
		t.Errorf("after linking: %.800s", page)
	}
	// Paired and connected: nothing to link.
	f.mu.Lock()
	f.st = Pairing{}
	f.mu.Unlock()
	if _, _, page = a.get("/admin/channels"); strings.Contains(page, "whatsapp-pairing") {
		t.Error("a paired WhatsApp still shows the pairing box")
	}
}

func TestTheChannelsPageWithoutALinkedDevice(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{Channels: fakeChannels{}})
	if _, _, page := a.get("/admin/channels"); strings.Contains(page, "whatsapp-pairing") {
		t.Error("pairing offered without a linked device")
	}
	if status, _, _ := a.post("/admin/channels/whatsapp/pair", nil); status != http.StatusNotFound {
		t.Errorf("pair without a device: %d", status)
	}
}

type offChannels struct{}

func (offChannels) Status() []Channel {
	return []Channel{{Name: "Telegram", Enabled: true, Connected: true, Facts: "@sukma_bot, mode polling"},
		{Name: "WhatsApp", Enabled: true, Detail: "Tersambung", Facts: "62812****890"},
		{Name: "WhatsApp Cloud", Detail: "Nonaktif: SUKMA_WHATSAPP_ENABLED=true lalu jalankan `sukma whatsapp pair`."}}
}

// The channels page in English says what to fix and the device's state in English, and the
// names and numbers as they are.
func TestTheChannelsPageSpeaksEnglish(t *testing.T) {
	a := newTestAdmin(t, storagetest.SQLite(t), Deps{Channels: offChannels{}})
	_, _, page := a.get("/admin/channels?lang=en")
	for _, want := range []string{"@sukma_bot, mode polling", "Connected · 62812****890", "Off: set SUKMA_WHATSAPP_ENABLED=true"} {
		if !strings.Contains(page, want) {
			t.Errorf("the English channels page lacks %q", want)
		}
	}
	if strings.Contains(page, "Nonaktif") || strings.Contains(page, "Tersambung") {
		t.Error("the English channels page has Indonesian details")
	}
}
