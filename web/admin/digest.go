package admin

import (
	"errors"
	"net/http"
	"strconv"

	"sukma/digest"
	"sukma/storage"
)

// handleSendDigest is the subscribers page's "Kirim ringkasan uji sekarang": the digest of one
// subscriber for the period just ended by its schedule, written to the outbox now, also when
// it was sent before — `sukma digest send --now` for one subscriber. The period is recorded
// as sent, so the scheduler does not send it again. On a channel that is off, the notice says
// it goes out once the channel is on.
func (s *Server) handleSendDigest(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	var sub storage.Subscriber
	if err == nil {
		sub, err = s.DB.FindSubscriberByID(r.Context(), id)
	}
	if errors.Is(err, storage.ErrNotFound) || err != nil && id == 0 {
		s.notFound(w, r, "Pelanggan tidak ditemukan.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	svc := &digest.Service{DB: s.DB, Location: s.Location, PublicURL: s.publicURL(r), Logger: s.Logger}
	sent, err := svc.SendOneNow(r.Context(), sub)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !sent {
		http.Redirect(w, r, "/admin/subscribers?ok=digest-none", http.StatusSeeOther)
		return
	}
	if s.channelIsOff(sub.Channel) {
		http.Redirect(w, r, "/admin/subscribers?ok=digest-off", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/admin/subscribers?ok=digest", http.StatusSeeOther)
}
