package admin

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"sukma/storage"
	"sukma/web/clientip"
)

const (
	sessionCookie = "sukma_admin"
	// loginCookie carries the sign-in form's CSRF token before there is a session
	// (double submit: the form's hidden field must equal the cookie).
	loginCookie     = "sukma_login"
	sessionLifetime = 12 * time.Hour
	minPassword     = 10
	// loginBodyLimit is the most of a sign-in form read: a username (32 characters), a
	// password (bcryptInput takes any length, but none is typed this long), a next path
	// and the CSRF token fit many times over.
	loginBodyLimit = 8 << 10
)

type sessionKey struct{}

// randomToken returns n random bytes in base64url.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSessionID(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// sameToken compares two secrets in constant time.
func sameToken(a, b string) bool {
	ha, hb := sha256.Sum256([]byte(a)), sha256.Sum256([]byte(b))
	return a != "" && subtle.ConstantTimeCompare(ha[:], hb[:]) == 1
}

type loginPage struct {
	Username, Next string
	FirstRun       bool
	// Ended: the sign-in page was reached from a form posted after the session ended (see
	// comeBack); the page says that nothing of it was saved.
	Ended bool
}

// ensureFirstAdmin creates the account "admin" with the admin token as its password when
// no account exists yet. It reports whether the token still works as that first password.
func (s *Server) ensureFirstAdmin(ctx context.Context) (bool, error) {
	n, err := s.DB.CountAdmins(ctx)
	if err != nil || n > 0 || s.AdminToken == "" {
		return false, err
	}
	hash, err := hashPassword(s.AdminToken)
	if err != nil {
		return false, err
	}
	_, err = s.DB.CreateAdmin(ctx, storage.NewAdmin{Username: "admin", PasswordHash: hash, Role: storage.RoleProvince, MustChangePassword: true})
	if errors.Is(err, storage.ErrConflict) {
		err = nil // another request or replica made it first
	}
	return err == nil, err
}

