package digest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"sukma/bot"
	"sukma/storage"
)

// CodeAlphabet has no characters that are easily confused (0/O, 1/I/L): a code is read off a
// screen and typed on a phone.
const CodeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CodeLength and CodeValidity are a subscription code's length and lifetime.
const (
	CodeLength   = 8
	CodeValidity = 7 * 24 * time.Hour
)

// NewCode draws a random subscription code.
func NewCode() string {
	b := make([]byte, CodeLength)
	for i := range b {
		b[i] = CodeAlphabet[randIntn(len(CodeAlphabet))]
	}
	return string(b)
}

// IssueCode stores a new one-time subscription code for c (its Code and ExpiresAt are set
// here) and returns it; a drawn code that exists already is drawn again.
func IssueCode(ctx context.Context, db *storage.DB, c storage.SubscriptionCode) (storage.SubscriptionCode, error) {
	c.ExpiresAt = db.Now().Add(CodeValidity).UnixMilli()
	var err error
	for range 4 {
		c.Code = NewCode()
		if err = db.CreateSubscriptionCode(ctx, c); !errors.Is(err, storage.ErrConflict) {
			break
		}
	}
	return c, err
}

func randIntn(n int) int {
	var b [1]byte
	for {
		rand.Read(b[:])
		// Rejection keeps every character equally likely.
		if int(b[0]) < 256-256%n {
			return int(b[0]) % n
		}
	}
}

// Commands are the chat commands of subscribers, for bot.Engine.Commands: "/langganan CODE"
// (and "/subscribe") subscribes the chat with a one-time code; "/berhenti" (and
// "/unsubscribe") ends every subscription of the chat.
func (s *Service) Commands() map[string]bot.CommandFunc {
	return map[string]bot.CommandFunc{
		"/langganan": s.subscribe, "/subscribe": s.subscribe,
		"/berhenti": s.unsubscribe, "/unsubscribe": s.unsubscribe,
	}
}

var chatReplies = map[string]string{
	"noCode":  "Kirim kode langganan dari admin, misalnya: /langganan ABCD2345",
	"unknown": "Kode langganan %q tidak dikenal. Periksa kembali kodenya (8 huruf/angka), atau minta kode baru kepada admin.",
	"used":    "Kode langganan ini sudah dipakai. Setiap kode hanya berlaku sekali: minta kode baru kepada admin.",
	"expired": "Kode langganan ini sudah kedaluwarsa (berlaku 7 hari). Minta kode baru kepada admin.",
	"web":     "Langganan ringkasan hanya tersedia lewat Telegram atau WhatsApp.",
	"ok":      "✅ Langganan aktif.\nAnda akan menerima ringkasan SKM %s %s (%s), berisi IKM, perubahan dari periode sebelumnya, jumlah responden, nilai tiap unsur dan saran terbaru.\nRingkasan pertama: %s.",
	"alerts":  "Anda juga menerima peringatan segera bila ada responden memberi nilai terendah (1) atau melaporkan pungli, suap, calo atau perlakuan kasar.",
	"night":   "Catatan: menurut jadwal ini ringkasan tiba malam hari, pukul %02d.%02d. Bila ingin menerimanya pada jam kerja, minta admin mengubah jadwalnya.",
	"stop":    "Untuk berhenti, kirim /berhenti.",
	"stopped": "Langganan dihentikan: Anda tidak akan lagi menerima ringkasan maupun peringatan SKM di percakapan ini.",
	// A citizen who wants to stop a survey may well type /berhenti ("stop").
	"notSubbd": "Percakapan ini tidak berlangganan ringkasan SKM. Untuk menghentikan survei, kirim /batal.",
}

