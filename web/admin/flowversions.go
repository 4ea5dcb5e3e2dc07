package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"sukma/flows"
	"sukma/storage"
)

// A flow's published versions stay as they were; its draft is the one text that changes.
// An admin rolls back by taking a version's text as the draft and publishing it, and drops
// a draft to start again from the published version.

// publish publishes f, the text src just saved as the draft, unless it is the newest
// version's text already; either way the draft that held src is gone, and the editor says
// which version is now the flow's.
func (s *Server) publish(w http.ResponseWriter, r *http.Request, f *flows.Flow, src string) {
	id := r.PathValue("id")
	n, published, err := s.DB.PublishChangedFlow(r.Context(), id, f, current(r).Username)
	if err == nil {
		err = s.DB.DeleteFlowDraft(r.Context(), id, src) // a draft saved meanwhile stays
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	outcome := "published" // the page after it says what the version leaves out (publishedNotice)
	if !published {
		outcome = "unchanged"
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/flows/%s?ok=%s&v=%d", id, outcome, n), http.StatusSeeOther)
}

// editorNotice is what the editor says after a redirect that names a version
// (?ok=…&v=n), and the warnings that come with it; "" leaves the notice to notices.
func (s *Server) editorNotice(r *http.Request, id string) (string, []string, error) {
	tr, n := view{Lang: lang(r)}.T, versionParam(r)
	ok := r.URL.Query().Get("ok")
	switch {
	case ok == "published":
		return s.publishedNotice(r, id, n)
	case ok == "unchanged" && n > 0:
		return fmt.Sprintf(tr("Tidak ada perubahan dari versi %d; tidak diterbitkan."), n), nil, nil
	case ok == "version-draft" && n > 0:
		return fmt.Sprintf(tr("Teks versi %d kini menjadi draf: periksa, lalu Terbitkan untuk memakainya lagi."), n), nil, nil
	}
	return "", nil, nil
}

// versionRoute reads a version page's flow id and version number; ok is false, and a 404
// answered, for a path no version can have.
func (s *Server) versionRoute(w http.ResponseWriter, r *http.Request) (storage.FlowVersion, bool) {
	id := r.PathValue("id")
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || !flows.ValidID(id) {
		s.notFound(w, r, "Versi alur tidak ditemukan.")
		return storage.FlowVersion{}, false
	}
	v, err := s.DB.FindFlowVersion(r.Context(), id, n)
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, "Versi alur tidak ditemukan.")
		return v, false
	}
	if err != nil {
		s.fail(w, r, err)
		return v, false
	}
	return v, true
}

// handleFlowVersion shows a published version, read-only, with a button that takes its text
// as the draft.
func (s *Server) handleFlowVersion(w http.ResponseWriter, r *http.Request) {
	if v, ok := s.versionRoute(w, r); ok {
		s.showVersion(w, r, http.StatusOK, v, "")
	}
}

func (s *Server) showVersion(w http.ResponseWriter, r *http.Request, status int, v storage.FlowVersion, problem string) {
	p := flowPage{ID: v.ID, Source: v.Source, ReadOnly: true, Version: v.Version, Draft: v.PublishedBy + ", " + s.when(v.PublishedAt)}
	d, err := s.DB.FindFlowDraft(r.Context(), v.ID)
	switch {
	case err == nil:
		p.Base = storage.DraftSum(d.Source)
		if d.Source != v.Source {
			p.ReplaceConfirm = fmt.Sprintf(view{Lang: lang(r)}.T("Draf yang ada (disimpan oleh %s) akan diganti dengan teks versi %d. Lanjutkan?"),
				d.UpdatedBy+", "+s.when(d.UpdatedAt), v.Version)
		}
	case !errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, err)
		return
	}
	s.showFlow(w, r, status, p, problem)
}

// handleUseVersion takes a published version's text as the flow's draft, which the editor
// then shows, to publish as the next version. A draft with other text than the one the version
// page showed (base, its DraftSum; none for no draft) is not replaced unasked: the page asks
// again. With no draft now there is none to lose.
func (s *Server) handleUseVersion(w http.ResponseWriter, r *http.Request) {
	v, ok := s.versionRoute(w, r)
	if !ok {
		return
	}
	base := r.PostFormValue("base")
	_, err := s.DB.FindFlowDraft(r.Context(), v.ID)
	if errors.Is(err, storage.ErrNotFound) {
		// SaveFlowDraftFrom judges a draft-less flow by its newest version, which the
		// version's text may replace as the draft: only a draft saved in between conflicts.
		latest, lerr := s.DB.FindLatestFlow(r.Context(), v.ID)
		base, err = storage.DraftSum(latest.Source), lerr
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	_, err = s.DB.SaveFlowDraftFrom(r.Context(), v.ID, v.Source, current(r).Username, base)
	switch {
	case errors.Is(err, storage.ErrDraftChanged):
		s.showVersion(w, r, http.StatusConflict, v, "Sementara halaman ini terbuka, draf alur ini disimpan lagi. Draf itu belum diganti: pakai versi ini lagi bila tetap ingin menggantinya.")
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, fmt.Sprintf("/admin/flows/%s?ok=version-draft&v=%d", v.ID, v.Version), http.StatusSeeOther)
	}
}

// handleDiscardDraft deletes the draft the editor showed (drawn), so that the editor shows
// the published version again. A draft saved with other text since is kept, and shown.
func (s *Server) handleDiscardDraft(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !flows.ValidID(id) {
		s.notFound(w, r, "Alur tidak ditemukan.")
		return
	}
	// The page holds the draft's text with its line breaks LF, as a browser does with any
	// text (a draft sent by API may have CR LF, or CR alone), and sends it back with CR LF.
	d, err := s.DB.FindFlowDraft(r.Context(), id)
	if err == nil && lf(d.Source) == lf(r.PostFormValue("drawn")) {
		err = s.DB.DeleteFlowDraft(r.Context(), id, d.Source)
		if err == nil {
			d, err = s.DB.FindFlowDraft(r.Context(), id)
		}
	}
	switch {
	case err == nil: // a draft other than the one shown
		p := flowPage{ID: id, Source: d.Source, Draft: d.UpdatedBy + ", " + s.when(d.UpdatedAt)}
		s.showFlow(w, r, http.StatusConflict, p, "Draf tidak dibuang: draf alur ini disimpan lagi sesudah halaman tadi dibuka. Inilah draf itu; buang lagi bila memang tidak dipakai.")
	case !errors.Is(err, storage.ErrNotFound):
		s.fail(w, r, err)
	default:
		s.afterDiscard(w, r, id)
	}
}

// afterDiscard leads to the editor of the published flow, or to the list of flows for a
// flow that was only ever a draft (sent through the API), which has no editor any more.
func (s *Server) afterDiscard(w http.ResponseWriter, r *http.Request, id string) {
	_, err := s.DB.FindLatestFlow(r.Context(), id)
	switch {
	case err == nil || id == flows.BuiltinID:
		http.Redirect(w, r, "/admin/flows/"+id+"?ok=discarded", http.StatusSeeOther)
	case errors.Is(err, storage.ErrNotFound):
		http.Redirect(w, r, "/admin/flows?ok=deleted", http.StatusSeeOther)
	default:
		s.fail(w, r, err)
	}
}
