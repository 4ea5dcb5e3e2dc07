package flows

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// WithVersion returns a copy of f numbered n: its Source is f.Source with the value of the
// top-level version key replaced by n, byte for byte otherwise (comments and layout kept),
// parsed again. Storage uses it to number a published version. It returns an error if n < 1
// or f.Source is not a valid flow.
func (f *Flow) WithVersion(n int) (*Flow, error) {
	if n < 1 {
		return nil, fmt.Errorf("flows: version %d: must be 1 or more", n)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(f.Source, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("flows: set version of %q: source is not a valid flow", f.ID)
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], root.Content[i+1]; k.Value == "version" && v.Kind == yaml.ScalarNode {
			start := valueAt(f.Source, offset(f.Source, v.Line, v.Column), v.Value)
			if start < 0 {
				break
			}
			src := make([]byte, 0, len(f.Source)+8)
			src = append(src, f.Source[:start]...)
			src = strconv.AppendInt(src, int64(n), 10)
			src = append(src, f.Source[start+len(v.Value):]...)
			return Parse(fmt.Sprintf("%s v%d", f.ID, n), src)
		}
	}
	return nil, fmt.Errorf("flows: set version of %q: no plain version value in the source", f.ID)
}

// valueAt returns where value starts on the line from byte start: at start itself, or, after
// a tag or an anchor ("!!int 1", "&v 1") or where the parser did not count a byte-order mark,
// further on as a word of its own. It returns -1 if it is not there.
func valueAt(src []byte, start int, value string) int {
	if start < 0 || value == "" {
		return -1
	}
	end := len(src)
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		end = start + i
	}
	for i := start; i+len(value) <= end; i++ {
		if !bytes.HasPrefix(src[i:], []byte(value)) {
			continue
		}
		before := i == start || src[i-1] == ' ' || src[i-1] == '\t'
		after := i+len(value) == end || bytes.IndexByte([]byte(" \t\r#"), src[i+len(value)]) >= 0
		if before && after {
			return i
		}
	}
	return -1
}

// offset returns the byte offset of a 1-based line and column (in characters), or -1.
func offset(src []byte, line, col int) int {
	text, start, ok := lineAt(src, line)
	if !ok {
		return -1
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
