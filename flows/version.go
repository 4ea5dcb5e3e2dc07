package flows

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// notRenumberable is the problem Parse reports, and WithVersion returns, for a version value
// written in a form whose text cannot be replaced by another number.
var notRenumberable = msg{"version harus ditulis sebagai angka biasa, misalnya version: 1 (atau \"version\": 1 di JSON): " +
	"nomornya diganti saat alur diterbitkan, dan bentuk ini tidak dapat diganti",
	"version must be written as a plain number, for example version: 1 (or \"version\": 1 in JSON): " +
		"the number is replaced when the flow is published, and this form cannot be replaced"}

// WithVersion returns a copy of f numbered n: its Source is f.Source with the value of the
// top-level version key replaced by n, byte for byte otherwise (comments and layout kept),
// parsed again. Storage uses it to number a published version. It returns an error if n < 1;
// an ErrorList (the position of the version, as in "FILE:LINE:COL: message") if f.Source is
// not a valid flow or its version cannot be renumbered, which Parse already refuses.
func (f *Flow) WithVersion(n int) (*Flow, error) {
	if n < 1 {
		return nil, fmt.Errorf("flows: version %d: must be 1 or more", n)
	}
	name := fmt.Sprintf("%s v%d", f.ID, n)
	v := versionNode(f.Source)
	start, end, ok := versionSpan(f.Source, v)
	if !ok {
		line, col := 1, 1
		if v != nil {
			line, col = v.Line, max(v.Column, 1)
		}
		return nil, ErrorList{newError(f.ID+".yaml", line, col, notRenumberable)}
	}
	src := make([]byte, 0, len(f.Source)+8)
	src = append(src, f.Source[:start]...)
	src = strconv.AppendInt(src, int64(n), 10)
	src = append(src, f.Source[end:]...)
	g, err := Parse(name, src)
	if err == nil && g.Version != n {
		// Never publish a version under a number its source does not say.
		err = ErrorList{newError(f.ID+".yaml", v.Line, max(v.Column, 1), notRenumberable)}
	}
	return g, err
}

// versionNode returns the value of the top-level version key of src, or nil.
func versionNode(src []byte) *yaml.Node {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "version" {
			return root.Content[i+1]
		}
	}
	return nil
}

// versionSpan returns where the text of the version value v starts and ends in src, the
// bytes to replace by another number: after any tag or anchor ("!!int 1", "&v 1"), inside
// quotes ("!!int '1'"), and ending where a plain value ends in block or flow style (a space,
// a line break, or "," "}" "]" in JSON and {…} mappings). ok is false when v is not a scalar
// whose source text is its value (an escape, a block scalar, an alias).
func versionSpan(src []byte, v *yaml.Node) (start, end int, ok bool) {
	if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" || v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return 0, 0, false
	}
	pos := offset(src, v.Line, v.Column)
	if pos < 0 {
		return 0, 0, false
	}
	pos = skipProperties(src, pos)
	var quote byte
	switch {
	case v.Style&yaml.DoubleQuotedStyle != 0:
		quote = '"'
	case v.Style&yaml.SingleQuotedStyle != 0:
		quote = '\''
	}
	if quote != 0 {
		if pos >= len(src) || src[pos] != quote {
			return 0, 0, false
		}
		pos++
	}
	end = pos + len(v.Value)
	if !bytes.HasPrefix(src[pos:], []byte(v.Value)) {
		return 0, 0, false
	}
	if quote != 0 {
		if end >= len(src) || src[end] != quote {
			return 0, 0, false
		}
		return pos, end, true
	}
	if end < len(src) && !endsPlain(src[end:]) {
		return 0, 0, false
	}
	return pos, end, true
}

// skipProperties returns where the value at pos starts after its tag and anchor, if any,
// and the spaces, line breaks and comments that separate them from it.
func skipProperties(src []byte, pos int) int {
	for pos < len(src) && (src[pos] == '!' || src[pos] == '&') {
		for pos < len(src) && !isSeparator(src[pos]) {
			pos++
		}
		for pos < len(src) {
			switch {
			case isSeparator(src[pos]):
				pos++
			case src[pos] == '#':
				end, next := nextBreak(src, pos)
				pos = end
				if next >= 0 {
					pos = next
				}
			case isBreak(src[pos:]):
				_, pos = nextBreak(src, pos)
			default:
				return pos
			}
		}
	}
	return pos
}

// isSeparator reports whether c separates tokens on a line (a space, a tab, or the bytes of
// a CR LF or LF line break).
func isSeparator(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isBreak reports whether rest starts with a line break YAML counts (NEL, LS, PS included).
func isBreak(rest []byte) bool {
	for _, br := range lineBreaks {
		if bytes.HasPrefix(rest, br) {
			return true
		}
	}
	return false
}

// endsPlain reports whether a plain value may end just before rest: at a space, a line
// break, a comment, or a flow collection's delimiter.
func endsPlain(rest []byte) bool {
	return bytes.IndexByte([]byte(" \t#,}]"), rest[0]) >= 0 || isBreak(rest)
}

// offset returns the byte offset of a 1-based line and column (in characters), or -1. The
// YAML library does not count a byte-order mark at the start as a column, so neither does
// offset.
func offset(src []byte, line, col int) int {
	text, start, ok := lineAt(src, line)
	if !ok {
		return -1
	}
	if start == 0 && bytes.HasPrefix(text, []byte("\uFEFF")) {
		text, start = text[3:], 3
	}
	pos := 0
	for c := 1; c < col; c++ {
		if pos >= len(text) {
			return -1
		}
		_, size := utf8.DecodeRune(text[pos:])
		pos += size
	}
	return start + pos
}
