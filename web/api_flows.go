package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"sukma/flows"
	"sukma/storage"
)

// flowRoutes are the flow API: the YAML of a flow, a draft to validate and keep, and
// publishing the draft as the next immutable version.
func (s *Server) flowRoutes(api func(pattern string, h http.HandlerFunc, params ...string)) {
	api("GET /api/v1/flows/{id}", s.handleGetFlow, "version", "draft")
	api("PUT /api/v1/flows/{id}", s.handlePutFlow)
	api("POST /api/v1/flows/{id}/publish", s.handlePublishFlow)
}

// handleGetFlow answers the YAML of the newest published version (?version=N for an older
// one, ?draft=1 for the draft), with its number in X-Flow-Version.
func (s *Server) handleGetFlow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	q := r.URL.Query()
	if d := q.Get("draft"); q.Has("draft") && d != "1" && d != "0" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("draft: %q bukan 1 (draf) atau 0 (versi terbit)", d),
			fmt.Sprintf("draft: %q is neither 1 (the draft) nor 0 (a published version)", d))
		return
	}
	if q.Get("draft") == "1" && q.Has("version") {
		writeError(w, http.StatusBadRequest, "draft=1 dan version tidak dapat dipakai bersama: draf belum punya nomor versi",
			"draft=1 and version cannot go together: a draft has no version number yet")
		return
	}
	var src, version string
	switch {
	case q.Get("draft") == "1" && storage.IsPreviewFlowID(id):
		preview(id).write(w, http.StatusNotFound) // a preview's versions are read as any flow's
		return
	case q.Get("draft") == "1":
		d, err := s.DB.FindFlowDraft(r.Context(), id)
		if errors.Is(err, storage.ErrNotFound) {
			writeError(w, http.StatusNotFound, fmt.Sprintf("Alur %q tidak punya draf: kirim YAML-nya dengan PUT untuk membuatnya", id),
				fmt.Sprintf("flow %q has no draft: PUT its YAML to make one", id))
			return
		} else if err != nil {
			s.internalError(w, r, err)
			return
		}
		src, version = d.Source, "draft"
	default:
		var fv storage.FlowVersion
		var err error
		v := q.Get("version")
		if v != "" {
			// A number past any version (2147483648, or past int64) is a version the flow
			// does not have, not a malformed one; storage answers it without a query.
			n, perr := strconv.ParseUint(v, 10, 64)
			if (perr != nil && !errors.Is(perr, strconv.ErrRange)) || n < 1 {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("version: %q bukan nomor versi (1, 2, …)", v),
					fmt.Sprintf("version: %q is not a version number (1, 2, …)", v))
				return
			}
			fv, err = s.DB.FindFlowVersion(r.Context(), id, int(min(n, storage.MaxFlowVersion+1)))
		} else {
			fv, err = s.DB.FindLatestFlow(r.Context(), id)
		}
		if errors.Is(err, storage.ErrNotFound) {
			s.flowNotFound(w, r, id, v)
			return
		} else if err != nil {
			s.internalError(w, r, err)
			return
		}
		src, version = fv.Source, strconv.Itoa(fv.Version)
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.Header().Set("X-Flow-Version", version)
	w.Header().Set("ETag", etag(src))
	io.WriteString(w, src)
}

// flowNotFound answers 404 for a flow id, or for its version v when v is not "": that the
// flow has no such version if it has others, else that there is no such flow.
func (s *Server) flowNotFound(w http.ResponseWriter, r *http.Request, id, v string) {
	if v != "" {
		_, err := s.DB.FindLatestFlow(r.Context(), id)
		if err == nil {
			writeError(w, http.StatusNotFound, fmt.Sprintf("Alur %q tidak punya versi %s", id, v), fmt.Sprintf("flow %q has no version %s", id, v))
			return
		} else if !errors.Is(err, storage.ErrNotFound) {
			s.internalError(w, r, err)
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("Alur %q tidak ditemukan", id), fmt.Sprintf("flow %q not found", id))
}

// handlePutFlow validates a YAML body and keeps it as the flow's draft. An invalid flow is
// refused with every problem as FILE:LINE:COL, as `sukma flows validate` prints them. With
// If-Match, a draft with other text than the one it names is not replaced (412). A preview
// copy's id (~skm) is refused (403).
func (s *Server) handlePutFlow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if storage.IsPreviewFlowID(id) {
		preview(id).write(w, http.StatusForbidden)
		return
	}
	base, ok := ifMatch(r)
	if !ok {
		badIfMatch(w)
		return
	}
	// flows.Parse refuses a larger flow, whichever way it comes (flows.MaxSize, 1 MiB).
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, flows.MaxSize))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "Isi permintaan lebih besar dari 1 MiB", "request body is larger than 1 MiB")
		return
	}
	f, err := flows.Parse(id+".yaml", body)
	if err != nil {
		writeFlowProblems(w, problem{"Alur tidak valid: perbaiki masalah yang didaftar lalu kirim lagi",
			"the flow is not valid: fix the problems listed and send it again"}, err)
		return
	}
	if f.ID != id {
		m := otherID.with(f.ID, id)
		writeFlowProblems(w, m, flows.ErrorList{f.AtID(id+".yaml", m.id, m.en)})
		return
	}
	if base == "" {
		err = s.DB.SaveFlowDraft(r.Context(), id, string(body), "api")
	} else {
		var d storage.FlowDraft
		if d, err = s.DB.SaveFlowDraftFrom(r.Context(), id, string(body), "api", base); errors.Is(err, storage.ErrDraftChanged) {
			s.draftChanged(w, id, d)
			return
		}
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	w.Header().Set("ETag", etag(string(body)))
	resp := map[string]any{"id": id, "draft": true, "questions": len(f.Questions)}
	if m := f.MissingElements(); len(m) > 0 {
		// Valid, and publishable, but its IKM is not the regulation's.
		resp["missing_elements"], resp["warning"] = m, bilingual(f.MissingElementsWarning(), f.MissingElementsWarningIn("en"))
	}
	writeJSON(w, http.StatusOK, resp)
}

