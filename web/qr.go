package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/skip2/go-qrcode"

	"sukma/storage"
)

// qrSize is the side of a QR image in pixels: sharp when printed at A6 on a counter.
const qrSize = 512

// tokenShape is what a token in a URL may look like; anything else is not looked up.
var tokenShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// handleVisitQR: GET /api/v1/visits/{token}/qr.png → a PNG QR code of the visit's survey link.
// No bearer token is needed (see routeVisitQR): the visit token in the path is the key, and
// the picture holds nothing but the link that token already is. Unknown token → 404; a
// visit past its expiry → 410.
func (s *Server) handleVisitQR(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	const (
		tidakAda = "Tidak ada kunjungan dengan token ini: periksa tautannya, atau buat kunjungan dengan POST /api/v1/visits"
		notFound = "no visit has this token: check the link, or create a visit with POST /api/v1/visits"
	)
	if !tokenShape.MatchString(token) {
		writeError(w, http.StatusNotFound, tidakAda, notFound)
		return
	}
	v, err := s.DB.FindVisit(r.Context(), token)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusNotFound, tidakAda, notFound)
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if v.ExpiresAt <= s.DB.Now().UnixMilli() {
		writeError(w, http.StatusGone, "Kunjungan ini sudah kedaluwarsa: buat yang baru dengan POST /api/v1/visits",
			"this visit has expired: create a new one with POST /api/v1/visits")
		return
	}
	s.writeQR(w, r, s.links(token, visitQRPath(token)).surveyURL())
}

// handleStandingQR: GET /api/v1/units/{code}/standing/qr.png (bearer token) → a PNG QR code
// of the unit's standing link. Unknown unit, or a unit without a standing link yet → 404.
func (s *Server) handleStandingQR(w http.ResponseWriter, r *http.Request) {
	u, ok := s.unitFromPath(w, r)
	if !ok {
		return
	}
	if u.StandingToken == "" {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Unit %q belum punya tautan tetap: buat dengan POST /api/v1/units/%s/standing", u.Code, u.Code),
			fmt.Sprintf("unit %q has no standing link yet: create it with POST /api/v1/units/%s/standing", u.Code, u.Code))
		return
	}
	s.writeQR(w, r, s.links(u.StandingToken, standingQRPath(u.StandingToken)).surveyURL())
}

// handleStandingTokenQR: GET /api/v1/standing/{token}/qr.png → a PNG QR code of the standing
// link of that token. No bearer token is needed (see routeStandingTokenQR): the token in the
// path is the link. Unknown token → 404.
func (s *Server) handleStandingTokenQR(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	const (
		tidakAda = "Tidak ada tautan tetap dengan token ini: periksa tautannya, atau buat dengan POST /api/v1/units/{code}/standing"
		notFound = "no standing link has this token: check the link, or create one with POST /api/v1/units/{code}/standing"
	)
	if !tokenShape.MatchString(token) {
		writeError(w, http.StatusNotFound, tidakAda, notFound)
		return
	}
	// A retired unit's link takes no feedback (the chat says so): no poster of it either.
	if u, err := s.DB.FindUnitByStandingToken(r.Context(), token); errors.Is(err, storage.ErrNotFound) || (err == nil && u.RetiredAt != nil) {
		writeError(w, http.StatusNotFound, tidakAda, notFound)
		return
	} else if err != nil {
		s.internalError(w, r, err)
		return
	}
	s.writeQR(w, r, s.links(token, standingQRPath(token)).surveyURL())
}

// writeQR answers a PNG QR code of content: medium error correction (survives a smudge or a
// crease), with the standard quiet zone so phones find it on a busy poster.
func (s *Server) writeQR(w http.ResponseWriter, r *http.Request, content string) {
	png, err := qrcode.Encode(content, qrcode.Medium, qrSize)
	if err != nil {
		s.internalError(w, r, fmt.Errorf("qr code of a %d-byte link: %w", len(content), err))
		return
	}
	h := w.Header()
	h.Set("Content-Type", "image/png")
	h.Set("Content-Length", strconv.Itoa(len(png)))
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(png)
}
