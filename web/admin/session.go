package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"

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
				http.Redirect(w, r, "/admin/login"+comeBack(r), http.StatusSeeOther)
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

// comeBack is the ?next= of the sign-in page for a request without a session: the page
// itself for a GET; for a POST, the page the form was on (its Referer, when of this site),
// where admin.js puts back an unsaved flow edit. nextPath checks it at sign-in.
func comeBack(r *http.Request) string {
	next := referer(r)
	if r.Method == http.MethodGet {
		next = r.URL.RequestURI()
	}
	if next == "" {
		return ""
	}
	return "?next=" + url.QueryEscape(next)
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
