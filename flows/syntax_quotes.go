package flows

import (
	"bytes"
	"slices"
	"sort"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// unclosedQuoteHint explains a quote left open on its line, its first argument, when the file
// has another quote further down, on the line of the second argument: the quoted text runs on
// to it, and the library reports the text after it, far from the quote, or the block the
// quote is in.
var unclosedQuoteHint = msg{"tanda kutip %[1]s di sini belum ditutup: teksnya berlanjut sampai tanda kutip berikutnya, di baris %[2]d; tambahkan %[1]s di akhir teksnya",
	"the quote %[1]s here is not closed: the text runs on to the next quote, on line %[2]d; add %[1]s at the end of the text"}

// quotedSpan is a quoted text of a file that spans lines, from the byte of its opening quote
// to the byte of its closing one.
type quotedSpan struct{ open, close int }

// unclosedQuote finds the quote left open that caused err, a syntax error the library reports
// on line (or in the block that starts there): a quoted text spanning lines that starts on or
// before the line, or the first one after it, such that the file without its opening quote,
// or with the text closed at the end of its first line, parses, or fails otherwise and only
// past the line where the text ended. It returns the quote's offset and the offset of the
// quote the text ran on to; ok is false when no quoted text is to blame, as when one that
// spans lines is meant to.
func unclosedQuote(src []byte, line int, err error) (open, close int, ok bool) {
	spans := multilineQuotes(src)
	after := sort.Search(len(spans), func(i int) bool {
		l, _ := position(src, spans[i].open)
		return l > line
	})
	for _, i := range []int{after - 1, after} {
		if i < 0 || i >= len(spans) {
			continue
		}
		s := spans[i]
		end, _ := nextBreak(src, s.open)
		unquoted := slices.Concat(src[:s.open], []byte{' '}, src[s.open+1:])
		closed := slices.Concat(src[:end], src[s.open:s.open+1], src[end:])
		if fixes(unquoted, s, src, err) || fixes(closed, s, src, err) {
			return s.open, s.close, true
		}
	}
	return 0, 0, false
}

// fixes reports whether fixed, src changed at the quoted text s, parses, or fails otherwise
// than src (err) and only past the line where s ended.
func fixes(fixed []byte, s quotedSpan, src []byte, err error) bool {
	var doc yaml.Node
	fixedErr := yaml.Unmarshal(fixed, &doc)
	if fixedErr == nil {
		return true
	}
	m := yamlProblem.FindStringSubmatch(fixedErr.Error())
	if m == nil || fixedErr.Error() == err.Error() {
		return false
	}
	errLine, convErr := strconv.Atoi(m[1])
	if convErr != nil {
		return false
	}
	if parserProblems[m[2]] {
		errLine++
	}
	closeLine, _ := position(src, s.close)
	return errLine > closeLine
}

// multilineQuotes returns the quoted texts of src that span lines, in order, as YAML reads
// quotes: a quote opens a text only where a value starts (at the start of a line, after "- ",
// ": ", "? ", or "[", "{", ",", ":" of a flow collection), not inside a plain text, a comment
// or a block text (| or >). It stops at a quote never closed.
func multilineQuotes(src []byte) []quotedSpan {
	var spans []quotedSpan
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '#' && (i == 0 || isSeparator(src[i-1])):
			_, next := nextBreak(src, i)
			if next < 0 {
				return spans
			}
			i = next
		case (c == '"' || c == '\'') && startsValue(src, i):
			j := closingQuote(src, i)
			if j < 0 {
				return spans
			}
			if end, _ := nextBreak(src, i); end < j {
				spans = append(spans, quotedSpan{i, j})
			}
			i = j + 1
		case (c == '|' || c == '>') && startsValue(src, i):
			i = afterBlockText(src, i)
		default:
			i++
		}
	}
	return spans
}

// startsValue reports whether the byte at i, on its line, is where a value may start. It
// looks back only over the blanks before i, so that a line of a thousand quotes is read in
// linear time.
func startsValue(src []byte, i int) bool {
	k := i - 1
	for k >= 0 && (src[k] == ' ' || src[k] == '\t') {
		k--
	}
	if k < 0 || endsLine(src, k+1) {
		return true // the first of its line
	}
	switch src[k] {
	case '[', '{', ',', ':':
		return true
	case '-', '?':
		return k < i-1 && (k == 0 || src[k-1] == ' ' || src[k-1] == '\t' || endsLine(src, k))
	}
	return false
}

// endsLine reports whether a line break (as YAML counts them) ends just before offset k.
func endsLine(src []byte, k int) bool {
	c := src[k-1]
	return c == '\n' || c == '\r' ||
		c == 0x85 && k >= 2 && src[k-2] == 0xC2 ||
		(c == 0xA8 || c == 0xA9) && k >= 3 && src[k-3] == 0xE2 && src[k-2] == 0x80
}

// lineStart returns the offset of the start of the line of the byte at i.
func lineStart(src []byte, i int) int {
	for k := i; k > 0; k-- {
		if endsLine(src, k) {
			return k
		}
	}
	return 0
}

// closingQuote returns the offset of the quote that closes the one at open, or -1: in double
// quotes a backslash escapes the next character, in single quotes ” is a quote.
func closingQuote(src []byte, open int) int {
	q := src[open]
	for j := open + 1; j < len(src); j++ {
		switch {
		case q == '"' && src[j] == '\\':
			j++
		case src[j] == q && q == '\'' && j+1 < len(src) && src[j+1] == '\'':
			j++
		case src[j] == q:
			return j
		}
	}
	return -1
}

// afterBlockText returns the offset after the block text whose header (| or >) is at i: the
// lines after the header that are blank or more indented than the header's line.
func afterBlockText(src []byte, i int) int {
	indent := indentOf(src[lineStart(src, i):])
	_, next := nextBreak(src, i)
	for next >= 0 {
		end, after := nextBreak(src, next)
		text := src[next:end]
		if len(bytes.TrimSpace(text)) > 0 && indentOf(text) <= indent {
			return next
		}
		next = after
	}
	return len(src)
}

// indentOf returns the number of spaces a line starts with.
func indentOf(text []byte) int {
	return len(text) - len(bytes.TrimLeft(text, " "))
}
