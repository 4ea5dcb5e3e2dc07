// Package admin is the admin web UI under /admin/: sign-in with admin accounts, the IKM
// dashboard, units and services with their QR posters, the flow editor, admin accounts,
// subscribers and channels. Pages are rendered on the server (html/template) from embedded
// templates and assets; a little plain JavaScript helps where it can, and every form works
// without it. Indonesian first; ?lang=en (kept in a cookie) switches to English.
package admin

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"sukma/storage"
)

// Deps is what the admin UI needs; cmd/sukma fills it.
type Deps struct {
	DB     *storage.DB
	Logger *slog.Logger
	// AdminToken (SUKMA_ADMIN_TOKEN) is the first password of the account "admin", created
	// on the first visit when no account exists. Empty: no account is created that way.
	AdminToken string
	// PublicURL is the base of survey links, without a trailing slash; empty: the request's
	// own scheme and host.
	PublicURL string
	// LocalLinks reports that PublicURL is the server's own loopback address, derived because
	// SUKMA_PUBLIC_URL is not set: the pages that make survey links and QR codes say that
	// citizens' phones cannot open them, before posters are printed with them.
	LocalLinks bool
	// Location is SUKMA_TIMEZONE; nil is UTC.
	Location *time.Location
	// Channels reports the messaging channels' state on the channels page; nil shows none.
	Channels ChannelStatus
	// WhatsApp links a WhatsApp account from the channels page; nil when the linked device
	// is off (or the Cloud API is used).
	WhatsApp WhatsAppPairing
	// TrustedProxies are the load balancers in front (SUKMA_TRUSTED_PROXIES): a request
	// from one of them is the client's named by X-Forwarded-For, for the sign-in limits.
	TrustedProxies []netip.Prefix
}

// Channel is one messaging channel as the channels page shows it.
type Channel struct {
	Name    string // "Telegram", "WhatsApp"
	Enabled bool
	// Connected reports whether the channel works right now (the bot answers, the device is
	// linked).
	Connected bool
	// Detail says more: what to fix, or the state of the linked device, in Indonesian (the
	// admin's English pages translate it); Facts are names and numbers that need no
	// translation: the bot's username, the linked number, the webhook's address.
	Detail, Facts string
}

// ChannelStatus reports the state of the messaging channels.
type ChannelStatus interface {
	Status() []Channel
}

//go:embed templates static
var files embed.FS

// Server is the admin UI. Build it with New.
type Server struct {
	Deps
	mux   *http.ServeMux
	pages map[string]*template.Template
}

