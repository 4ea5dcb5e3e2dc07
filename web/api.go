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
	"reflect"
	"strings"

	"sukma/storage"
	"sukma/web/jsonbody"
)

// Routes of the JSON API that need no bearer token. Each is keyed by a token that is itself
// the secret (a visit token), or serves what is printed on a wall anyway (a unit's standing
// link), and only turns that link into a picture: whoever can ask already holds the link.
const (
	routeVisitQR    = "GET /api/v1/visits/{token}/qr.png"
	routeStandingQR = "GET /api/v1/units/{code}/standing/qr.png"
)

// apiRoutes registers the JSON API under /api/v1. Every route needs
// "Authorization: Bearer <AdminToken>" except those listed in public; unknown paths answer
// 404 and wrong methods 405, both as JSON. Add new API routes to api here, so they get the
// same checks.
func (s *Server) apiRoutes() {
	api := http.NewServeMux()
	api.HandleFunc("GET /api/v1/units", s.handleListUnits)
	api.HandleFunc("POST /api/v1/units", s.handleCreateUnit)
	api.HandleFunc("GET /api/v1/units/{code}/services", s.handleListServices)
	api.HandleFunc("POST /api/v1/units/{code}/services", s.handleCreateService)
	api.HandleFunc("POST /api/v1/units/{code}/standing", s.handleStanding)
	api.HandleFunc(routeStandingQR, s.handleStandingQR)
	api.HandleFunc("POST /api/v1/visits", s.handleCreateVisit)
	api.HandleFunc(routeVisitQR, s.handleVisitQR)
	register := func(pattern string, h http.HandlerFunc) { api.HandleFunc(pattern, h) }
	s.ikmRoutes(register)
	s.exportRoutes(register)
	s.subscriberRoutes(register)
	s.flowRoutes(register)
	public := map[string]bool{routeVisitQR: true, routeStandingQR: true}

	s.mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		h, pattern := api.Handler(r)
		if !public[pattern] && !s.authorized(w, r) {
			return
		}
		if name, ok := textParams(r); !ok {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("%s must be text without NUL characters, in UTF-8", name))
			return
		}
		if pattern == "" {
			// The mux's own 404 and 405 are plain text; keep their status and Allow header
			// but answer in JSON like the rest of the API.
			if allow := jsonbody.WrongMethod(h, r); allow != "" {
				w.Header().Set("Allow", allow)
				writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow))
				return
			}
			writeError(w, http.StatusNotFound, fmt.Sprintf("no API endpoint at %s: check the path against the JSON API in the documentation", r.URL.Path))
			return
		}
		api.ServeHTTP(w, r)
	})
}

// authorized checks the bearer token in constant time and answers 401 if it is missing or
// wrong. With no AdminToken configured the API refuses everyone.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	const how = `send the header "Authorization: Bearer <SUKMA_ADMIN_TOKEN>"`
	var msg string
	// The scheme is case-insensitive (RFC 9110 §11.1).
	h := r.Header.Get("Authorization")
	ok := len(h) > len("Bearer ") && strings.EqualFold(h[:len("Bearer ")], "Bearer ")
	got := ""
	if ok {
		got = strings.TrimSpace(h[len("Bearer "):])
	}
	switch {
	case s.AdminToken == "":
		msg = "the JSON API is disabled because no admin token is set: set SUKMA_ADMIN_TOKEN and restart"
	case !ok || got == "":
		msg = "missing bearer token: " + how
	default:
		// Hashing first makes the comparison constant-time in the length too.
		a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(s.AdminToken))
		if subtle.ConstantTimeCompare(a[:], b[:]) == 1 {
			return true
		}
		msg = "wrong bearer token: " + how + " with the admin token of this server"
	}
	w.Header().Set("WWW-Authenticate", `Bearer realm="sukma"`)
	writeError(w, http.StatusUnauthorized, msg)
	return false
}

// writeError answers {"error": msg}. msg says what to fix; for 5xx use s.internalError.
func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// internalError logs the cause and answers 500 "internal error": the cause may hold details
// an API client has no use for.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.Logger.Error("api: internal error", slog.String("method", r.Method), slog.String("route", r.Pattern), slog.Any("err", err))
	writeError(w, http.StatusInternalServerError, "internal error")
}

// maxBody is the largest request body the JSON API reads.
const maxBody = 1 << 20

// decode reads the request body as one JSON object into dst, refusing unknown fields, and
// answers a 4xx saying what to fix when it cannot. It returns whether dst is filled.
func decode(w http.ResponseWriter, r *http.Request, dst any) bool {
	err := jsonbody.Decode(w, r, maxBody, dst)
	if err == nil {
		if name, ok := textFields(reflect.ValueOf(dst)); !ok {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("field %q must be text without NUL characters", name))
			return false
		}
		return true
	}
	status, msg := http.StatusBadRequest, ""
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		status, msg = http.StatusRequestEntityTooLarge, "request body is larger than 1 MiB"
	case errors.Is(err, io.EOF):
		msg = "request body is empty: send a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "body is not valid JSON: it ends before the object is complete"
	case errors.As(err, &syntax):
		msg = fmt.Sprintf("body is not valid JSON: %v (at byte %d)", syntax, syntax.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		msg = fmt.Sprintf("request body must be a JSON object, not %s", typ.Value)
	case errors.As(err, &typ):
		// The API's objects are flat; a path ("subscription.alerts") names a Go struct
		// embedded in the request, which the client never saw.
		field := typ.Field[strings.LastIndex(typ.Field, ".")+1:]
		msg = fmt.Sprintf("field %q must be %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.Is(err, jsonbody.ErrTrailing):
		msg = "body is not valid JSON: send one object and nothing after it"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		msg = fmt.Sprintf("unknown field %s in the request body", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		msg = "body is not valid JSON: " + strings.TrimPrefix(err.Error(), "json: ")
	}
	writeError(w, status, msg)
	return false
}

// textParams reports whether the path and every query parameter are storable text
// (storage.ValidText), and if not, names the first that is not.
func textParams(r *http.Request) (string, bool) {
	if !storage.ValidText(r.URL.Path) {
		return "the path", false
	}
	for k, vs := range r.URL.Query() {
		for _, v := range vs {
			if !storage.ValidText(k) || !storage.ValidText(v) {
				return fmt.Sprintf("parameter %q", storage.CleanText(k)), false
			}
		}
	}
	return "", true
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

// jsonKind names a Go kind the way a JSON client thinks of it.
func jsonKind(kind string) string {
	switch {
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "a whole number"
	case strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "slice", kind == "array":
		return "a list"
	}
	return "an object"
}
