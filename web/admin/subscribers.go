package admin

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"sukma/digest"
	"sukma/storage"
)

var (
	telegramChat = regexp.MustCompile(`^-?[0-9]{1,16}$`) // Telegram: at most 52 significant bits
	phoneNumber  = regexp.MustCompile(`^[0-9]{8,15}$`)
)

// subscriberRoutes registers the subscribers page: digests and alerts for agency heads,
// added directly (a known chat id or number) or by a one-time /langganan code.
func (s *Server) subscriberRoutes(province func(http.HandlerFunc) http.Handler) {
	s.mux.Handle("GET /admin/subscribers", province(s.handleSubscribers))
	s.mux.Handle("POST /admin/subscribers", province(s.handleCreateSubscriber))
	s.mux.Handle("POST /admin/subscribers/codes", province(s.handleCreateCode))
	s.mux.Handle("POST /admin/subscribers/{id}/delete", province(s.handleDeleteSubscriber))
	s.mux.Handle("POST /admin/subscribers/{id}/digest", province(s.handleSendDigest))
}

type subscribersPage struct {
	Subscribers []storage.Subscriber
	Off         []channelOff // the channels turned off, whose subscribers get nothing yet
	// When says each subscriber's schedule in words, in the page's language: cron → words.
	When        map[string]string
	Units       []storage.Unit
	Agencies    []storage.AgencyListing
	Schedules   []schedule
	Code        string // a code just created
	CodeExpires string
	Form        subscriberForm // what the forms show: the defaults, or what was posted
	// Last says, by subscriber id, what became of each one's newest digest or alert.
	Last map[int64]delivery
}

// delivery is a subscriber's newest digest or alert as the list shows it: State is sent,
// failed or waiting, Text says so with its time, and Error is the platform's last refusal.
type delivery struct{ State, Text, Error string }

// deliveries words what became of each subscriber's newest digest or alert, in the page's
// language, so that an admin sees a head who blocked the bot, or a wrong chat id.
func (s *Server) deliveries(r *http.Request, ds map[int64]storage.Delivery) map[int64]delivery {
	tr := view{Lang: lang(r)}.T
	out := make(map[int64]delivery, len(ds))
	for id, d := range ds {
		switch {
		case d.SentAt != nil:
			out[id] = delivery{State: "sent", Text: fmt.Sprintf(tr("terkirim %s"), s.when(*d.SentAt))}
		case d.FailedAt != nil:
			out[id] = delivery{State: "failed", Text: fmt.Sprintf(tr("tidak terkirim %s"), s.when(*d.FailedAt)), Error: d.LastError}
		case d.Attempts > 0:
			out[id] = delivery{State: "waiting", Text: fmt.Sprintf(tr("menunggu, sudah dicoba %d kali"), d.Attempts), Error: d.LastError}
		default:
			out[id] = delivery{State: "waiting", Text: fmt.Sprintf(tr("dalam antrean sejak %s"), s.when(d.CreatedAt))}
		}
	}
	return out
}

// IsOff reports whether the channel (a subscriber's) is one of p.Off.
func (p subscribersPage) IsOff(channel string) bool {
	for _, c := range p.Off {
		if c.Key == channel {
			return true
		}
	}
	return false
}

// subscriberForm is what the subscriber and code forms hold; after a refusal, what was
// posted, so that nothing typed has to be typed again.
type subscriberForm struct {
	Scope, Channel, Address, Schedule, Language string
	Alerts                                      bool
}

var newSubscriberForm = subscriberForm{Channel: "telegram", Schedule: digest.DefaultSchedule, Language: "id", Alerts: true}

// postedForm is the subscriber form as posted.
func postedForm(r *http.Request) subscriberForm {
	return subscriberForm{Scope: r.PostFormValue("scope"), Channel: r.PostFormValue("channel"),
		Address: strings.TrimSpace(r.PostFormValue("address")), Schedule: strings.TrimSpace(r.PostFormValue("schedule")),
		Language: r.PostFormValue("language"), Alerts: r.PostFormValue("alerts") != ""}
}

