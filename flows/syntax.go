package flows

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// yamlProblem matches the errors of the YAML library: "yaml: line N: problem".
var yamlProblem = regexp.MustCompile(`(?s)^yaml: (?:line (\d+): )?(.*)$`)

// syntaxHints turns the YAML library's most common problems into advice an admin can act on.
var syntaxHints = map[string]string{
	"mapping values are not allowed in this context":               "titik dua \": \" tidak boleh di sini: beri tanda kutip pada teks yang memuat \": \", atau periksa indentasi",
	"did not find expected key":                                    "struktur tidak sesuai: periksa indentasi baris ini dan baris sebelumnya",
	"found character that cannot start any token":                  "ada karakter yang tidak boleh mengawali nilai (tab? gunakan spasi untuk indentasi; teks yang diawali @ atau ` perlu tanda kutip)",
	"found a tab character that violates indentation":              "tab dipakai untuk indentasi: gunakan spasi",
	"found unexpected end of stream":                               "berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup",
	"did not find expected node content":                           "nilai yang diharapkan tidak ditemukan",
	"could not find expected ':'":                                  "tanda titik dua (:) setelah kunci tidak ditemukan",
	"did not find expected ',' or ']'":                             "daftar [...] belum ditutup dengan ] atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
	"did not find expected ',' or '}'":                             "pemetaan {...} belum ditutup dengan } atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
	"did not find expected '-' indicator":                          "daftar yang dimulai di sini rusak: setiap butirnya harus diawali \"- \" dengan indentasi yang sama; periksa indentasi baris-baris di bawahnya",
	"block sequence entries are not allowed in this context":       "butir daftar \"- \" tidak boleh di sini: periksa indentasi",
	"found undefined tag handle":                                   "tag YAML (!...) tidak dikenal",
	"found unknown escape character while parsing a quoted scalar": "karakter escape (\\...) tidak dikenal di dalam tanda kutip ganda",
	"found unknown escape character":                               "karakter escape (\\...) tidak dikenal di dalam tanda kutip ganda: tulis \\\\ untuk garis miring terbalik, atau pakai tanda kutip tunggal",
	"found a tab character where an indentation space is expected": "tab dipakai untuk indentasi: gunakan spasi",
	"did not find expected hexdecimal number":                      "escape \\x, \\u atau \\U di dalam tanda kutip ganda tidak lengkap",
	"found an indentation indicator equal to 0":                    "indikator indentasi teks blok (|0 atau >0) tidak boleh 0",
	"control characters are not allowed":                           "berkas memuat karakter kendali yang tidak boleh ada",
	"invalid leading UTF-8 octet":                                  "berkas bukan teks UTF-8 yang sah",
	"invalid trailing UTF-8 octet":                                 "berkas bukan teks UTF-8 yang sah",
}

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

// syntaxError reports a YAML syntax error. The library gives a line but no column, so the
// column is that of the first non-blank character of the line.
func (p *parser) syntaxError(err error, src []byte) {
	line, msg := 0, err.Error()
	if m := yamlProblem.FindStringSubmatch(msg); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n > 0 {
			line = n
		}
		msg = m[2]
	}
	if parserProblems[msg] {
		line++
	}
	line = max(line, 1)
	col := firstColumn(src, line)
	switch msg {
	case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
		line, col = findTab(src, line)
	case "found unexpected end of stream":
		col = quoteColumn(src, line, col)
	case "invalid leading UTF-8 octet", "invalid trailing UTF-8 octet", "control characters are not allowed":
		// The library gives no line for these: find the first such byte.
		line, col = findBadByte(src)
	}
	if hint, ok := syntaxHints[msg]; ok {
		msg = hint
	} else if strings.HasPrefix(msg, "exceeded max depth") {
		msg = "struktur bersarang terlalu dalam"
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Col: col, Msg: "sintaks YAML salah: " + msg})
}

// findBadByte returns the line and column of the first byte that is not UTF-8 text or is a
// control character other than tab, line feed and carriage return, or 1:1.
func findBadByte(src []byte) (int, int) {
	line, col := 1, 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if (r == utf8.RuneError && size == 1) || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 0
		}
		col++
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

// quoteColumn returns the column of the first quote on a line, where an unclosed quoted
// text starts, or col when the line has none.
func quoteColumn(src []byte, line, col int) int {
	text, _, ok := lineAt(src, line)
	if !ok {
		return col
	}
	if i := bytes.IndexAny(text, "\"'"); i >= 0 {
		return utf8.RuneCount(text[:i]) + 1
	}
	return col
}
