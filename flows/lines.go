package flows

import (
	"bytes"
	"unicode/utf8"
)

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

// invisibleBreaks are the line breaks of YAML that editors do not show as one: pasted from a
// document or a web page into a text, they split its line for YAML alone.
var invisibleBreaks = []struct {
	br   string
	name msg
}{
	{"\u2028", msg{"U+2028 (pemisah baris)", "U+2028 (line separator)"}},
	{"\u2029", msg{"U+2029 (pemisah paragraf)", "U+2029 (paragraph separator)"}},
	{"\u0085", msg{"U+0085 (NEL, baris berikutnya)", "U+0085 (NEL, next line)"}},
}

// invisibleBreakNear returns a note on an invisible line break that ends line-1, line-2 or
// line (as YAML counts lines), the nearest before line first: the line and column of the
// character as editors count them (breaking only at CR and LF), and its name. ok is false
// when there is none.
func invisibleBreakNear(src []byte, line int) (note msg, ok bool) {
	for _, l := range []int{line - 1, line - 2, line} {
		text, start, found := lineAt(src, l)
		if !found {
			continue
		}
		at := start + len(text)
		for _, ib := range invisibleBreaks {
			if bytes.HasPrefix(src[at:], []byte(ib.br)) {
				edLine, edCol := editorPosition(src, at)
				return msg{"; baris %d kolom %d (seperti dihitung editor) memuat karakter tak terlihat %s, yang dibaca YAML sebagai akhir baris: hapus karakter itu",
					"; line %d column %d (as editors count) holds the invisible character %s, which YAML reads as the end of a line: delete that character"}.with(edLine, edCol, ib.name), true
			}
		}
	}
	return msg{}, false
}

// editorPosition returns the 1-based line and column, in characters, of the byte at offset as
// editors count them: lines end at CR LF, CR or LF only.
func editorPosition(src []byte, offset int) (int, int) {
	line, start := 1, 0
	for i := 0; i < offset; i++ {
		switch {
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
		case src[i] == '\r' || src[i] == '\n':
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(src[start:offset]) + 1
}