func (s *Service) subscribe(ctx context.Context, tx *storage.Tx, in bot.Inbound, arg string) ([]bot.Reply, error) {
	say := func(text string) ([]bot.Reply, error) { return []bot.Reply{{Text: text}}, nil }
	if in.Channel != bot.ChannelTelegram && in.Channel != bot.ChannelWhatsApp {
		return say(chatReplies["web"])
	}
	code := strings.ToUpper(strings.TrimSpace(arg))
	if code == "" {
		return say(chatReplies["noCode"])
	}
	now := in.Time
	if now.IsZero() {
		now = s.DB.Now()
	}
	c, err := tx.RedeemSubscriptionCode(code, now.UnixMilli())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return say(fmt.Sprintf(chatReplies["unknown"], cut(code, 20)))
	case errors.Is(err, storage.ErrCodeUsed):
		return say(chatReplies["used"])
	case errors.Is(err, storage.ErrCodeExpired):
		return say(chatReplies["expired"])
	case err != nil:
		return nil, err
	}
	// A chat that subscribes to the same scope again (a second code, a new schedule) keeps
	// one subscription with the new code's settings: two would send every digest twice.
	id, err := tx.Subscribe(storage.NewSubscriber{UnitID: c.UnitID, AgencyID: c.AgencyID, Channel: in.Channel,
		Address: address(in), Schedule: c.Schedule, Language: c.Language, Alerts: c.Alerts})
	if err != nil {
		return nil, err
	}
	sub, err := tx.FindSubscriberByID(id)
	if err != nil {
		return nil, err
	}
	return []bot.Reply{{Text: Confirmation(sub, now, s.Location)}}, nil
}

// Confirmation tells a new subscriber, in Indonesian, what they will receive and when.
func Confirmation(sub storage.Subscriber, now time.Time, loc *time.Location) string {
	l := lang("id")
	what := "untuk " + describeScope(sub, l)
	if sub.UnitID == nil && sub.AgencyID == nil {
		what = "seluruh unit (peringkat unit)"
	} else if sub.AgencyID != nil {
		what = "untuk semua unit " + sub.AgencyName + " (peringkat unit)"
	}
	next, night := "—", ""
	if sched, err := ParseSchedule(sub.Schedule); err == nil {
		n := sched.Next(now.In(loc))
		next = fmt.Sprintf("%s, %s pukul %02d.%02d %s", l.weekday(n.Weekday()), l.date(n), n.Hour(), n.Minute(), n.Format("MST"))
		if nightFire(n) { // @monthly is midnight: a head may not expect a message then
			night = "\n" + fmt.Sprintf(chatReplies["night"], n.Hour(), n.Minute())
		}
	}
	zone := now.In(loc).Format("MST")
	text := fmt.Sprintf(chatReplies["ok"], what, describeSchedule(sub.Schedule, l), zone, next) + night
	if sub.Alerts {
		text += "\n" + chatReplies["alerts"]
	}
	return text + "\n" + chatReplies["stop"]
}

func (s *Service) unsubscribe(ctx context.Context, tx *storage.Tx, in bot.Inbound, _ string) ([]bot.Reply, error) {
	n, err := tx.Unsubscribe(in.Channel, address(in))
	if err != nil {
		return nil, err
	}
	if address(in) != in.ChatID { // a subscription made by chat before addresses were numbers
		m, err := tx.Unsubscribe(in.Channel, in.ChatID)
		if err != nil {
			return nil, err
		}
		n += m
	}
	if n == 0 {
		return []bot.Reply{{Text: chatReplies["notSubbd"]}}, nil
	}
	return []bot.Reply{{Text: chatReplies["stopped"]}}, nil
}

// address is the subscriber address of a chat. On WhatsApp it is the number, as the JSON
// API stores it and as the Cloud API names chats, rather than the linked device's JID
// (number@s.whatsapp.net): one form, whichever adapter runs and however the head subscribed.
func address(in bot.Inbound) string {
	if in.Channel == bot.ChannelWhatsApp {
		if number, ok := strings.CutSuffix(in.ChatID, "@"+whatsappUserServer); ok {
			return number
		}
	}
	return in.ChatID
}

// whatsappUserServer is the server part of a WhatsApp person's JID (types.DefaultUserServer).
const whatsappUserServer = "s.whatsapp.net"
