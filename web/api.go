package web

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"strings"

	"sukma/storage"
	"sukma/web/jsonbody"
)

// Routes of the JSON API that need no bearer token. Each is keyed by a token that is itself
// the secret (a visit token, a unit's standing token) and only turns the link that token is
// into a picture: whoever can ask already holds the link. The standing QR code by unit code
// needs the bearer token: unit codes are short and guessable, and the link lets anyone answer.
const (
	routeVisitQR         = "GET /api/v1/visits/{token}/qr.png"
	routeStandingTokenQR = "GET /api/v1/standing/{token}/qr.png"
)

// apiRoutes registers the JSON API under /api/v1. Every route needs
// "Authorization: Bearer <AdminToken>" except those listed in public; unknown paths answer
// 404 and wrong methods 405, both as JSON. A route takes the query parameters it is
// registered with and no other (withParams), but for the public QR images, which a page may
// give a cache-busting one. Add new API routes to api here, so they get the same checks.
func (s *Server) apiRoutes() {
	api := http.NewServeMux()
	register := func(pattern string, h http.HandlerFunc, params ...string) {
		api.HandleFunc(pattern, withParams(h, params))
	}
	register("GET /api/v1/units", s.handleListUnits)
	register("POST /api/v1/units", s.handleCreateUnit)
	register("GET /api/v1/units/{code}/services", s.handleListServices)
	register("POST /api/v1/units/{code}/services", s.handleCreateService)
	register("POST /api/v1/units/{code}/standing", s.handleStanding)
	register("GET /api/v1/units/{code}/standing/qr.png", s.handleStandingQR)
	register("POST /api/v1/visits", s.handleCreateVisit)
	api.HandleFunc(routeStandingTokenQR, s.handleStandingTokenQR)
	api.HandleFunc(routeVisitQR, s.handleVisitQR)
	s.ikmRoutes(register)
	s.exportRoutes(register)
	s.subscriberRoutes(register)
	s.flowRoutes(register)
	public := map[string]bool{routeVisitQR: true, routeStandingTokenQR: true}

	s.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		h, pattern := api.Handler(r)
		if !public[pattern] && !s.authorized(w, r) {
			return
		}
		if nama, name, ok := textParams(r); !ok {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s harus teks UTF-8 tanpa karakter NUL", nama),
				fmt.Sprintf("%s must be text without NUL characters, in UTF-8", name))
			return
		}
		if pattern == "" {
			// The mux's own 404 and 405 are plain text; keep their status and Allow header
			// but answer in JSON like the rest of the API.
			if allow := jsonbody.WrongMethod(h, r); allow != "" {
				w.Header().Set("Allow", allow)
				writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("Metode %s tidak dapat dipakai di %s: gunakan %s", r.Method, r.URL.Path, allow),
					fmt.Sprintf("method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow))
				return
			}
			writeError(w, http.StatusNotFound, fmt.Sprintf("Tidak ada titik API di %s: periksa jalurnya dengan dokumentasi JSON API", r.URL.Path),
				fmt.Sprintf("no API endpoint at %s: check the path against the JSON API in the documentation", r.URL.Path))
			return
		}
		api.ServeHTTP(w, r)
	})
}