// New returns the admin UI, which serves every path under /admin/ (mount it at "/admin/").
func New(d Deps) *Server {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	s := &Server{Deps: d, mux: http.NewServeMux(), pages: map[string]*template.Template{}}
	names, _ := fs.Glob(files, "templates/*.html")
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		s.pages[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", n))
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	m := s.mux
	static, err := fs.Sub(files, "static")
	if err != nil {
		panic(err)
	}
	// Only the static subtree, with no directory listings: "/admin/static/%2e%2e/" reaches
	// the file server as "/admin/static/../", which it cleans to the root of what it serves.
	m.Handle("GET /admin/static/", http.StripPrefix("/admin/static/", http.FileServerFS(filesOnly{static})))
	m.HandleFunc("GET /admin/login", s.handleLoginPage)
	m.HandleFunc("POST /admin/login", s.handleLogin)
	m.HandleFunc("GET /admin", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/admin/", http.StatusFound) })
	member, province := s.signedIn(false), s.signedIn(true)
	m.Handle("POST /admin/logout", member(s.handleLogout))
	m.Handle("GET /admin/password", member(s.handlePasswordPage))
	m.Handle("POST /admin/password", member(s.handlePassword))
	m.Handle("GET /admin/{$}", member(s.handleDashboard))
	m.Handle("GET /admin/export/responses.csv", member(s.handleExportCSV))
	m.Handle("GET /admin/export/report.xlsx", member(s.handleExportXLSX))
	m.Handle("GET /admin/units", member(s.handleUnits))
	m.Handle("POST /admin/units", member(s.handleCreateUnit))
	m.Handle("GET /admin/units/{code}", member(s.handleUnit))
	m.Handle("POST /admin/units/{code}", member(s.handleUpdateUnit))
	m.Handle("POST /admin/units/{code}/retire", member(s.handleRetireUnit))
	m.Handle("POST /admin/units/{code}/restore", member(s.handleRestoreUnit))
	m.Handle("POST /admin/units/{code}/services", member(s.handleCreateService))
	m.Handle("POST /admin/units/{code}/services/{service}/name", member(s.handleRenameService))
	m.Handle("POST /admin/units/{code}/services/{service}/retire", member(s.handleRetireService))
	m.Handle("POST /admin/units/{code}/services/{service}/restore", member(s.handleRestoreService))
	m.Handle("GET /admin/units/{code}/poster", member(s.handlePoster))
	m.Handle("POST /admin/units/{code}/visit", member(s.handleVisit))
	m.Handle("GET /admin/flows", province(s.handleFlows))
	m.Handle("GET /admin/flows/{id}", province(s.handleFlow))
	m.Handle("POST /admin/flows/{id}", province(s.handleFlowAction))
	m.Handle("POST /admin/flows/{id}/form", province(s.handleFlowForm))
	m.Handle("POST /admin/flows/{id}/validate", s.signedInJSON(true)(s.handleValidate))
	m.Handle("GET /admin/flows/{id}/v/{version}", province(s.handleFlowVersion))
	m.Handle("POST /admin/flows/{id}/v/{version}/draft", province(s.handleUseVersion))
	m.Handle("POST /admin/flows/{id}/draft/delete", province(s.handleDiscardDraft))
	m.Handle("GET /admin/admins", province(s.handleAdmins))
	m.Handle("POST /admin/admins", province(s.handleCreateAdmin))
	m.Handle("POST /admin/admins/{id}/delete", province(s.handleDeleteAdmin))
	s.channelRoutes(province)
	s.subscriberRoutes(province)
	m.HandleFunc("/admin/", func(w http.ResponseWriter, r *http.Request) {
		// Signed in, the page keeps its menu, to go on from: a mistyped address is no dead end.
		if sess, err := s.session(r); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
		}
		s.render(w, r, http.StatusNotFound, "message", view{Title: "Halaman tidak ditemukan"}, message{Text: "Halaman ini tidak ada.", Back: "/admin/"})
	})
}

// filesOnly is a file system without its directories, so that a file server lists none: a
// directory is not found.
type filesOnly struct{ fs.FS }

func (f filesOnly) Open(name string) (fs.File, error) {
	file, err := f.FS.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := file.Stat(); err != nil || st.IsDir() {
		file.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return file, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if !strings.HasPrefix(r.URL.Path, "/admin/static/") {
		h.Set("Cache-Control", "no-store")
	}
	// Every body is capped, and only read once there is a session to answer for it (guard
	// reads the form after the session check): anyone may post to any path, and Go would
	// otherwise read 10 MB of form into memory for each such request.
	limit := int64(formBodyLimit)
	if r.URL.Path == "/admin/login" {
		limit = loginBodyLimit
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if !storage.ValidText(r.URL.Path) || !textValues(r.URL.Query()) {
		s.render(w, r, http.StatusBadRequest, "message", view{Title: "Isian tidak dapat dibaca"},
			message{Text: "Isian berisi karakter NUL atau teks yang bukan UTF-8. Ketik ulang isiannya tanpa karakter itu."})
		return
	}
	// Anyone may post the sign-in form: its body is read here, no more of it than its three
	// short fields and a next path need.
	if r.Method == http.MethodPost && r.URL.Path == "/admin/login" && !s.readForm(w, r, false) {
		return
	}
	if l := r.URL.Query().Get("lang"); l == "en" || l == "id" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: "/admin/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	}
	s.mux.ServeHTTP(w, r)
}

// formBodyLimit is the most of a request body read from a signed-in admin. The largest
// form is the flow editor's question form: the flow's YAML twice (source and drawn) and its
// questions again as fields. For a flow as large as flows.Parse takes (flows.MaxSize, 1 MiB,
// as the API), its YAML percent-encoded (about a quarter longer), that is under 4 MiB; a
// larger YAML that fits in the form is refused by flows.Parse, with the same message as
// `sukma flows validate` gives.
const formBodyLimit = 4 << 20

// readForm parses the form of r (its body capped by ServeHTTP) and answers, as the route
// answers (a page, or JSON for api), a body past the cap (413) or a form that is not
// storable text (400). It reports whether the handler may go on.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, api bool) bool {
	err := r.ParseForm()
	if errors.As(err, new(*http.MaxBytesError)) {
		switch {
		case api:
			s.jsonError(w, r, http.StatusRequestEntityTooLarge, "Isian lebih besar dari 4 MiB: perkecil YAML-nya lalu coba lagi.")
		case r.URL.Path == "/admin/login":
			s.render(w, r, http.StatusRequestEntityTooLarge, "message", view{Title: "Isian terlalu panjang"},
				message{Text: "Isian formulir masuk terlalu panjang. Periksa nama pengguna dan kata sandi, lalu coba lagi.", Back: "/admin/login"})
		default:
			s.render(w, r, http.StatusRequestEntityTooLarge, "message", view{Title: "Isian terlalu panjang"},
				message{Text: "Isian formulir lebih besar dari 4 MiB, jadi tidak dibaca. Perkecil isiannya (misalnya YAML alur) lalu coba lagi.", Back: nextPath(referer(r))})
		}
		return false
	}
	// More than Go's 10,000 fields (net/url's limit, which has no error value of its own): the
	// question form of a flow of thousands of questions. Nothing is read.
	if err != nil && strings.Contains(err.Error(), "parameters exceeded limit") {
		const why = "Formulir berisi lebih dari 10.000 isian, jadi tidak dibaca. Ubah alur sebesar ini di editor YAML."
		if api {
			s.jsonError(w, r, http.StatusRequestEntityTooLarge, why)
		} else {
			s.render(w, r, http.StatusRequestEntityTooLarge, "message", view{Title: "Isian terlalu banyak"}, message{Text: why, Back: nextPath(referer(r))})
		}
		return false
	}
	// Another error (a malformed query, say) leaves what could be read in PostForm; the
	// handler answers the rest.
	if !textValues(r.PostForm) {
		const why = "Isian berisi karakter NUL atau teks yang bukan UTF-8. Ketik ulang isiannya tanpa karakter itu."
		if api {
			s.jsonError(w, r, http.StatusBadRequest, why)
		} else {
			s.render(w, r, http.StatusBadRequest, "message", view{Title: "Isian tidak dapat dibaca"}, message{Text: why})
		}
		return false
	}
	return true
}

// textValues reports whether every key and value of vs is storable text (storage.ValidText):
// PostgreSQL refuses NUL characters and broken UTF-8.
func textValues(vs map[string][]string) bool {
	for k, v := range vs {
		if !storage.ValidText(k) {
			return false
		}
		for _, x := range v {
			if !storage.ValidText(x) {
				return false
			}
		}
	}
	return true
}

// view is what every page's layout needs; Data is the page's own.
type view struct {
	Title  string
	Lang   string
	Path   string
	Admin  *storage.AdminSession
	CSRF   string
	Notice string
	// Warnings are shown under the notice, each as a caution not to be missed.
	Warnings []string
	Error    string
	Nav      string
	Data     any
	// LangLink is this page in the other language, with its filters ("?period=…&lang=en").
	LangLink string
}

// T translates an Indonesian UI text to the page's language.
func (v view) T(s string) string {
	if v.Lang == "en" {
		if e, ok := english[s]; ok {
			return e
		}
	}
	return s
}

// Province reports whether the signed-in admin is a province admin.
func (v view) Province() bool { return v.Admin != nil && v.Admin.Role == storage.RoleProvince }

type message struct{ Text, Back string }

var funcs = template.FuncMap{
	"kinds":    func() []string { return []string{"scale", "choice", "text", "number"} },
	"elements": func() []string { return []string{"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"} },
	"pct": func(v, max float64) float64 {
		if max <= 0 || v <= 0 {
			return 0
		}
		if v >= max {
			return 100
		}
		return float64(int(v/max*1000)) / 10
	},
}

// render writes a page: its template in the layout, with the session, CSRF token and
// language filled in from the request.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view, data any) {
	v.Lang, v.Path, v.Data = lang(r), r.URL.Path, data
	q := r.URL.Query()
	q.Del("ok") // a notice is shown once
	q.Set("lang", map[string]string{"id": "en", "en": "id"}[v.Lang])
	v.LangLink = "?" + q.Encode()
	if sess, ok := r.Context().Value(sessionKey{}).(*storage.AdminSession); ok {
		v.Admin, v.CSRF = sess, sess.CSRFToken
	}
	if v.Notice == "" {
		v.Notice = notices[r.URL.Query().Get("ok")]
	}
	if s.LocalLinks && linkPages[page] {
		v.Warnings = append(v.Warnings, fmt.Sprintf(v.T(localLinks), s.publicURL(r)))
	}
	t, ok := s.pages[page]
	if !ok {
		panic("admin: no page " + page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.Logger.Error("admin: render", slog.String("page", page), slog.Any("err", err))
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// linkPages are the pages that show survey links and QR codes.
var linkPages = map[string]bool{"units": true, "unit": true, "poster": true, "channels": true}

// localLinks warns of survey links to the server's loopback address (Deps.LocalLinks).
const localLinks = "SUKMA_PUBLIC_URL belum diisi, jadi tautan survei dan kode QR memakai %s, yang tidak terbuka dari ponsel warga. Isi SUKMA_PUBLIC_URL dengan alamat Sukma yang dibuka warga (misalnya https://skm.dinas.go.id) dan jalankan ulang Sukma sebelum mencetak poster."

// when writes a time (unix milliseconds) as the admin writes every time: 07-12-2026 17:30,
// in SUKMA_TIMEZONE.
func (s *Server) when(ms int64) string {
	return time.UnixMilli(ms).In(s.Location).Format("02-01-2006 15:04")
}

// fail logs an unexpected error and shows a page that says to try again, without details.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.Logger.Error("admin: internal error", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
	s.render(w, r, http.StatusInternalServerError, "message", view{Title: "Terjadi kesalahan"},
		message{Text: "Terjadi kesalahan di server. Coba lagi sebentar lagi; bila berulang, hubungi pengelola sistem."})
}

// forbidden answers 403 with a page that says why.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request, why string) {
	s.render(w, r, http.StatusForbidden, "message", view{Title: "Akses ditolak"}, message{Text: why, Back: "/admin/"})
}

// notFound answers 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request, what string) {
	s.render(w, r, http.StatusNotFound, "message", view{Title: "Tidak ditemukan"}, message{Text: what, Back: "/admin/"})
}

// notices are the messages a redirect after a successful POST shows (?ok=key).
var notices = map[string]string{
	"password":         "Kata sandi baru tersimpan.",
	"created":          "Tersimpan.",
	"saved":            "Perubahan tersimpan.",
	"retired":          "Unit dinonaktifkan: tidak menerima survei baru, hasil lamanya tetap dihitung.",
	"restored":         "Unit diaktifkan kembali.",
	"service-restored": "Layanan diaktifkan kembali: dapat dipilih lagi untuk QR kunjungan dan survei.",
	"service-retired":  "Layanan dinonaktifkan: tidak dapat dipilih lagi untuk QR kunjungan dan survei baru; hasil lamanya tetap dihitung. Dapat diaktifkan kembali.",
	"published":        "Alur diterbitkan sebagai versi baru. Survei baru memakai versi ini.",
	"draft":            "Draf tersimpan.",
	"discarded":        "Draf dibuang. Editor menampilkan versi yang diterbitkan.",
	"unchanged":        "Tidak ada perubahan dari versi terbaru; tidak diterbitkan.",
	"added":            "Pertanyaan baru ditambahkan di akhir formulir, dengan teks contoh: tulis teksnya, lalu tekan Terapkan ke YAML.",
	"deleted":          "Dihapus.",
	"pairing":          "Penautan WhatsApp dimulai: pindai kode QR di bawah dengan ponsel.",
	"digest":           "Ringkasan uji masuk antrean kirim; akan terkirim dalam beberapa saat.",
	"digest-off":       "Ringkasan uji masuk antrean kirim, tetapi kanal pelanggan ini tidak aktif: ringkasan baru terkirim setelah kanal itu diaktifkan (lihat peringatan di bawah).",
	"created-off":      "Pelanggan tersimpan, tetapi kanalnya tidak aktif: ringkasan dan peringatannya baru terkirim setelah kanal itu diaktifkan (lihat peringatan di bawah).",
	"digest-none":      "Jadwal pelanggan ini belum pernah berjalan; belum ada periode untuk diringkas.",
}

// secure reports whether the browser reaches the admin UI over HTTPS, so that its cookies
// are marked Secure: the connection is TLS, the proxy says so (X-Forwarded-Proto), or the
// public URL is https://. A proxy that ends TLS need not say so (nginx sends no
// X-Forwarded-Proto unless told to), and a session cookie sent once over plain HTTP can be
// read on the way.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") ||
		strings.HasPrefix(strings.ToLower(s.PublicURL), "https://")
}

func (s *Server) publicURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimRight(s.PublicURL, "/")
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

const langCookie = "sukma_lang"

// lang is the UI language of a request: ?lang=, else the cookie, else Indonesian.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "id" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && c.Value == "en" {
		return "en"
	}
	return "id"
}
