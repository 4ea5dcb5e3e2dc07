package flows

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a flow file, at a 1-based line and column.
type Error struct {
	File      string
	Line, Col int
	Msg       string // in Indonesian, as Error writes it
	En        string // Msg in English, for the admin pages in English
}

// Error returns "FILE:LINE:COL: message", in Indonesian.
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// In returns "FILE:LINE:COL: message" with the message in lang: English for "en",
// Indonesian (as Error) for any other.
func (e *Error) In(lang string) string {
	if lang == "en" && e.En != "" {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.En)
	}
	return e.Error()
}

// ErrorList is every problem found in a flow file, sorted by position.
type ErrorList []*Error

// Error returns the problems one per line, in Indonesian.
func (l ErrorList) Error() string { return l.In("id") }

// In returns the problems one per line, in lang (see Error.In).
func (l ErrorList) In(lang string) string {
	lines := make([]string, len(l))
	for i, e := range l {
		lines[i] = e.In(lang)
	}
	return strings.Join(lines, "\n")
}

// sort orders the list by line, then column; problems at the same position keep the order
// in which they were found.
func (l ErrorList) sort() {
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
}

// capped returns the first MaxProblems of the sorted list l and, when there are more, one
// problem that says how many, at the position of the first left out: a file of 60,000
// unknown keys gave an answer of 15 MB, and the first problems are the ones to fix first.
func (l ErrorList) capped() ErrorList {
	if len(l) <= MaxProblems {
		return l
	}
	next := l[MaxProblems]
	more := newError(next.File, next.Line, next.Col, msg{"… dan %d masalah lain: perbaiki yang di atas, lalu periksa lagi",
		"… and %d more problems: fix those above, then check again"}.with(len(l)-MaxProblems))
	return append(l[:MaxProblems:MaxProblems], more)
}

// msg is a message of the checker, or a part of one, in Indonesian and in English: a
// format for fmt.Sprintf, even without arguments ("%%" writes "%"), with the same verbs in
// both, which English may take in another order (%[2]s). Every msg is written as a literal
// of two texts, which TestEveryMessageHasItsEnglish checks; keyName makes the one
// exception, the name of a YAML key.
type msg struct{ id, en string }

// with returns m with args put in, in both languages: an argument that is a msg is put in
// in the same language, any other (a value from the file, a number, a kind) as it is.
func (m msg) with(args ...any) msg {
	return msg{fmt.Sprintf(m.id, inLang(args, false)...), fmt.Sprintf(m.en, inLang(args, true)...)}
}

// in returns the text of m in lang: English for "en", Indonesian for any other.
func (m msg) in(lang string) string {
	if lang == "en" {
		return m.en
	}
	return m.id
}

func inLang(args []any, en bool) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if m, ok := a.(msg); ok {
			a = m.id
			if en {
				a = m.en
			}
		}
		out[i] = a
	}
	return out
}

// keyName is a YAML key named in a message ("version", "when.min"): the same in both
// languages.
func keyName(key string) msg { return msg{key, key} }

// newError is a problem at a position, in both languages.
func newError(file string, line, col int, m msg) *Error {
	return &Error{File: file, Line: line, Col: col, Msg: m.id, En: m.en}
}
