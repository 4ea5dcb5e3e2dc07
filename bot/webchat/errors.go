package webchat

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"sukma/web/jsonbody"
)

// The web chat's errors are {"error":"…"}, in Indonesian for the citizen and then in English
// for whoever reads the network log, in plain words: never a Go type or a decoder's message.
// The JSON API (package web) answers the same way; both read bodies with package jsonbody.

// sayError answers {"error": "<id> (<en>)"} with status.
func sayError(w http.ResponseWriter, status int, id, en string) {
	writeJSON(w, status, map[string]string{"error": id + " (" + en + ")"})
}

// decodeBody reads the request body as one JSON object of at most maxBody bytes into dst,
// refusing unknown fields and anything after the object, and answers a 4xx saying what to
// fix when it cannot. It returns whether dst is filled.
func decodeBody(w http.ResponseWriter, r *http.Request, dst any) bool {
	err := jsonbody.Decode(w, r, maxBody, dst)
	if err == nil {
		return true
	}
	const shape = `kirim JSON seperti {"text":"…"}`
	const shapeEn = `send JSON like {"text":"…"}`
	var (
		syntax   *json.SyntaxError
		typ      *json.UnmarshalTypeError
		tooLarge *http.MaxBytesError
	)
	switch {
	case errors.As(err, &tooLarge):
		sayError(w, http.StatusRequestEntityTooLarge, "Pesan lebih besar dari 64 KiB", "message is larger than 64 KiB")
	case errors.Is(err, io.EOF):
		sayError(w, http.StatusBadRequest, "Isi permintaan kosong: "+shape, "request body is empty: "+shapeEn)
	case errors.Is(err, io.ErrUnexpectedEOF):
		sayError(w, http.StatusBadRequest, "Isi permintaan bukan JSON yang sah: terpotong sebelum objeknya selesai",
			"body is not valid JSON: it ends before the object is complete")
	case errors.As(err, &syntax):
		sayError(w, http.StatusBadRequest, fmt.Sprintf("Isi permintaan bukan JSON yang sah (pada bita ke-%d): %s", syntax.Offset, shape),
			fmt.Sprintf("body is not valid JSON at byte %d: %s", syntax.Offset, shapeEn))
	case errors.As(err, &typ) && typ.Field == "":
		sayError(w, http.StatusBadRequest, "Isi permintaan harus berupa objek JSON: "+shape,
			fmt.Sprintf("request body must be a JSON object, not %s: %s", typ.Value, shapeEn))
	case errors.As(err, &typ):
		sayError(w, http.StatusBadRequest, fmt.Sprintf("Kolom %q harus berupa teks", typ.Field),
			fmt.Sprintf("field %q must be a string, not %s", typ.Field, typ.Value))
	case errors.Is(err, jsonbody.ErrTrailing):
		sayError(w, http.StatusBadRequest, "Kirim satu objek JSON saja, tanpa apa pun sesudahnya",
			"send one JSON object and nothing after it")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		sayError(w, http.StatusBadRequest, fmt.Sprintf("Kolom %s tidak dikenal: %s", field, shape),
			fmt.Sprintf("unknown field %s: %s", field, shapeEn))
	default: // the body could not be read (the connection broke)
		sayError(w, http.StatusBadRequest, "Isi permintaan tidak dapat dibaca: "+shape, "request body could not be read: "+shapeEn)
	}
	return false
}

// notRouted answers, in JSON, the requests under /s/ and /chat-assets/ that no route takes:
// 405 with the Allow header for a wrong method, else 404.
func notRouted(w http.ResponseWriter, r *http.Request, h http.Handler) {
	if allow := jsonbody.WrongMethod(h, r); allow != "" {
		w.Header().Set("Allow", allow)
		sayError(w, http.StatusMethodNotAllowed,
			fmt.Sprintf("Metode %s tidak dapat dipakai di %s: gunakan %s", r.Method, r.URL.Path, allow),
			fmt.Sprintf("method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow))
		return
	}
	sayError(w, http.StatusNotFound, "Halaman tidak ditemukan: periksa tautan survei Anda", "not found")
}