func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	first, err := s.ensureFirstAdmin(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sess, err := s.session(r); err == nil && sess != nil {
		// Signed in already (in another tab, say): on to the page that asked, as a sign-in would.
		http.Redirect(w, r, nextPath(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	s.showLogin(w, r, http.StatusOK, loginPage{Next: q.Get("next"), FirstRun: first, Ended: q.Get("ended") == "1"}, "")
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage, problem string) {
	token := randomToken(32)
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: token, Path: "/admin/login", MaxAge: 3600,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	s.render(w, r, status, "login", view{Title: "Masuk", CSRF: token, Error: problem}, p)
}

// handleLogin checks the username and password. Failed attempts are limited per client
// address (signInLimit) and, more loosely, per username (userSignInLimit), in the database,
// so across replicas; a success starts a 12-hour session.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		s.forbidden(w, r, "Formulir masuk sudah kedaluwarsa. Buka halaman masuk lagi lalu coba lagi.")
		return
	}
	username := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	p := loginPage{Username: username, Next: r.PostFormValue("next"), Ended: r.PostFormValue("ended") == "1"}
	if !codeShape.MatchString(username) {
		// No account has such a name (handleCreateAdmin makes every one codeShape): say so
		// before any work, and count it toward no limit, as it can never sign in.
		s.Logger.Info("admin: sign-in refused, not a username", loggedUsername(storage.Admin{}, username), slog.String("ip", s.clientIP(r)))
		s.showLogin(w, r, http.StatusUnprocessableEntity, p, "Nama pengguna hanya berisi huruf, angka, - dan _ (paling panjang 32 karakter).")
		return
	}
	if _, err := s.ensureFirstAdmin(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	ip, user := "ip:"+s.clientIP(r), "user:"+strings.ToLower(username)
	wait, err := s.DB.SignInWait(ctx, signInLimit, ip)
	if err == nil {
		var userWait time.Duration
		userWait, err = s.DB.SignInWait(ctx, userSignInLimit, user)
		wait = max(wait, userWait)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.DB.FindAdminByUsername(ctx, username)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	if wait > 0 {
		s.Logger.Warn("admin: sign-in rate limited", loggedUsername(a, username), slog.String("ip", s.clientIP(r)))
		s.showLogin(w, r, http.StatusTooManyRequests, p, "Terlalu banyak percobaan masuk yang gagal. Tunggu "+waitText(wait, lang(r))+" lalu coba lagi.")
		return
	}
	hash := a.PasswordHash
	if hash == "" {
		// Spend the same time on an unknown username as on a wrong password.
		hash = dummyHash
	}
	if !passwordMatches(hash, password) || err != nil {
		err := s.DB.SignInFailed(ctx, signInLimit, ip)
		if err == nil {
			err = s.DB.SignInFailed(ctx, userSignInLimit, user)
		}
		if err != nil {
			s.Logger.Error("admin: could not record a failed sign-in", slog.Any("error", err))
		}
		s.Logger.Info("admin: sign-in refused", loggedUsername(a, username), slog.String("ip", s.clientIP(r)))
		s.showLogin(w, r, http.StatusUnauthorized, p, "Nama pengguna atau kata sandi salah.")
		return
	}
	id := randomToken(32)
	expires := s.DB.Now().Add(sessionLifetime)
	if err := s.DB.CreateAdminSession(ctx, hashSessionID(id), a.ID, randomToken(32), expires.UnixMilli()); err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.DB.PurgeAdminSessions(ctx); err != nil {
		s.Logger.Warn("admin: purge sessions", slog.Any("err", err))
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/admin/", Expires: expires, MaxAge: int(sessionLifetime.Seconds()),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/admin/login", MaxAge: -1})
	s.Logger.Info("admin: signed in", slog.String("username", a.Username))
	next := nextPath(p.Next)
	if a.MustChangePassword {
		// The new password first, then on to the page asked for: a head's first sign-in
		// comes from a digest's link to one period and unit, not to the dashboard's default.
		next = "/admin/password" + onTo(next)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// nextPath is where a sign-in goes on to: next, the page that asked for it, if that is a page
// under /admin/, else the dashboard. Its path is checked as cleaned, because http.Redirect
// cleans it too: /admin/../x is /x, and a browser reads a backslash as a slash, so
// /admin/../\evil.example/ would leave the site.
func nextPath(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		strings.Contains(next, `\`) || strings.Contains(u.Path, `\`) {
		return "/admin/"
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/" // path.Clean drops it, and /admin/ is not /admin
	}
	if !strings.HasPrefix(clean, "/admin/") {
		return "/admin/"
	}
	return (&url.URL{Path: clean, RawQuery: u.RawQuery}).String()
}

var dummyHash, _ = hashPassword("sukma-no-such-admin")

// loggedUsername is what the log says of the username of a sign-in that did not succeed: the
// name of the account a (found by it), or else only how long the typed one was. What is
// typed in the username box is at times the password, typed in the wrong box.
func loggedUsername(a storage.Admin, typed string) slog.Attr {
	if a.ID != 0 {
		return slog.String("username", a.Username)
	}
	return slog.Int("unknown_username_length", utf8.RuneCountInString(typed))
}

// bcryptInput is what bcrypt hashes for a password: the password itself, or, past bcrypt's
// 72 bytes, the base64 of its SHA-256, so that a long admin token or passphrase counts in
// full instead of being refused (bcrypt takes no more than 72 bytes).
func bcryptInput(pw string) []byte {
	if len(pw) <= 72 {
		return []byte(pw)
	}
	sum := sha256.Sum256([]byte(pw))
	return []byte(base64.StdEncoding.EncodeToString(sum[:]))
}

// hashPassword is the bcrypt hash of a password, of any length.
// HashPassword is hashPassword for a password set outside the pages (sukma admin
// reset-password).
func HashPassword(pw string) (string, error) { return hashPassword(pw) }

func hashPassword(pw string) (string, error) {
	hash, err := bcrypt.GenerateFromPassword(bcryptInput(pw), bcrypt.DefaultCost)
	return string(hash), err
}

// passwordMatches reports whether pw is the password of hash.
func passwordMatches(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), bcryptInput(pw)) == nil
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.DB.DeleteAdminSession(r.Context(), hashSessionID(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/admin/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secure(r)})
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}

// passwordPage is the password form's data: Next is the page to go on to once it is saved.
type passwordPage struct{ Next string }

// onTo is the ?next= of the password page that goes on to next; empty for the dashboard,
// where it goes anyway.
func onTo(next string) string {
	if next == "/admin/" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
}

func (s *Server) handlePasswordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password", view{Title: "Ganti kata sandi"}, passwordPage{Next: r.URL.Query().Get("next")})
}

// handlePassword sets a new password: the current one must be right, the new one at least
// minPassword characters, typed twice, and not the admin token.
func (s *Server) handlePassword(w http.ResponseWriter, r *http.Request) {
	sess := current(r)
	old, pw, again := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("again")
	problem := ""
	switch {
	case !passwordMatches(sess.PasswordHash, old):
		problem = "Kata sandi saat ini salah."
	case utf8.RuneCountInString(pw) < minPassword:
		problem = "Kata sandi baru minimal 10 karakter."
	case pw != again:
		problem = "Kedua isian kata sandi baru tidak sama."
	case pw == old || (s.AdminToken != "" && pw == s.AdminToken):
		problem = "Pilih kata sandi baru yang berbeda dari kata sandi awal."
	}
	if problem != "" {
		s.render(w, r, http.StatusUnprocessableEntity, "password", view{Title: "Ganti kata sandi", Error: problem}, passwordPage{Next: r.PostFormValue("next")})
		return
	}
	hash, err := hashPassword(pw)
	if err == nil {
		err = s.DB.SetAdminPassword(r.Context(), sess.ID, hash, false)
	}
	if c, cerr := r.Cookie(sessionCookie); err == nil && cerr == nil {
		err = s.DB.DeleteOtherAdminSessions(r.Context(), sess.ID, hashSessionID(c.Value))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next, _ := url.Parse(nextPath(r.PostFormValue("next")))
	q := next.Query()
	q.Set("ok", "password")
	next.RawQuery = q.Encode()
	http.Redirect(w, r, next.String(), http.StatusSeeOther)
}

// clientIP is the client's address, behind the trusted proxies (see clientip.Of).
func (s *Server) clientIP(r *http.Request) string { return clientip.Of(r, s.TrustedProxies) }
