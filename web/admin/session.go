package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"

	"sukma/storage"
)

// signedIn wraps a handler for signed-in admins: no session → the sign-in page; a password
// to change → the password page; a POST without the session's CSRF token → 403; with
// provinceOnly, a unit admin → 403.
func (s *Server) signedIn(provinceOnly bool) func(http.HandlerFunc) http.Handler {
	return s.guard(provinceOnly, false)
}

// signedInJSON is signedIn for what admin.js fetches: each refusal is a JSON error,
// {"error":"…"}, 401 when the session is gone. A redirect to the sign-in page would hand the
// script an HTML page it cannot read, and it could only keep silent.
func (s *Server) signedInJSON(provinceOnly bool) func(http.HandlerFunc) http.Handler {
	return s.guard(provinceOnly, true)
}

func (s *Server) guard(provinceOnly, api bool) func(http.HandlerFunc) http.Handler {
	return func(h http.HandlerFunc) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sess, err := s.session(r)
			if errors.Is(err, storage.ErrNotFound) {
				if api {
					s.jsonError(w, r, http.StatusUnauthorized, "Sesi berakhir: masuk lagi di tab lain, lalu simpan.")
					return
				}
				http.Redirect(w, r, "/admin/login"+s.comeBack(r), http.StatusSeeOther)
				return
			}
			if err != nil {
				if api {
					s.Logger.Error("admin: internal error", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
					s.jsonError(w, r, http.StatusInternalServerError, "Terjadi kesalahan di server. Coba lagi sebentar lagi.")
				} else {
					s.fail(w, r, err)
				}
				return
			}
			r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
			if !s.readForm(w, r, api) {
				return
			}
			if r.Method == http.MethodPost {
				token := r.Header.Get("X-CSRF-Token")
				if token == "" {
					token = r.PostFormValue("csrf")
				}
				if !sameToken(token, sess.CSRFToken) {
					const why = "Formulir ini sudah kedaluwarsa atau tidak berasal dari halaman Sukma. Muat ulang halaman lalu coba lagi."
					if api {
						s.jsonError(w, r, http.StatusForbidden, why)
						return
					}
					// A page drawn before a new sign-in (in another tab, say) has the old
					// session's token: back to that page, redrawn with the new one.
					s.render(w, r, http.StatusForbidden, "message", view{Title: "Akses ditolak"}, message{Text: why, Back: nextPath(referer(r))})
					return
				}
			}
			if sess.MustChangePassword && r.URL.Path != "/admin/password" && r.URL.Path != "/admin/logout" {
				if api {
					s.jsonError(w, r, http.StatusForbidden, "Ganti kata sandi dulu, lalu coba lagi.")
					return
				}
				to := "/admin/password"
				if r.Method == http.MethodGet { // and then back to the page asked for
					to += onTo(nextPath(r.URL.RequestURI()))
				}
				http.Redirect(w, r, to, http.StatusSeeOther)
				return
			}
			if provinceOnly && sess.Role != storage.RoleProvince {
				const why = "Halaman ini hanya untuk admin provinsi (Biro Organisasi)."
				if api {
					s.jsonError(w, r, http.StatusForbidden, why)
				} else {
					s.forbidden(w, r, why)
				}
				return
			}
			h(w, r)
		})
	}
}

// comeBack is the query of the sign-in page for a request without a session: next= the page
// itself for a GET; for a POST, the page the form was on (its Referer, when of this site),
// where admin.js puts back what the form held, and ended=1, so that the sign-in page says
// that what was sent is not saved. nextPath checks next at sign-in. A sign-out sent again
// (from a second tab, say) lost nothing, and is said nothing.
func (s *Server) comeBack(r *http.Request) string {
	q := url.Values{}
	next := referer(r)
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		next = r.URL.RequestURI()
	} else if r.URL.Path != "/admin/logout" {
		q.Set("ended", "1")
		next = s.pageOf(next)
	}
	if next != "" {
		q.Set("next", next)
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

// pageOf is the page to open again for ref, the path and query of the page a form was on:
// ref without its notice (?ok=created would say "Tersimpan." of what was not saved), or, for
// a page drawn as the answer to a form (a refused new service, at /admin/units/RSUD/services),
// which has no GET of its own, the nearest page above it (/admin/units/RSUD).
func (s *Server) pageOf(ref string) string {
	u, err := url.Parse(ref)
	if ref == "" || err != nil {
		return ref
	}
	for p := u.Path; strings.HasPrefix(p, "/admin/"); p = path.Dir(p) {
		if _, pattern := s.mux.Handler(&http.Request{Method: http.MethodGet, URL: &url.URL{Path: p}}); pattern != "/admin/" {
			if p != u.Path {
				return p
			}
			q := u.Query()
			q.Del("ok")
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return "/admin/"
}

// referer is the path and query of the page a request came from, if it is of this site;
// else "".
func referer(r *http.Request) string {
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host || r.Referer() == "" {
		return ""
	}
	return ref.RequestURI()
}

// jsonError answers {"error": why} in the request's language.
func (s *Server) jsonError(w http.ResponseWriter, r *http.Request, status int, why string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": view{Lang: lang(r)}.T(why)})
}

// session returns the request's unexpired session, or ErrNotFound.
func (s *Server) session(r *http.Request) (*storage.AdminSession, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, storage.ErrNotFound
	}
	sess, err := s.DB.FindAdminSession(r.Context(), hashSessionID(c.Value))
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

func current(r *http.Request) *storage.AdminSession {
	return r.Context().Value(sessionKey{}).(*storage.AdminSession)
}
