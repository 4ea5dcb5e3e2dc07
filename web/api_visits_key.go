package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"sukma/storage"
)

// A client that sends POST /api/v1/visits again after a timeout (a counter's kiosk on a slow
// network) cannot tell whether the first made a visit; with "phone", a second would invite
// the citizen twice. With an Idempotency-Key header, the usual way of HTTP APIs, the first
// request with a key makes the visit and a retry with the same key gets that visit back, as
// the first answer was (201, and the header Idempotent-Replayed: true), without a second
// invitation. The key is kept with the visit: it names that visit for good.

// maxRequestKey is the longest Idempotency-Key taken (Stripe takes 255 characters).
const maxRequestKey = 255

// requestKey reads the Idempotency-Key header: "" without one. A key that is empty, longer
// than maxRequestKey or not printable ASCII is a 400, and ok is false.
func requestKey(w http.ResponseWriter, r *http.Request) (key string, ok bool) {
	keys := r.Header.Values("Idempotency-Key")
	if len(keys) == 0 {
		return "", true
	}
	key = keys[0]
	bad := len(keys) > 1 || key == "" || len(key) > maxRequestKey
	for _, c := range []byte(key) {
		bad = bad || c < 0x21 || c > 0x7e
	}
	if bad {
		writeError(w, http.StatusBadRequest,
			fmt.Sprintf("Idempotency-Key harus satu nilai, 1 sampai %d karakter ASCII tanpa spasi (misalnya sebuah UUID)", maxRequestKey),
			fmt.Sprintf("Idempotency-Key must be one value of 1 to %d ASCII characters without spaces (a UUID, say)", maxRequestKey))
		return "", false
	}
	return key, true
}

// requestSum is a digest of what a visit request asks for: the codes in any case, as they are
// found, and the phone as invitePhone writes it.
func requestSum(unit, service, phone string) string {
	h := sha256.New()
	for _, f := range []string{strings.ToUpper(unit), strings.ToUpper(service), phone} {
		h.Write([]byte(f))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// replayVisit answers a request whose key made a visit already: with that visit, if the
// request is the same, or 422 if the key was used for another. It returns false, having
// written nothing, when no visit has the key.
func (s *Server) replayVisit(w http.ResponseWriter, r *http.Request, key, sum, phone string) bool {
	v, err := s.DB.FindVisitByRequestKey(r.Context(), key)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return false
	case err != nil:
		s.internalError(w, r, err)
	case v.RequestSum != sum:
		writeError(w, http.StatusUnprocessableEntity,
			"Idempotency-Key ini sudah dipakai untuk permintaan kunjungan lain (unit, layanan atau nomor berbeda): pakai kunci baru untuk tiap kunjungan",
			"this Idempotency-Key was used for another visit request (another unit, service or number): use a new key for each visit")
	default:
		w.Header().Set("Idempotent-Replayed", "true")
		writeJSON(w, http.StatusCreated, s.visitJSON(v.Token, v.ExpiresAt, phone))
	}
	return true
}
