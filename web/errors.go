package web

import "net/http"

// The JSON API's errors are {"error":"…"}: what to fix in Indonesian, then in English in
// parentheses for whoever reads the API in another language, as the web chat answers
// (bot/webchat/errors.go).

// writeError answers {"error": "<id> (<en>)"} with status. Both say what to fix; for a 5xx
// use s.internalError.
func writeError(w http.ResponseWriter, status int, id, en string) {
	writeJSON(w, status, map[string]string{"error": bilingual(id, en)})
}

// bilingual is a message as the API writes it: Indonesian, then English in parentheses.
func bilingual(id, en string) string { return id + " (" + en + ")" }

// A problem is a 4xx message found before it is written, in both languages; the zero
// problem is none.
type problem struct{ id, en string }

// write answers the problem with status.
func (p problem) write(w http.ResponseWriter, status int) { writeError(w, status, p.id, p.en) }
