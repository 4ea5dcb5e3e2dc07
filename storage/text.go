package storage

import (
	"strings"
	"unicode/utf8"
)

// ValidText reports whether s can be stored as text in both databases: PostgreSQL refuses
// the NUL character and broken UTF-8, which SQLite would keep.
func ValidText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// CleanText is s made storable: broken UTF-8 replaced by U+FFFD, NUL characters dropped.
func CleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}
