package admin

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"sukma/digest"
	"sukma/storage"
)

// handleSendDigest is the subscribers page's "Kirim ringkasan uji sekarang": the digest of one
// subscriber for the period just ended by its schedule, written to the outbox now, also when
// it was sent before — `sukma digest send --now` for one subscriber. The period is recorded
// as sent, so the scheduler does not send it again.
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
	sched, err := digest.ParseSchedule(sub.Schedule)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.DB.Now()
	p, fired := digest.PeriodEnded(sched, now, s.Location)
	if fired.IsZero() {
		http.Redirect(w, r, "/admin/subscribers?ok=digest-none", http.StatusSeeOther)
		return
	}
	units, err := s.DB.FindUnits(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	svc := &digest.Service{DB: s.DB, Location: s.Location, PublicURL: s.publicURL(r), Logger: s.Logger}
	d, err := svc.Load(r.Context(), sub, units, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	replies, err := digest.Replies(d, sub.Language)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.DB.InTx(r.Context(), func(tx *storage.Tx) error {
		if _, err := tx.ClaimDigest(sub.ID, p.FromDay(), p.ToDay(), now.UnixMilli()); err != nil {
			return err
		}
		for i, reply := range replies {
			body, err := json.Marshal(reply)
			if err != nil {
				return err
			}
			// A millisecond apart keeps the chart before the text that follows it.
			if err := tx.Enqueue(sub.Channel, sub.Address, string(body), now.UnixMilli()+int64(i), false); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/subscribers?ok=digest", http.StatusSeeOther)
}
