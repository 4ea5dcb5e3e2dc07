package web

import (
	"fmt"
	"net/http"
	"strings"

	"sukma/storage"
)

// A flow's text is named by its ETag, the quoted storage.DraftSum of the text: GET sends it
// for the text it answers, PUT for the draft it keeps. A PUT or publish with If-Match acts
// only on the text it names, so that a script does not overwrite, or publish, a draft an
// admin saved in the editor since the script read it. Without If-Match (or with "*") a PUT
// replaces the draft and a publish publishes it, as before.

// etag is the ETag of a flow's text.
func etag(source string) string { return `"` + storage.DraftSum(source) + `"` }

// ifMatch returns the DraftSum an If-Match header names, "" for none or "*", and false for a
// header naming no text Sukma could have sent (several tags, or a weak one): a 400.
func ifMatch(r *http.Request) (string, bool) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" || h == "*" {
		return "", true
	}
	if len(h) < 3 || h[0] != '"' || h[len(h)-1] != '"' || strings.ContainsAny(h[1:len(h)-1], `",`) {
		return "", false
	}
	return h[1 : len(h)-1], true
}

// badIfMatch answers a 400 for an If-Match header ifMatch refused.
func badIfMatch(w http.ResponseWriter) {
	writeError(w, http.StatusBadRequest, `If-Match: berikan satu ETag seperti yang dikirim GET, dengan tanda kutip ("…")`,
		`If-Match: give one ETag as GET sent it, quoted ("…")`)
}

// draftChanged answers 412 for a draft saved with other text than the If-Match named.
func (s *Server) draftChanged(w http.ResponseWriter, id string, d storage.FlowDraft) {
	w.Header().Set("ETag", etag(d.Source))
	writeError(w, http.StatusPreconditionFailed,
		fmt.Sprintf("Draf alur %q sudah berubah (disimpan oleh %s) sejak teks yang Anda ambil: ambil lagi dengan GET ?draft=1, gabungkan, lalu kirim lagi", id, d.UpdatedBy),
		fmt.Sprintf("the draft of flow %q changed (saved by %s) since the text you read: GET ?draft=1 again, merge, and send again", id, d.UpdatedBy))
}
