package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"sukma/flows"
	"sukma/storage"
)

type flowsPage struct{ Flows []storage.FlowSummary }

func (s *Server) handleFlows(w http.ResponseWriter, r *http.Request) {
	fs, err := s.DB.FindFlowSummaries(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "flows", view{Title: "Alur survei"}, flowsPage{Flows: fs})
}

type flowPage struct {
	ID        string
	Source    string
	Problems  []string
	Questions []formQuestion
	Languages []string
	Versions  []versionRow
	Draft     string // who saved the draft when; "" when showing the published version
	Latest    int
	ReadOnly  bool
	Version   int
	// Cautions are the warnings of the text shown (flowWarnings), and PublishConfirm the
	// publish button's question with them.
	Cautions       []string
	PublishConfirm string
	// ReplaceConfirm is the question "Pakai versi ini sebagai draf" asks when a draft
	// with other text exists.
	ReplaceConfirm string
	// Base is the DraftSum of the text the editor's edit starts from (see saveDraft), or on
	// a version's page of the draft it would replace ("" for none); Changed is set when a
	// save was refused because the draft was saved since.
	Base    string
	Changed bool
	// Misfit says why the question form is not given for this flow (formMisfit), or is "".
	Misfit string
}

type versionRow struct {
	Version int
	By, At  string
}

// fileName is the name flows.Parse reports problems under, as `sukma flows validate` would
// for a file of that name.
func fileName(id string) string { return id + ".yaml" }

// problems validates src as the flow id and returns one "FILE:LINE:COL: message" per
// problem, the message in lang (the page's language): as `sukma flows validate` prints them
// on Indonesian pages. A valid flow whose YAML names another id is a problem too, at that id:
// publishing it would make another flow, and the draft is kept under this one's.
func problems(id, src, lang string) (*flows.Flow, []string) {
	f, err := flows.Parse(fileName(id), []byte(src))
	if err == nil && f.ID != id {
		err = flows.ErrorList{f.AtID(fileName(id),
			fmt.Sprintf(otherID, id, f.ID), fmt.Sprintf(view{Lang: "en"}.T(otherID), id, f.ID))}
	}
	if err == nil {
		return f, nil
	}
	var list flows.ErrorList
	if errors.As(err, &list) {
		out := make([]string, len(list))
		for i, e := range list {
			out[i] = e.In(lang)
		}
		return nil, out
	}
	return nil, strings.Split(err.Error(), "\n")
}

