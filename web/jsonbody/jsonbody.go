// Package jsonbody reads a request body that must be one JSON object. The JSON API and the
// web chat both use it and word its errors each in their own way.
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