// authorized checks the bearer token in constant time and answers 401 if it is missing or
// wrong. With no AdminToken configured the API refuses everyone.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	const (
		cara = `kirim header "Authorization: Bearer <SUKMA_ADMIN_TOKEN>"`
		how  = `send the header "Authorization: Bearer <SUKMA_ADMIN_TOKEN>"`
	)
	var msg problem
	// The scheme is case-insensitive (RFC 9110 §11.1).
	h := r.Header.Get("Authorization")
	ok := len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ")
	got := ""
	if ok {
		got = strings.TrimSpace(h[len("Bearer "):])
	}
	switch {
	case s.AdminToken == "":
		msg = problem{"JSON API mati karena token admin belum diatur: atur SUKMA_ADMIN_TOKEN lalu mulai ulang",
			"the JSON API is disabled because no admin token is set: set SUKMA_ADMIN_TOKEN and restart"}
	case !ok || got == "":
		msg = problem{"Token bearer tidak ada: " + cara, "missing bearer token: " + how}
	default:
		// Hashing first makes the comparison constant-time in the length too.
		a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.AdminToken))
		if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
			return true
		}
		msg = problem{"Token bearer salah: " + cara + " dengan token admin server ini", "wrong bearer token: " + how + " with the admin token of this server"}
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="sukma"`)
	msg.write(w, http.StatusUnauthorized)
	return false
}

// internalError logs the cause and answers 500 with no more than that it failed: the cause
// may hold details an API client has no use for. A database out of reach, or taking no
// writes, is no fault of the server's code: that is 503 (see unavailable).
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	if s.unavailable(w, r, err) {
		return
	}
	s.Logger.Error("api: internal error", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
	writeError(w, http.StatusInternalServerError, "Terjadi kesalahan di server: coba lagi sebentar lagi", "internal error")
}

// retryAfter is the Retry-After of a 503, in seconds: a database restarting, or a load
// balancer moving to a standby, takes a few.
const retryAfter = "5"

// unavailable answers 503 with Retry-After, and reports true, when err means the database is
// out of reach or takes no writes (storage.IsUnavailable): the same request may succeed in a
// few seconds, and a POST /visits with its Idempotency-Key makes no second visit.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) bool {
	if !storage.IsUnavailable(err) {
		return false
	}
	s.Logger.Error("api: database unavailable", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
	w.Header().Set("Retry-After", retryAfter)
	writeError(w, http.StatusServiceUnavailable,
		"Basis data sedang tidak dapat dipakai: kirim lagi permintaan ini beberapa detik lagi (POST /visits dengan Idempotency-Key yang sama aman dikirim lagi: tidak membuat kunjungan kedua)",
		"the database is unavailable: send this request again in a few seconds (a POST /visits with the same Idempotency-Key is safe to send again: it makes no second visit)")
	return true
}

// maxBody is the largest request body the JSON API reads.
const maxBody = 1 << 20

// decode reads the request body as one JSON object into dst, refusing unknown fields, and
// answers a 4xx saying what to fix when it cannot. It returns whether dst is filled.
func decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	return decodeBody(w, r, dst, false)
}

// decodeOptional is decode for a request whose body may be left out (POST …/standing, which
// clients call without one): no body, or blanks, is an object without fields.
func decodeOptional(w http.ResponseWriter, r *http.Request, dst any) bool {
	return decodeBody(w, r, dst, true)
}

func decodeBody(w http.ResponseWriter, r *http.Request, dst any, optional bool) bool {
	err := jsonbody.Decode(w, r, maxBody, dst)
	if err == nil || optional && errors.Is(err, io.EOF) {
		if name, ok := textFields(reflect.ValueOf(dst)); !ok {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("Kolom %q harus teks tanpa karakter NUL", name),
				fmt.Sprintf("field %q must be text without NUL characters", name))
			return false
		}
		return true
	}
	status, msg := http.StatusBadRequest, problem{}
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		status, msg = http.StatusRequestEntityTooLarge, problem{"Isi permintaan lebih besar dari 1 MiB", "request body is larger than 1 MiB"}
	case errors.Is(err, io.EOF):
		msg = problem{"Isi permintaan kosong: kirim sebuah objek JSON", "request body is empty: send a JSON object"}
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The server's read timeout ran out: the client sent less than it announced, or too slowly.
		status, msg = http.StatusRequestTimeout, problem{"Isi permintaan tidak selesai terkirim pada waktunya: kirim lagi, utuh",
			"the request body did not arrive in time: send it again, whole"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = problem{"Isi permintaan bukan JSON yang sah: terpotong sebelum objeknya selesai", "body is not valid JSON: it ends before the object is complete"}
	case errors.As(err, &syntax):
		msg = problem{fmt.Sprintf("Isi permintaan bukan JSON yang sah (pada bita ke-%d)", syntax.Offset),
			fmt.Sprintf("body is not valid JSON: %v (at byte %d)", syntax, syntax.Offset)}
	case errors.As(err, &typ) && typ.Field == "":
		msg = problem{"Isi permintaan harus berupa objek JSON", fmt.Sprintf("request body must be a JSON object, not %s", typ.Value)}
	case errors.As(err, &typ):
		// The API's objects are flat; a path ("subscription.alerts") names a Go struct
		// embedded in the request, which the client never saw.
		field := typ.Field[strings.LastIndex(typ.Field, ".")+1:]
		jenis, kind := jsonKind(typ.Type.Kind().String())
		msg = problem{fmt.Sprintf("Kolom %q harus %s", field, jenis), fmt.Sprintf("field %q must be %s, not %s", field, kind, typ.Value)}
	case errors.Is(err, jsonbody.ErrTrailing):
		msg = problem{"Kirim satu objek JSON saja, tanpa apa pun sesudahnya", "body is not valid JSON: send one object and nothing after it"}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		msg = problem{fmt.Sprintf("Kolom %s tidak dikenal", field), fmt.Sprintf("unknown field %s in the request body", field)}
	default:
		msg = problem{"Isi permintaan bukan JSON yang sah", "body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
	}
	msg.write(w, status)
	return false
}

// textParams reports whether the path and every query parameter are storable text
// (storage.ValidText), and if not, names the first that is not, in Indonesian and English.
func textParams(r *http.Request) (nama, name string, ok bool) {
	if !storage.ValidText(r.URL.Path) {
		return "Jalur", "the path", false
	}
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			if !storage.ValidText(k) || !storage.ValidText(v) {
				k := storage.CleanText(k)
				return fmt.Sprintf("Parameter %q", k), fmt.Sprintf("parameter %q", k), false
			}
		}
	}
	return "", "", true
}

// textFields reports whether every string field of the decoded request v (a struct, or a
// pointer to one) is storable text, and if not, names the first that is not by its JSON name.
func textFields(v reflect.Value) (string, bool) {
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return "", true
	}
	for i := range v.NumField() {
		f, fv := v.Type().Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case f.Anonymous || fv.Kind() == reflect.Struct || fv.Kind() == reflect.Pointer:
			if n, ok := textFields(fv); !ok {
				return n, false
			}
		case fv.Kind() == reflect.String && !storage.ValidText(fv.String()):
			return name, false
		}
	}
	return "", true
}

// jsonKind names a Go kind the way a JSON client thinks of it, in Indonesian and English.
func jsonKind(kind string) (jenis, name string) {
	switch {
	case kind == "string":
		return "berupa teks", "a string"
	case kind == "bool":
		return "true atau false", "true or false"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "bilangan bulat", "a whole number"
	case strings.HasPrefix(kind, "float"):
		return "berupa angka", "a number"
	case kind == "slice", kind == "array":
		return "berupa daftar", "a list"
	}
	return "berupa objek", "an object"
}