// handleFlow shows the editor of a flow: its draft if one is saved, else its newest
// published version (or the built-in flow for "skm" before any is published).
func (s *Server) handleFlow(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !flows.ValidID(id) {
		s.notFound(w, r, "Alur tidak ditemukan.")
		return
	}
	p := flowPage{ID: id}
	d, err := s.DB.FindFlowDraft(r.Context(), id)
	switch {
	case err == nil:
		p.Source = d.Source
		p.Draft = d.UpdatedBy + ", " + s.when(d.UpdatedAt)
	case errors.Is(err, storage.ErrNotFound):
		latest, lerr := s.DB.FindLatestFlow(r.Context(), id)
		switch {
		case lerr == nil:
			p.Source = latest.Source
		case errors.Is(lerr, storage.ErrNotFound) && id == flows.BuiltinID:
			p.Source = string(flows.BuiltinSource())
		case errors.Is(lerr, storage.ErrNotFound):
			s.notFound(w, r, "Alur tidak ditemukan.")
			return
		default:
			s.fail(w, r, lerr)
			return
		}
	default:
		s.fail(w, r, err)
		return
	}
	p.Base = storage.DraftSum(p.Source)
	v := view{Title: flowTitle(r, id)}
	if v.Notice, v.Warnings, err = s.editorNotice(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flowView(w, r, http.StatusOK, p, v)
}

func (s *Server) showFlow(w http.ResponseWriter, r *http.Request, status int, p flowPage, problem string) {
	title := flowTitle(r, p.ID)
	if p.ReadOnly {
		title += " v" + strconv.Itoa(p.Version)
	}
	s.flowView(w, r, status, p, view{Title: title, Error: problem})
}

func (s *Server) flowView(w http.ResponseWriter, r *http.Request, status int, p flowPage, v view) {
	f, probs := problems(p.ID, p.Source, lang(r))
	if p.Problems == nil {
		p.Problems = probs
	}
	tr := view{Lang: lang(r)}.T
	if f != nil {
		p.Questions, p.Languages, p.Misfit = toForm(f), f.Languages, formMisfit(f, tr)
		p.Cautions = cautions(flowWarnings(f, lang(r)), tr)
	}
	p.PublishConfirm = publishConfirm(p.Cautions, tr)
	vs, err := s.DB.FindFlowVersions(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := len(vs) - 1; i >= 0; i-- {
		p.Versions = append(p.Versions, versionRow{Version: vs[i].Version, By: vs[i].PublishedBy, At: s.when(vs[i].PublishedAt)})
	}
	if len(vs) > 0 {
		p.Latest = vs[len(vs)-1].Version
	}
	s.render(w, r, status, "flow", v, p)
}

// handleFlowAction acts on the posted YAML: action=validate shows its problems,
// save stores it as the draft, preview opens it in the web chat, publish makes it the next
// version.
func (s *Server) handleFlowAction(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !flows.ValidID(id) {
		s.notFound(w, r, "Alur tidak ditemukan.")
		return
	}
	src := lf(r.PostFormValue("source"))
	p := flowPage{ID: id, Source: src, Base: r.PostFormValue("base")}
	f, probs := problems(id, src, lang(r))
	p.Problems = probs
	action := r.PostFormValue("action")
	if action != "validate" {
		// Whatever else happens, the edit is kept: saved as the draft, or, over a draft
		// saved since with other text, back in the editor, and nothing else done.
		refused, err := s.saveDraft(r, &p, src, action)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if refused != "" {
			s.showFlow(w, r, http.StatusConflict, p, refused)
			return
		}
	}
	switch {
	case action == "validate" || action == "save":
		notice := ""
		if action == "save" {
			notice = "Draf tersimpan."
		}
		if len(probs) == 0 {
			notice += " YAML valid." // and the editor shows the flow's warnings beside it
		}
		s.renderFlowNotice(w, r, p, strings.TrimSpace(notice))
	case f == nil:
		s.showFlow(w, r, http.StatusUnprocessableEntity, p, "Perbaiki masalah di bawah ini dulu: alur yang tidak valid tidak dapat dipratinjau atau diterbitkan.")
	case action == "publish":
		s.publish(w, r, f, src)
	case action == "preview":
		token, err := s.preview(r, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, "/s/"+token, http.StatusSeeOther)
	default:
		s.showFlow(w, r, http.StatusBadRequest, p, "Tindakan tidak dikenal.")
	}
}

func (s *Server) renderFlowNotice(w http.ResponseWriter, r *http.Request, p flowPage, notice string) {
	s.flowView(w, r, http.StatusOK, p, view{Title: flowTitle(r, p.ID), Notice: notice})
}

// otherID is the problem of a YAML whose id is not the flow's: the flow's id, then the YAML's.
const otherID = "id di YAML harus %q, bukan %q: mengganti id membuat alur lain"

// flowTitle is a flow's page title in the page's language: "Alur skm", "Flow skm".
func flowTitle(r *http.Request, id string) string { return view{Lang: lang(r)}.T("Alur") + " " + id }

// preview publishes the draft as a version of the admin's preview copy of the flow (never the
// flow citizens get, nor another admin's copy) and opens a visit of it on the hidden preview
// unit. The admin's earlier previews are ended, and every response of the unit deleted, so no
// test answer counts in an IKM.
func (s *Server) preview(r *http.Request, f *flows.Flow) (string, error) {
	ctx := r.Context()
	unit, err := s.DB.PreviewUnit(ctx)
	if err != nil {
		return "", err
	}
	pid := storage.PreviewFlowID(f.ID, current(r).ID)
	if err := s.DB.ResetPreviews(ctx, unit.ID, pid); err != nil {
		return "", err
	}
	if _, err := s.DB.PublishFlow(ctx, pid, f, current(r).Username); err != nil {
		return "", err
	}
	token := randomToken(32)
	err = s.DB.CreateVisit(ctx, storage.NewVisit{Token: token, UnitID: unit.ID, FlowID: pid, ExpiresAt: s.DB.Now().Add(time.Hour).UnixMilli()})
	return token, err
}

// handleFlowForm applies the form editor's fields to the YAML and saves it as the draft.
// The YAML is the editor's text as it is now (admin.js copies it into source on submit), so
// that an unsaved edit in it is kept; drawn is the text the form's fields were drawn from.
func (s *Server) handleFlowForm(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !flows.ValidID(id) {
		s.notFound(w, r, "Alur tidak ditemukan.")
		return
	}
	base, drawn := lf(r.PostFormValue("source")), lf(r.PostFormValue("drawn"))
	p := flowPage{ID: id, Source: base, Base: r.PostFormValue("base")} // the page again, if refused
	f, _ := problems(id, base, lang(r))
	if f == nil { // invalid, or naming another flow: a draft is stored under its flow's own id only
		s.showFlow(w, r, http.StatusUnprocessableEntity, p, "Perbaiki YAML dulu; formulir dapat dipakai setelah YAML valid.")
		return
	}
	if why := formMisfit(f, view{Lang: lang(r)}.T); why != "" {
		s.showFlow(w, r, http.StatusUnprocessableEntity, p, why)
		return
	}
	if drawn != "" && drawn != base {
		// The fields show the questions of drawn: applied to a text whose questions were
		// edited since, they would silently undo that edit.
		if d, _ := problems(id, drawn, lang(r)); d == nil || !reflect.DeepEqual(toForm(d), toForm(f)) {
			s.showFlow(w, r, http.StatusConflict, p,
				"Pertanyaan di YAML sudah diubah sesudah formulir ditampilkan, jadi isian formulir tidak diterapkan. YAML Anda tetap di editor dan formulir kini menampilkan pertanyaannya: ulangi perubahan di formulir, atau simpan draf.")
			return
		}
	}
	qs := readForm(r, f.Languages)
	src, err := formYAML([]byte(base), f.Languages, qs)
	if err != nil {
		s.showFlow(w, r, http.StatusUnprocessableEntity, p, err.Error())
		return
	}
	p.Source = string(src) // the form applied: kept in the editor if the draft was saved since
	refused, err := s.saveDraft(r, &p, p.Source, "form")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if refused != "" {
		s.showFlow(w, r, http.StatusConflict, p, refused)
		return
	}
	where := "?ok=draft#form"
	if r.PostFormValue("op") == "add" { // the new question, last, is where the admin goes on
		where = fmt.Sprintf("?ok=added#q%d", len(qs)-1)
	}
	http.Redirect(w, r, "/admin/flows/"+id+where, http.StatusSeeOther)
}

// handleValidate is the live validation of the editor: the posted YAML's problems as JSON,
// {"ok":bool,"problems":["FILE:LINE:COL: message",…],"warnings":["Peringatan: …",…]}, the
// lines of `sukma flows validate` (in English on English pages), and a valid flow's warnings
// (flowWarnings).
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request) {
	f, probs := problems(r.PathValue("id"), lf(r.PostFormValue("source")), lang(r))
	if probs == nil {
		probs = []string{}
	}
	tr, warnings := view{Lang: lang(r)}.T, []string{}
	if f != nil {
		warnings = cautions(flowWarnings(f, lang(r)), tr)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(map[string]any{"ok": len(probs) == 0, "problems": probs, "warnings": warnings})
}
