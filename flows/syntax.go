package flows

import (
	"bytes"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

var (
	// yamlProblem matches the errors of the YAML library: "yaml: line N: problem".
	yamlProblem = regexp.MustCompile(`(?s)^yaml: (?:line (\d+): )?(.*)$`)
	// unknownAnchor matches the library's problem of an alias without its anchor, which
	// comes without a line: the library finds it after parsing, in the node tree.
	unknownAnchor = regexp.MustCompile(`^unknown anchor '([0-9A-Za-z_-]+)' referenced$`)
)

// parserProblems are the problems the YAML library's parser (not its scanner) reports; for
// them the library gives a 0-based line, so one is added.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
	"found duplicate %TAG directive":         true,
	"did not find expected <stream-start>":   true,
}

// syntaxError reports a YAML syntax error of the flow file.
func (p *parser) syntaxError(err error, src []byte) {
	p.errs = append(p.errs, YAMLSyntaxError(p.file, src, err))
}

// YAMLSyntaxError is err, an error of the YAML library reading src from file, as an Error at
// FILE:LINE:COL, in Indonesian and English, with advice where the problem is a known one (a
// tab, an unclosed quote): for any YAML file Sukma reads, a flow or its settings. The library
// gives a line (not always) but no column, so the column is that of what the problem is about
// when it can be found on the line, else that of the first non-blank character of the line.
func YAMLSyntaxError(file string, src []byte, err error) *Error {
	line, problem := 0, err.Error()
	if m := yamlProblem.FindStringSubmatch(problem); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = n
		}
		problem = m[2]
	}
	if parserProblems[problem] {
		line++
	}
	// Some problems are found at the end of the stream, a line past the last one.
	line = min(max(line, 1), countLines(src))
	col := firstColumn(src, line)
	hint, known := syntaxHints[problem]
	var args []any
	switch hint {
	case tabHint:
		line, col = findTab(src, line)
	case endOfStreamHint, docInQuoteHint:
		col = indicatorColumn(src, line, `"'`, col)
	case anchorHint:
		col = indicatorColumn(src, line, "&*", col)
	case tagHint:
		col = indicatorColumn(src, line, "!", col)
	case blockHeaderHint:
		col = indicatorColumn(src, line, "|>", col)
	case utf8Hint, utf16Hint, controlHint:
		// The library gives no line for these: find the first such byte.
		line, col = findBadByte(src)
	}
	switch m := unknownAnchor.FindStringSubmatch(problem); {
	case m != nil:
		hint, args = unknownAnchorHint, []any{m[1]}
		line, col = aliasPosition(src, m[1])
	case strings.HasPrefix(problem, "exceeded max depth"):
		hint = depthHint
	case byPosition[hint]:
	default:
		// A quote left open reads on to the next quote of the file: the library reports
		// what follows that, or the block the quote is in, and not the quote.
		if open, close, ok := unclosedQuote(src, line, err); ok {
			closeLine, _ := position(src, close)
			hint, args = unclosedQuoteHint, []any{string(src[open]), closeLine}
			line, col = position(src, open)
		} else if !known {
			hint, args = untranslatedSyntax, []any{problem}
		}
	}
	// A line break only YAML sees (U+2028 pasted into a text) puts the problem a line past the
	// one the admin sees: name the character, where the editor shows it.
	note, _ := invisibleBreakNear(src, line)
	return newError(file, line, col, msg{"sintaks YAML salah: %s%s", "YAML syntax error: %s%s"}.with(hint.with(args...), note))
}

// byPosition are the hints of problems that syntaxError places by what they are about, and
// that no quote left open explains.
var byPosition = map[msg]bool{tabHint: true, endOfStreamHint: true, docInQuoteHint: true, utf8Hint: true, utf16Hint: true, controlHint: true}

// aliasPosition returns the line and column of the first alias *name in src, the one the
// YAML library could not resolve, or 1:1.
//
// "*name" may also appear in a comment or inside a text before the alias, so the first
// occurrence is not necessarily it. Putting "x" for "*" turns an alias into a plain text and
// leaves any other occurrence as it was (text stays text), so the alias is the first
// occurrence that, neutralised with every later one, makes the error go away.
func aliasPosition(src []byte, name string) (int, int) {
	var at []int
	for i := 0; ; {
		j := bytes.Index(src[i:], []byte("*"+name))
		if j < 0 {
			break
		}
		i += j
		if end := i + 1 + len(name); end == len(src) || !isAnchorChar(src[end]) {
			at = append(at, i)
		}
		i++
	}
	first := sort.Search(len(at), func(k int) bool {
		return stillUnknown(src, name, at[k+1:])
	})
	if first == len(at) {
		return 1, 1
	}
	return position(src, at[first])
}

// stillUnknown reports whether src, with a "*" at each of the offsets made an "x", still
// refers to the unknown anchor name.
func stillUnknown(src []byte, name string, offsets []int) bool {
	changed := bytes.Clone(src)
	for _, o := range offsets {
		changed[o] = 'x'
	}
	var doc yaml.Node
	err := yaml.Unmarshal(changed, &doc)
	return err != nil && err.Error() == "yaml: unknown anchor '"+name+"' referenced"
}

// isAnchorChar reports whether c may be part of an anchor's name, as the YAML library reads
// one.
func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// position returns the 1-based line and column, in characters, of the byte at offset.
func position(src []byte, offset int) (int, int) {
	line, start := 1, 0
	for {
		_, next := nextBreak(src, start)
		if next < 0 || offset < next {
			return line, utf8.RuneCount(src[start:offset]) + 1
		}
		line, start = line+1, next
	}
}

// findBadByte returns the line and column of the first byte that is not UTF-8 text or is a
// control character other than tab, line feed and carriage return, or 1:1.
func findBadByte(src []byte) (int, int) {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return position(src, i)
		}
		i += size
	}
	return 1, 1
}

// firstColumn returns the 1-based column, in characters, of the first non-blank character
// of a 1-based line, or 1.
func firstColumn(src []byte, line int) int {
	text, _, ok := lineAt(src, line)
	if !ok {
		return 1
	}
	indent := len(text) - len(bytes.TrimLeft(text, " \t"))
	if indent == len(text) {
		return 1
	}
	return utf8.RuneCount(text[:indent]) + 1
}

// findTab returns the position of the first tab used for indentation at or after line, or
// line and its first column when there is none.
func findTab(src []byte, line int) (int, int) {
	for l := line; ; l++ {
		text, _, ok := lineAt(src, l)
		if !ok {
			return line, firstColumn(src, line)
		}
		indent := len(text) - len(bytes.TrimLeft(text, " \t"))
		if tab := bytes.IndexByte(text[:indent], '\t'); tab >= 0 {
			return l, tab + 1
		}
	}
}

// indicatorColumn returns the column of the first of the characters in set that starts a
// value on a line (at its start, or after a blank or one of "[{,"), where an unclosed quote,
// an anchor, an alias, a tag or a block text begins, or col when the line has none.
func indicatorColumn(src []byte, line int, set string, col int) int {
	text, _, ok := lineAt(src, line)
	if !ok {
		return col
	}
	for i := range text {
		if strings.IndexByte(set, text[i]) >= 0 && (i == 0 || strings.IndexByte(" \t[{,", text[i-1]) >= 0) {
			return utf8.RuneCount(text[:i]) + 1
		}
	}
	return col
}
