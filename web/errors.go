package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// The JSON API's errors are {"error":"…"}: what to fix in Indonesian, then in English in
// parentheses for whoever reads the API in another language, as the web chat answers
// (bot/webchat/errors.go).

// writeError answers {"error": "<id> (<en>)"} with status. Both say what to fix; for a 5xx
// use s.internalError.
func writeError(w http.ResponseWriter, status int, id, en string) {
	writeJSON(w, status, map[string]string{"error": bilingual(short(id), short(en))})
}

// maxMessage bounds an error message: most quote what was sent (a unit code, a date), and a
// client that sent half a megabyte needs no megabyte back to know what to fix.
const maxMessage = 1000

// short cuts a message past maxMessage bytes, at a character's start, marking the cut.
func short(msg string) string {
	if len(msg) <= maxMessage {
		return msg
	}
	cut := maxMessage
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// bilingual is a message as the API writes it: Indonesian, then English in parentheses.
func bilingual(id, en string) string { return id + " (" + en + ")" }

// A problem is a 4xx message found before it is written, in both languages; the zero
// problem is none.
type problem struct{ id, en string }

// write answers the problem with status.
func (p problem) write(w http.ResponseWriter, status int) { writeError(w, status, p.id, p.en) }

// with returns p, a format in both languages, with args put in.
func (p problem) with(args ...any) problem {
	return problem{fmt.Sprintf(p.id, args...), fmt.Sprintf(p.en, args...)}
}

// withParams is h refusing any query parameter but params (see onlyParams).
func withParams(h http.HandlerFunc, params []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if onlyParams(w, r, params...) {
			h(w, r)
		}
	}
}

// onlyParams refuses a query naming a parameter other than known: a filter the endpoint does
// not have (agency=, period=) would otherwise be ignored in silence, and the answer taken for
// the filtered one.
//
// It refuses as well a query that does not parse (a bad %-escape, a ";" between parameters)
// and a parameter given twice: r.URL.Query() drops the first in silence and keeps the first
// value of the second, and either way the filter asked for could go unapplied.
func onlyParams(w http.ResponseWriter, r *http.Request, known ...string) bool {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		writeError(w, http.StatusBadRequest, "query tidak dapat dibaca: pisahkan parameter dengan & dan tulis karakter khusus dengan %XX",
			"malformed query: separate parameters with & and escape special characters as %XX")
		return false
	}
	var unknown []string
	for name, values := range q {
		if !slices.Contains(known, name) {
			unknown = append(unknown, name)
		} else if len(values) > 1 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter %s diberikan %d kali: berikan sekali", name, len(values)),
				fmt.Sprintf("parameter %s given %d times: give it once", name, len(values)))
			return false
		}
	}
	if len(unknown) == 0 {
		return true
	}
	slices.Sort(unknown)
	list, want := strings.Join(unknown, ", "), strings.Join(known, ", ")
	if len(known) == 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter tidak dikenal: %s; titik API ini tidak menerima parameter", list),
			fmt.Sprintf("unknown parameter: %s; this endpoint takes none", list))
		return false
	}
	writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter tidak dikenal: %s; yang dikenal: %s", list, want),
		fmt.Sprintf("unknown parameter: %s; known: %s", list, want))
	return false
}
