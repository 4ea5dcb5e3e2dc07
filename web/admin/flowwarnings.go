package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sukma/flows"
	"sukma/storage"
)

// A flow may be valid and still not what an agency should publish: it may leave out an
// element the regulation requires (an agency may have its reasons, so it is not refused),
// or still hold the placeholder of a question just added. The editor says so wherever the
// admin looks: beside the YAML, in the publish confirmation, and after publishing.

// flowWarnings says what is wrong with the valid flow f without stopping its publication,
// in the page's language, one clause a warning, without a final period.
func flowWarnings(f *flows.Flow, lang string) []string {
	var ws []string
	if w := f.MissingElementsWarningIn(lang); w != "" {
		// In Indonesian as `sukma flows validate` and the API say it.
		ws = append(ws, w)
	}
	tr := view{Lang: lang}.T
	for _, q := range f.Questions {
		for _, text := range q.Prompt {
			if text == placeholderID || text == placeholderOther {
				ws = append(ws, fmt.Sprintf(tr(placeholderWarning), q.ID))
				break
			}
		}
	}
	return ws
}

const placeholderWarning = "pertanyaan %s masih berisi teks contoh “Pertanyaan baru: …”: tulis teksnya sebelum diterbitkan"

// cautions are flowWarnings as sentences of their own, for the editor and the publish
// confirmation.
func cautions(ws []string, tr func(string) string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = tr("Peringatan: ") + w + "."
	}
	return out
}

// publishConfirm is the question the publish button asks: the cautions of the text the
// editor shows come with it.
func publishConfirm(cs []string, tr func(string) string) string {
	q := tr(publishQuestion)
	if len(cs) > 0 {
		q += "\n\n⚠ " + strings.Join(cs, "\n⚠ ")
	}
	return q
}

const publishQuestion = "Terbitkan sebagai versi baru? Survei baru langsung memakai versi ini."

// publishedNotice is what the editor says after publishing version n (?ok=published&v=n):
// that it is published and, one warning a line, what that version leaves out.
func (s *Server) publishedNotice(r *http.Request, id string, n int) (string, []string, error) {
	tr := view{Lang: lang(r)}.T
	if n < 1 {
		return notices["published"], nil, nil
	}
	notice := fmt.Sprintf(tr("Alur diterbitkan sebagai versi %d. Survei baru memakai versi ini."), n)
	v, err := s.DB.FindFlowVersion(r.Context(), id, n)
	if errors.Is(err, storage.ErrNotFound) {
		return notice, nil, nil
	}
	if err != nil {
		return "", nil, err
	}
	f, _ := problems(id, v.Source, lang(r))
	if f == nil {
		return notice, nil, nil
	}
	var ws []string
	for _, w := range flowWarnings(f, lang(r)) {
		ws = append(ws, fmt.Sprintf(tr("Versi %d diterbitkan, tetapi %s."), n, w))
	}
	return notice, ws, nil
}

// versionParam is the version number a redirect names (?v=n), or 0.
func versionParam(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("v"))
	if err != nil || n < 1 {
		return 0
	}
	return n
}