// handlePublishFlow publishes the draft as the next version; sessions already running stay on
// the version they started with. With If-Match, only the draft it names (412 for another).
// A preview copy (~skm) is not published by API (403).
func (s *Server) handlePublishFlow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if storage.IsPreviewFlowID(id) {
		preview(id).write(w, http.StatusForbidden)
		return
	}
	base, ok := ifMatch(r)
	if !ok {
		badIfMatch(w)
		return
	}
	d, err := s.DB.FindFlowDraft(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusConflict, fmt.Sprintf("Alur %q tidak punya draf untuk diterbitkan: kirim YAML-nya dengan PUT dulu", id),
			fmt.Sprintf("flow %q has no draft to publish: PUT its YAML first", id))
		return
	} else if err != nil {
		s.internalError(w, r, err)
		return
	}
	if base != "" && storage.DraftSum(d.Source) != base {
		s.draftChanged(w, id, d)
		return
	}
	f, err := flows.Parse(id+".yaml", []byte(d.Source))
	if err == nil && f.ID != id { // saved in the editor, which keeps a half-done edit
		m := otherID.with(f.ID, id)
		err = flows.ErrorList{f.AtID(id+".yaml", m.id, m.en)}
	}
	if err != nil {
		// A draft saved by an older Sukma may fail checks added since.
		writeFlowProblems(w, problem{fmt.Sprintf("Draf alur %q tidak valid: perbaiki dulu dengan PUT", id),
			fmt.Sprintf("the draft of flow %q is not valid: fix it with PUT first", id)}, err)
		return
	}
	version, published, err := s.DB.PublishChangedFlow(r.Context(), id, f, "api")
	if err == nil {
		err = s.DB.DeleteFlowDraft(r.Context(), id, d.Source) // a draft saved meanwhile stays
	}
	var problems flows.ErrorList
	if errors.As(err, &problems) {
		// Parse refuses what publishing cannot number; should one slip through, it is
		// the source's fault, and the admin is told where.
		writeFlowProblems(w, problem{fmt.Sprintf("Draf alur %q tidak dapat diterbitkan: perbaiki dulu dengan PUT", id),
			fmt.Sprintf("the draft of flow %q cannot be published: fix it with PUT first", id)}, problems)
		return
	} else if errors.Is(err, storage.ErrConflict) {
		writeError(w, http.StatusConflict, "Versi lain diterbitkan pada saat yang sama: coba lagi", "another version was published at the same moment: try again")
		return
	} else if err != nil {
		s.internalError(w, r, err)
		return
	}
	if !published {
		// The draft is the newest version's text: a deployment that PUTs and publishes its
		// flow on every release makes no version of text that did not change.
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "version": version, "published": false})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "version": version, "published": true})
}

// preview is the answer for a flow id starting with ~ (storage.PreviewFlowID): the editor's
// Pratinjau publishes an admin's draft under it, for their preview visits only. No file can
// be written there (a flow file's id has no ~), nor a draft kept; its versions can be read.
func preview(id string) problem {
	p := problem{"Alur %q adalah salinan pratinjau internal editor (id yang diawali ~): tidak punya draf, dan tidak dapat ditulis atau diterbitkan lewat API",
		"flow %q is an internal preview copy of the editor (an id starting with ~): it has no draft, and cannot be written or published by API"}.with(id)
	if own, _, _ := strings.Cut(id[1:], "~"); flows.ValidID(own) {
		p = problem{p.id + fmt.Sprintf("; pakai alur %q sendiri", own), p.en + fmt.Sprintf("; use flow %q itself", own)}
	}
	return p
}

// otherID is the problem of a flow file whose YAML names another flow than its URL: the
// YAML's id, then the URL's.
var otherID = problem{"YAML menyebut id %q tetapi URL menyebut %q: keduanya harus sama",
	"the YAML says id %q but the URL says %q: they must be the same"}

// writeFlowProblems answers 422 with msg and every problem of err, one "FILE:LINE:COL: message"
// each, as `sukma flows validate` prints them, the message in Indonesian and then in English
// in parentheses, as every error of the API.
func writeFlowProblems(w http.ResponseWriter, msg problem, err error) {
	var lines []string
	var list flows.ErrorList
	if errors.As(err, &list) {
		for _, e := range list {
			line := e.Error()
			if e.En != "" {
				line = fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, bilingual(e.Msg, e.En))
			}
			lines = append(lines, line)
		}
	} else {
		lines = strings.Split(err.Error(), "\n")
	}
	writeJSON(w, http.StatusUnprocessableEntity, map[string]any{
		"error":    bilingual(msg.id, msg.en),
		"problems": lines,
	})
}
