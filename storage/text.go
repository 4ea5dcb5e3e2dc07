package storage

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidText reports whether s can be stored as text in both databases: PostgreSQL refuses
// the NUL character and broken UTF-8, which SQLite would keep.
func ValidText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// CleanText is s made storable: broken UTF-8 replaced by U+FFFD, NUL characters dropped.
func CleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// MaxName is the longest unit, agency or service name, in characters, not bytes: "é" is one
// character and two bytes.
const MaxName = 200

// NameProblem is what CheckName finds wrong with a name.
type NameProblem int

const (
	// NameOK: nothing is wrong.
	NameOK NameProblem = iota
	// NameEmpty: nothing is left once its ends are trimmed.
	NameEmpty
	// NameTooLong: longer than MaxName characters.
	NameTooLong
	// NameDirection: it holds a bidi override or isolate (U+202A–U+202E, U+2066–U+2069),
	// which shows the name, and what follows it on the page, in another order than written.
	NameDirection
)

// CheckName returns a unit, agency or service name as it is kept, without the spaces and
// the invisible format characters (Unicode Cf: zero-width space, joiners, byte order mark…)
// at its ends, and what is wrong with it. A name of only those is empty: it would show as
// nothing. Bidi overrides and isolates are refused anywhere, even at the ends, as the admin
// who typed one may not know it is there.
func CheckName(s string) (string, NameProblem) {
	name := strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
	switch {
	case strings.ContainsFunc(s, isDirectionControl):
		return name, NameDirection
	case name == "":
		return name, NameEmpty
	case utf8.RuneCountInString(name) > MaxName:
		return name, NameTooLong
	}
	return name, NameOK
}

// isDirectionControl reports whether r is a bidi embedding, override or isolate: U+202A–U+202E
// (LRE, RLE, PDF, LRO, RLO) or U+2066–U+2069 (LRI, RLI, FSI, PDI).
func isDirectionControl(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}
