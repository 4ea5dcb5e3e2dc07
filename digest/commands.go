package digest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
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
// "/unsubscribe") ends every subscription of the chat. Each answers in the language of the
// code or of the subscriptions it stops, and when neither is known (an unknown code, a chat
// not subscribed) in the command's: English for "/subscribe" and "/unsubscribe".
func (s *Service) Commands() map[string]bot.CommandFunc {
	return map[string]bot.CommandFunc{
		"/langganan": s.subscribe("id"), "/subscribe": s.subscribe("en"),
		"/berhenti": s.unsubscribe("id"), "/unsubscribe": s.unsubscribe("en"),
	}
}

var chatReplies = map[lang]map[string]string{
	"id": {
		"noCode":  "Kirim kode langganan dari admin, misalnya: /langganan ABCD2345",
		"unknown": "Kode langganan %q tidak dikenal. Periksa kembali kodenya (8 huruf/angka), atau minta kode baru kepada admin.",
		"used":    "Kode langganan ini sudah dipakai. Setiap kode hanya berlaku sekali: minta kode baru kepada admin.",
		"expired": "Kode langganan ini sudah kedaluwarsa (berlaku 7 hari). Minta kode baru kepada admin.",
		"web":     "Langganan ringkasan hanya tersedia lewat Telegram atau WhatsApp.",
		"ok":      "✅ Langganan aktif.\nAnda akan menerima ringkasan SKM %s %s (%s), berisi IKM, perubahan dari periode sebelumnya, jumlah responden, nilai tiap unsur dan saran terbaru.\nRingkasan pertama: %s.",
		"unit":    "untuk %s",
		"agency":  "untuk semua unit %s beserta peringkatnya",
		"all":     "untuk seluruh unit beserta peringkatnya",
		"alerts":  "Anda juga menerima peringatan segera bila ada responden memberi nilai terendah (1) atau melaporkan pungli, suap, calo atau perlakuan kasar.",
		"night":   "Catatan: menurut jadwal ini ringkasan tiba malam hari, pukul %02d.%02d. Bila ingin menerimanya pada jam kerja, minta admin mengubah jadwalnya.",
		"stop":    "Untuk berhenti, kirim /berhenti.",
		"stopped": "Langganan dihentikan: Anda tidak akan lagi menerima ringkasan maupun peringatan SKM di percakapan ini.",
		// A citizen who wants to stop a survey may well type /berhenti ("stop").
		"notSubbd": "Percakapan ini tidak berlangganan ringkasan SKM. Untuk menghentikan survei, kirim /batal.",
	},
	"en": {
		"noCode":   "Send the subscription code your admin gave you, for example: /subscribe ABCD2345",
		"unknown":  "Subscription code %q is unknown. Check the code (8 letters/digits), or ask your admin for a new one.",
		"used":     "This subscription code has been used already. Each code works once: ask your admin for a new one.",
		"expired":  "This subscription code has expired (codes last 7 days). Ask your admin for a new one.",
		"web":      "Digests can be subscribed to on Telegram or WhatsApp only.",
		"ok":       "✅ Subscribed.\nYou will receive the SKM digest %s %s (%s): the IKM, the change from the previous period, the number of respondents, each element's score and the latest suggestions.\nFirst digest: %s.",
		"unit":     "for %s",
		"agency":   "for all units of %s with their ranking",
		"all":      "for all units with their ranking",
		"alerts":   "You will also get an alert at once when a respondent gives the lowest score (1) or reports illegal fees, bribes, brokers or rough treatment.",
		"night":    "Note: on this schedule the digest arrives at night, at %02d:%02d. To get it in working hours, ask your admin to change its schedule.",
		"stop":     "To stop, send /unsubscribe.",
		"stopped":  "Unsubscribed: this chat will no longer receive SKM digests or alerts.",
		"notSubbd": "This chat is not subscribed to SKM digests. To stop a survey, send /cancel.",
	},
}

func (s *Service) subscribe(command lang) bot.CommandFunc {
	return func(ctx context.Context, tx *storage.Tx, in bot.Inbound, arg string) ([]bot.Reply, error) {
		say := func(l lang, key string, args ...any) ([]bot.Reply, error) {
			return []bot.Reply{{Text: fmt.Sprintf(chatReplies[l][key], args...)}}, nil
		}
		if in.Channel != bot.ChannelTelegram && in.Channel != bot.ChannelWhatsApp {
			return say(command, "web")
		}
		code := strings.ToUpper(strings.TrimSpace(arg))
		if code == "" {
			return say(command, "noCode")
		}
		now := in.Time
		if now.IsZero() {
			now = s.DB.Now()
		}
		c, err := tx.RedeemSubscriptionCode(code, now.UnixMilli())
		switch {
		case errors.Is(err, storage.ErrNotFound):
			return say(command, "unknown", cut(code, 20))
		case errors.Is(err, storage.ErrCodeUsed):
			return say(langOf(c.Language), "used")
		case errors.Is(err, storage.ErrCodeExpired):
			return say(langOf(c.Language), "expired")
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
}

// Confirmation tells a new subscriber, in its language, what they will receive and when.
func Confirmation(sub storage.Subscriber, now time.Time, loc *time.Location) string {
	l := langOf(sub.Language)
	say := chatReplies[l]
	what := fmt.Sprintf(say["unit"], describeScope(sub, l))
	if sub.UnitID == nil && sub.AgencyID == nil {
		what = say["all"]
	} else if sub.AgencyID != nil {
		what = fmt.Sprintf(say["agency"], sub.AgencyName)
	}
	next, night := "—", ""
	if sched, err := ParseSchedule(sub.Schedule); err == nil {
		n := sched.Next(now.In(loc))
		next = fmt.Sprintf("%s, %s %s %s", l.weekday(n.Weekday()), l.date(n), fmt.Sprintf(l.t("at"), n.Hour(), n.Minute()), n.Format("MST"))
		if nightFire(n) { // @monthly is midnight: a head may not expect a message then
			night = "\n" + fmt.Sprintf(say["night"], n.Hour(), n.Minute())
		}
	}
	zone := now.In(loc).Format("MST")
	text := fmt.Sprintf(say["ok"], what, describeSchedule(sub.Schedule, l), zone, next) + night
	if sub.Alerts {
		text += "\n" + say["alerts"]
	}
	return text + "\n" + say["stop"]
}

func (s *Service) unsubscribe(command lang) bot.CommandFunc {
	return func(ctx context.Context, tx *storage.Tx, in bot.Inbound, _ string) ([]bot.Reply, error) {
		addresses := []string{address(in)}
		if address(in) != in.ChatID { // a subscription made by chat before addresses were numbers
			addresses = append(addresses, in.ChatID)
		}
		var langs []string
		var n int64
		for _, a := range addresses {
			ls, err := tx.SubscriptionLanguages(in.Channel, a)
			if err != nil {
				return nil, err
			}
			langs = append(langs, ls...)
			m, err := tx.Unsubscribe(in.Channel, a)
			if err != nil {
				return nil, err
			}
			n += m
		}
		if n == 0 {
			return []bot.Reply{{Text: chatReplies[command]["notSubbd"]}}, nil
		}
		// In English when every subscription stopped was: a head who chose it reads it.
		l := command
		if len(langs) > 0 && !slices.ContainsFunc(langs, func(code string) bool { return langOf(code) != "en" }) {
			l = "en"
		} else if len(langs) > 0 {
			l = "id"
		}
		return []bot.Reply{{Text: chatReplies[l]["stopped"]}}, nil
	}
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
