// Package jsonbody holds what the JSON API and the web chat share about the requests they
// answer in JSON: reading a body that must be one JSON object, and telling a wrong method from
// a missing route. Each words its errors in its own way.
package jsonbody

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// ErrTrailing means something other than whitespace came after the object.
var ErrTrailing = errors.New("data after the JSON object")

// Decode reads r's body, at most limit bytes, as one JSON object into dst, refusing unknown
// fields and anything after the object. Its errors are the decoder's (io.EOF for an empty
// body, *json.SyntaxError, *json.UnmarshalTypeError, "json: unknown field …"),
// *http.MaxBytesError past the limit, or ErrTrailing.
func Decode(w http.ResponseWriter, r *http.Request, limit int64, dst any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return err
	}
	// Whitespace after the object is fine; anything else is not.
	if _, err := dec.Token(); err != io.EOF {
		if errors.As(err, new(*http.MaxBytesError)) {
			return err
		}
		return ErrTrailing
	}
	return nil
}

// WrongMethod asks mux, which has no route for r, why: it returns the methods mux allows on
// r's path when it would answer 405, or "" when it would answer 404. (The mux's own answers
// are plain text; the caller answers in JSON with the same status and Allow header.)
func WrongMethod(mux http.Handler, r *http.Request) (allow string) {
	rec := &headerRecorder{header: http.Header{}, status: http.StatusOK}
	mux.ServeHTTP(rec, r)
	if rec.status != http.StatusMethodNotAllowed {
		return ""
	}
	return rec.header.Get("Allow")
}

// headerRecorder keeps the status and headers a handler writes, and drops the body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header         { return h.header }
func (h *headerRecorder) WriteHeader(status int)      { h.status = status }
func (h *headerRecorder) Write(b []byte) (int, error) { return len(b), nil }
