package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/digest"
	"sukma/storage"
)

// channelsOn reports Telegram as on and WhatsApp as off, or both off, as cmd/sukma does when
// their settings are empty.
type channelsOn struct{ telegram bool }

func (c *channelsOn) Status() []Channel {
	tg := Channel{Name: "Telegram", Enabled: c.telegram, Connected: c.telegram}
	if !c.telegram {
		tg.Detail = "Nonaktif: isi SUKMA_TELEGRAM_TOKEN untuk mengaktifkan."
	}
	return []Channel{tg, {Name: "WhatsApp", Detail: "Nonaktif: SUKMA_WHATSAPP_ENABLED=true lalu jalankan `sukma whatsapp pair`."}}
}

// A subscriber on a channel that is off gets nothing until it is on: the subscribers page
// says which channel is off and which setting turns it on, adding a subscriber on it says so,
// and a test digest on it is said to go out once the channel is on, not "in a moment".
func TestSubscribersOnAChannelThatIsOffAreWarned(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 1, Months: 1, Responses: 5, Seed: 3, Now: time.Now(), Location: jakarta}); err != nil {
			t.Fatal(err)
		}
		channels := &channelsOn{telegram: true}
		a := newTestAdmin(t, db, Deps{Channels: channels})
		_, _, page := a.get("/admin/subscribers")
		if strings.Contains(page, `id="channel-off-telegram"`) || !strings.Contains(page, `id="channel-off-whatsapp"`) ||
			!strings.Contains(page, "<code>SUKMA_WHATSAPP_ENABLED=true</code> atau <code>SUKMA_WHATSAPP_CLOUD_TOKEN</code>") {
			t.Errorf("with WhatsApp alone off, the page does not warn of it alone with its settings: %.2000s", page)
		}
		for _, tt := range []struct {
			channel, address, created, sent string
		}{
			{"telegram", "111222333", "created", "digest"},
			{"whatsapp", "081234567890", "created-off", "digest-off"},
		} {
			status, loc, _ := a.post("/admin/subscribers", url.Values{"channel": {tt.channel}, "address": {tt.address}, "schedule": {digest.DefaultSchedule}})
			if status != http.StatusSeeOther || loc != "/admin/subscribers?ok="+tt.created {
				t.Errorf("adding a %s subscriber: %d → %q, want ?ok=%s", tt.channel, status, loc, tt.created)
			}
		}
		subs, err := db.FindSubscribers(ctx)
		if err != nil || len(subs) != 2 {
			t.Fatalf("subscribers %+v, %v", subs, err)
		}
		for _, sub := range subs {
			want := map[string]string{"telegram": "digest", "whatsapp": "digest-off"}[sub.Channel]
			if status, loc, _ := a.post("/admin/subscribers/"+strconv.FormatInt(sub.ID, 10)+"/digest", nil); status != http.StatusSeeOther || loc != "/admin/subscribers?ok="+want {
				t.Errorf("a test digest to %s: %d → %q, want ?ok=%s", sub.Channel, status, loc, want)
			}
		}
		_, _, page = a.get("/admin/subscribers?ok=digest-off")
		if !strings.Contains(page, "ringkasan baru terkirim setelah kanal itu diaktifkan") || strings.Contains(page, "dalam beberapa saat") {
			t.Error("the test digest to WhatsApp is not said to wait for the channel")
		}
		if !strings.Contains(page, `whatsapp <span class="warn">(tidak aktif)</span>`) || strings.Contains(page, `telegram <span class="warn">`) {
			t.Error("the list does not mark the WhatsApp subscriber's channel alone as off")
		}
		_, _, page = a.get("/admin/subscribers?ok=created-off")
		if !strings.Contains(page, "Pelanggan tersimpan, tetapi kanalnya tidak aktif") {
			t.Error("adding a WhatsApp subscriber is not said to wait for the channel")
		}

		// Both off, in English.
		channels.telegram = false
		_, _, page = a.get("/admin/subscribers?lang=en&ok=digest-off")
		for _, want := range []string{`id="channel-off-telegram"`, "<code>SUKMA_TELEGRAM_TOKEN</code>", `id="channel-off-whatsapp"`,
			"Telegram is off on this server", "it goes out only once that channel is turned on"} {
			if !strings.Contains(page, want) {
				t.Errorf("both off, in English: the page lacks %q", want)
			}
		}
	})
}

// The subscriber list says a schedule in words, as the form offered it and as the head read
// it on subscribing, in the page's language; the cron expression stays in its title.
func TestTheSubscriberListSaysSchedulesInWords(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		for i, schedule := range []string{digest.DefaultSchedule, "0 7 1 * *", "*/5 * * * *"} {
			if _, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: strconv.Itoa(1000 + i), Schedule: schedule, Language: "id"}); err != nil {
				t.Fatal(err)
			}
		}
		_, _, page := a.get("/admin/subscribers")
		for _, want := range []string{`<span title="0 7 * * 1">setiap Senin pukul 07.00</span>`, `<span title="0 7 1 * *">setiap tanggal 1 pukul 07.00</span>`,
			`menurut jadwal &#34;*/5 * * * *&#34;`} {
			if !strings.Contains(page, want) {
				t.Errorf("the list lacks %s", want)
			}
		}
		if _, _, page := a.get("/admin/subscribers?lang=en"); !strings.Contains(page, `<span title="0 7 * * 1">every Monday at 07:00</span>`) {
			t.Error("the English list does not say the weekly schedule in English")
		}
	})
}

// A subscription code's expiry is written as the rest of the admin writes a time
// (02-01-2006 15:04, in SUKMA_TIMEZONE), not as 2006-01-02 15:04:05.
func TestASubscriptionCodesExpiryIsWrittenAsEverywhere(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		now := time.Date(2026, 12, 7, 10, 30, 0, 0, time.UTC) // 17.30 in Jakarta
		db.Now = func() time.Time { return now }
		jakarta, _ := time.LoadLocation("Asia/Jakarta")
		a := newTestAdmin(t, db, Deps{})
		status, loc, _ := a.post("/admin/subscribers/codes", url.Values{"schedule": {digest.DefaultSchedule}})
		if status != http.StatusSeeOther || loc != "/admin/subscribers#code" {
			t.Fatalf("creating a code = %d to %q, want a redirect to the page", status, loc)
		}
		status, _, page := a.get("/admin/subscribers")
		want := "(berlaku sampai " + now.Add(digest.CodeValidity).In(jakarta).Format("02-01-2006 15:04") + ")"
		if want != "(berlaku sampai 14-12-2026 17:30)" {
			t.Fatalf("the test's own expiry: %s", want)
		}
		if status != http.StatusOK || !strings.Contains(page, want) {
			t.Errorf("%d: the code's expiry is not written as %q", status, want)
		}
	})
}
