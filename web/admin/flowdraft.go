package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"sukma/storage"
)

// Two tabs, or two admins, may edit one flow's draft at once. Each editor page carries its
// base (flowPage.Base): the checksum of the text it showed, the draft or, with no draft, the
// published flow. A save from a base that is no longer the stored draft, because someone
// saved other text since, stores nothing: the page comes back with the admin's text, says
// who saved the other draft and when, and takes that draft as its base, so that saving
// again replaces it on purpose.

// draftChanged is the error of a save refused that way: who saved the other draft, and when.
const draftChanged = "Draf ini sudah diubah oleh %s pada %s setelah Anda membukanya. Teks Anda masih di editor: bandingkan dengan draf itu (buka di tab lain), lalu simpan lagi untuk menimpanya."

// draftChangedBefore says what else did not happen, by the action that saved first.
var draftChangedBefore = map[string]string{
	"publish": "Alur belum diterbitkan.",
	"preview": "Pratinjau belum dibuka.",
	"form":    "Isian formulir sudah diterapkan ke YAML di editor, tetapi belum disimpan.",
}

// saveDraft stores src as the draft of p's flow if the draft stored now is the one the page
// was based on (its posted base; a form without one has no base, and replaces no draft with
// other text). On success p shows the saved draft and takes it as its base, and refused is
// "". Over a draft saved since with other text nothing is stored: p keeps src (the admin's
// text) but takes that draft as its base, and refused is the page's error, in its language,
// beginning with what action (a key of draftChangedBefore) did not do.
func (s *Server) saveDraft(r *http.Request, p *flowPage, src, action string) (refused string, err error) {
	d, err := s.DB.SaveFlowDraftFrom(r.Context(), p.ID, src, current(r).Username, r.PostFormValue("base"))
	if err != nil && !errors.Is(err, storage.ErrDraftChanged) {
		return "", err
	}
	p.Draft, p.Base = d.UpdatedBy+", "+s.when(d.UpdatedAt), storage.DraftSum(d.Source)
	if err == nil {
		return "", nil
	}
	p.Changed = true
	tr := view{Lang: lang(r)}.T
	refused = fmt.Sprintf(tr(draftChanged), d.UpdatedBy, s.when(d.UpdatedAt))
	if before, ok := draftChangedBefore[action]; ok {
		refused = tr(before) + " " + refused
	}
	return refused, nil
}

// lf returns s with its CR LF and lone CR line breaks made LF. A browser holds the texts of
// a page so (its HTML parser turns both into LF) and sends them back with CR LF: a text the
// editor posts is compared with a stored one, a draft sent by API with CR LF or CR alone,
// as lf of both.
func lf(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n") }
