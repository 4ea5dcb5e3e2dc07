package flows

import "bytes"

// lineBreaks are the line breaks of YAML, as the YAML library counts lines: CR LF, CR, LF,
// NEL, LS and PS. Positions computed here must agree with the library's.
var lineBreaks = [][]byte{[]byte("\r\n"), []byte("\r"), []byte("\n"), []byte("\u0085"), []byte("\u2028"), []byte("\u2029")}

// lineAt returns the text of a 1-based line and its byte offset, or ok=false when src has
// fewer lines.
func lineAt(src []byte, line int) (text []byte, start int, ok bool) {
	for l := 1; ; l++ {
		end, next := nextBreak(src, start)
		if l == line {
			return src[start:end], start, true
		}
		if next < 0 {
			return nil, 0, false
		}
		start = next
	}
}

// countLines returns the number of lines of src.
func countLines(src []byte) int {
	n := 1
	for start := 0; ; n++ {
		_, next := nextBreak(src, start)
		if next < 0 {
			return n
		}
		start = next
	}
}

// nextBreak returns where the line starting at start ends and where the next one starts,
// or next=-1 when it is the last line.
func nextBreak(src []byte, start int) (end, next int) {
	for i := start; i < len(src); i++ {
		if c := src[i]; c != '\r' && c != '\n' && c != 0xC2 && c != 0xE2 {
			continue
		}
		for _, br := range lineBreaks {
			if bytes.HasPrefix(src[i:], br) {
				return i, i + len(br)
			}
		}
	}
	return len(src), -1
}