type schedule struct{ Cron, Label string }

var schedules = []schedule{
	{digest.DefaultSchedule, "Mingguan, Senin 07.00"},
	{"0 7 1 * *", "Bulanan, tanggal 1 pukul 07.00"},
	{"0 7 * * *", "Harian, 07.00"},
}

func (s *Server) handleSubscribers(w http.ResponseWriter, r *http.Request) {
	p := subscribersPage{Form: newSubscriberForm}
	if c, ok := s.issuedCode(w, r); ok {
		p.Code, p.CodeExpires = c.Code, s.when(c.ExpiresAt)
	}
	s.showSubscribers(w, r, http.StatusOK, p, "")
}

// codeCookie holds the code this browser created last, so that the page shows it after the
// redirect that follows its creation, and on every reload until the code is used or expires;
// a reload does not post the form again and make another code.
const codeCookie = "sukma_code"

// issuedCode is the code named by codeCookie while it can still be redeemed; the cookie of a
// code used, expired or unknown is dropped.
func (s *Server) issuedCode(w http.ResponseWriter, r *http.Request) (storage.SubscriptionCode, bool) {
	ck, err := r.Cookie(codeCookie)
	if err != nil {
		return storage.SubscriptionCode{}, false
	}
	c, err := s.DB.FindSubscriptionCode(r.Context(), ck.Value)
	if err == nil && c.UsedAt == nil && c.ExpiresAt > s.DB.Now().UnixMilli() {
		return c, true
	}
	http.SetCookie(w, &http.Cookie{Name: codeCookie, Value: "", Path: "/admin/subscribers", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	return storage.SubscriptionCode{}, false
}

func (s *Server) showSubscribers(w http.ResponseWriter, r *http.Request, status int, p subscribersPage, problem string) {
	var err error
	var last map[int64]storage.Delivery
	if p.Subscribers, err = s.DB.FindSubscribers(r.Context()); err == nil {
		if p.Units, err = s.units(r.Context(), current(r)); err == nil {
			if p.Agencies, err = s.DB.ListAgencies(r.Context()); err == nil {
				last, err = s.DB.LastDeliveries(r.Context())
			}
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Last = s.deliveries(r, last)
	p.Schedules = schedules
	p.Off = s.channelsOff()
	p.When = map[string]string{}
	for _, sub := range p.Subscribers {
		p.When[sub.Schedule] = digest.DescribeSchedule(sub.Schedule, lang(r))
	}
	s.render(w, r, status, "subscribers", view{Title: "Pelanggan ringkasan & peringatan", Error: problem}, p)
}

// scope reads what a subscription follows: scope = "unit:CODE", "agency:ID" or "" (the
// whole province), with the schedule, language and alerts.
func (s *Server) scope(r *http.Request) (storage.NewSubscriber, string, error) {
	n := storage.NewSubscriber{Schedule: strings.TrimSpace(r.PostFormValue("schedule")), Language: r.PostFormValue("language"),
		Alerts: r.PostFormValue("alerts") != ""}
	if n.Schedule == "" {
		n.Schedule = digest.DefaultSchedule
	}
	if _, err := digest.ParseSchedule(n.Schedule); err != nil {
		return n, "Jadwal tidak dikenal: tulis ekspresi cron (menit jam tanggal bulan hari), misalnya 0 7 * * 1.", nil
	}
	if n.Language != "en" {
		n.Language = "id"
	}
	kind, val, _ := strings.Cut(r.PostFormValue("scope"), ":")
	switch kind {
	case "unit":
		u, err := s.DB.FindUnitByCode(r.Context(), val)
		if errors.Is(err, storage.ErrNotFound) || err == nil && u.Code == storage.PreviewUnitCode {
			return n, "Unit tidak ditemukan.", nil // the preview unit is no unit to follow
		} else if err != nil {
			return n, "", err
		}
		if u.RetiredAt != nil {
			return n, "Unit " + u.Name + " nonaktif: tidak menerima survei, jadi ringkasannya kosong. Pilih unit yang aktif.", nil
		}
		n.UnitID = &u.ID
	case "agency":
		id, err := strconv.ParseInt(val, 10, 64)
		if err != nil {
			return n, "Instansi tidak ditemukan.", nil
		}
		if _, err := s.DB.FindAgencyByID(r.Context(), id); errors.Is(err, storage.ErrNotFound) {
			return n, "Instansi tidak ditemukan.", nil
		} else if err != nil {
			return n, "", err
		}
		n.AgencyID = &id
	}
	return n, "", nil
}

func (s *Server) handleCreateSubscriber(w http.ResponseWriter, r *http.Request) {
	n, problem, err := s.scope(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n.Channel = r.PostFormValue("channel")
	n.Address = digest.NormalAddress(n.Channel, r.PostFormValue("address"))
	switch {
	case problem != "":
	case n.Channel == "telegram" && !telegramChat.MatchString(n.Address):
		problem = "Telegram: isi chat id berupa angka (minta kepala unit mengirim /langganan KODE ke bot bila belum tahu)."
	case n.Channel == "whatsapp":
		if !phoneNumber.MatchString(n.Address) {
			problem = "WhatsApp: isi nomor, misalnya 6281234567890."
		}
	case n.Channel != "telegram":
		problem = "Pilih kanal Telegram atau WhatsApp."
	}
	if problem != "" {
		s.showSubscribers(w, r, http.StatusUnprocessableEntity, subscribersPage{Form: postedForm(r)}, problem)
		return
	}
	// The head hears at once what the messages are and how to stop them.
	if _, err := digest.CreateSubscriber(r.Context(), s.DB, n, s.Location); errors.Is(err, storage.ErrConflict) {
		// Kept as posted, as every refusal of the form is: the admin may have meant another
		// scope, and changes one field rather than choosing them all again.
		s.showSubscribers(w, r, http.StatusConflict, subscribersPage{Form: postedForm(r)}, "Nomor atau chat ini sudah berlangganan ringkasan yang sama "+
			"(unit, instansi atau seluruh provinsi yang sama): setiap ringkasan dikirim sekali saja. Untuk mengubah jadwal, "+
			"bahasa atau peringatannya, hapus langganan lamanya di daftar di bawah, lalu tambahkan lagi.")
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	notice := "created"
	if s.channelIsOff(n.Channel) {
		notice = "created-off"
	}
	http.Redirect(w, r, "/admin/subscribers?ok="+notice, http.StatusSeeOther)
}

// handleCreateCode creates a one-time code that subscribes the chat that sends
// "/langganan CODE" to the bot: no one has to find out a chat id.
func (s *Server) handleCreateCode(w http.ResponseWriter, r *http.Request) {
	n, problem, err := s.scope(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if problem != "" {
		s.showSubscribers(w, r, http.StatusUnprocessableEntity, subscribersPage{Form: postedForm(r)}, problem)
		return
	}
	c, err := digest.IssueCode(r.Context(), s.DB, storage.SubscriptionCode{UnitID: n.UnitID, AgencyID: n.AgencyID,
		Schedule: n.Schedule, Language: n.Language, Alerts: n.Alerts})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: codeCookie, Value: c.Code, Path: "/admin/subscribers",
		MaxAge: int(digest.CodeValidity.Seconds()), HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	http.Redirect(w, r, "/admin/subscribers#code", http.StatusSeeOther)
}

func (s *Server) handleDeleteSubscriber(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = s.DB.DeleteSubscriber(r.Context(), id)
	}
	if errors.Is(err, storage.ErrNotFound) || err != nil && id == 0 {
		s.notFound(w, r, "Pelanggan tidak ditemukan.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/subscribers?ok=deleted", http.StatusSeeOther)
}
