package flows

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"
)

var (
	idPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	langPattern = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// Parse parses and validates a flow file. filename is used only in error messages.
//
// On success it returns the flow, with Source holding a copy of src. On failure it returns
// a nil flow and an ErrorList (each *Error with File, Line, Col, Msg; Error() is
// "FILE:LINE:COL: message", in Indonesian), sorted by position, with every problem found:
// a YAML syntax error stops parsing, so it is then the only one.
func Parse(filename string, src []byte) (*Flow, error) {
	p := &parser{file: filename}
	f := p.parse(src)
	if len(p.errs) > 0 {
		p.errs.sort()
		return nil, p.errs
	}
	f.Source = slices.Clone(src)
	return f, nil
}

// parser collects every problem found while turning a YAML node tree into a Flow.
type parser struct {
	file  string
	errs  ErrorList
	langs []string // the flow's languages, known before any text is read
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	p.errs = append(p.errs, &Error{File: p.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (p *parser) parse(src []byte) *Flow {
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		// YAML reads UTF-16, but a flow is stored and renumbered as the UTF-8 text it is.
		p.errorf(nil, "%s", utf16Hint)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p.syntaxError(err, src)
		return nil
	}
	if next, ok := secondDocument(src); ok {
		// Only the first would be read, and the rest published unread.
		p.errorf(next, "satu berkas memuat satu alur saja: hapus dokumen kedua (setelah ---) atau pindahkan ke berkas lain")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.errorf(nil, "berkas kosong: alur harus memuat id, title, dan questions")
		return nil
	}
	root := doc.Content[0]
	p.controls(root)
	fs := p.fields(root, "alur", "id", "version", "title", "languages", "expire_after", "intro", "closing", "questions")
	if fs == nil {
		return nil
	}
	f := &Flow{ExpireAfter: DefaultExpireAfter}
	f.Languages = p.languages(fs["languages"])
	p.langs = f.Languages
	if v, ok := p.required(root, fs, "id"); ok {
		f.ID = p.identifier(v, "id alur")
	}
	if v, ok := p.required(root, fs, "version"); ok {
		if n, ok := p.integer(v, "version"); ok {
			if n < 1 {
				p.errorf(v, "version harus bilangan bulat 1 atau lebih, bukan %d", n)
			} else if _, _, ok := versionSpan(src, v); !ok {
				// Publishing rewrites the number in the source: refuse now, not then.
				p.errorf(v, "%s", notRenumberable)
			}
			f.Version = n
		}
	}
	if v, ok := p.required(root, fs, "title"); ok {
		f.Title = p.text(v, "title")
	}
	if fd, ok := fs["expire_after"]; ok {
		f.ExpireAfter = p.duration(fd.val)
	}
	if fd, ok := fs["intro"]; ok {
		f.Intro = p.text(fd.val, "intro")
	}
	if fd, ok := fs["closing"]; ok {
		f.Closing = p.text(fd.val, "closing")
	}
	if fd, ok := fs["questions"]; ok {
		f.Questions = p.questions(fd.val)
	} else {
		p.errorf(root, "alur tidak memiliki pertanyaan: kunci \"questions\" wajib ada")
	}
	return f
}

// field is one key: value pair of a mapping.
type field struct{ key, val *yaml.Node }

// fields returns the pairs of mapping n by key, reporting a node that is not a mapping,
// keys not in allowed (unless allowed is empty), and keys given twice. It returns nil if n
// is not a mapping.
func (p *parser) fields(n *yaml.Node, what string, allowed ...string) map[string]field {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s harus berupa pemetaan \"kunci: nilai\"%s", what, found(n))
		return nil
	}
	fs := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "kunci di %s harus berupa teks", what)
			continue
		}
		if v.Kind == yaml.AliasNode {
			p.errorf(v, "alias YAML (*%s) tidak didukung: tulis nilainya langsung", v.Value)
			continue
		}
		if prev, dup := fs[k.Value]; dup {
			p.errorf(k, "kunci %q ditulis dua kali di %s (pertama di baris %d)", k.Value, what, prev.key.Line)
			continue
		}
		if len(allowed) > 0 && !slices.Contains(allowed, k.Value) {
			p.errorf(k, "kunci %q tidak dikenal di %s%s (yang boleh: %s)", k.Value, what, suggest(k.Value, allowed), strings.Join(allowed, ", "))
			continue
		}
		fs[k.Value] = field{k, v}
	}
	return fs
}

// required returns the value of key in fs, reporting its absence at mapping n.
func (p *parser) required(n *yaml.Node, fs map[string]field, key string) (*yaml.Node, bool) {
	fd, ok := fs[key]
	if !ok {
		p.errorf(n, "kunci %q wajib ada", key)
		return nil, false
	}
	return fd.val, true
}

// scalar returns the value of a scalar node, reporting any other node and an empty value.
func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) || strings.TrimSpace(n.Value) == "" {
		p.errorf(n, "%s harus diisi dengan satu nilai%s", what, found(n))
		return "", false
	}
	return n.Value, true
}

// controls reports every value under n that holds a control character other than a line
// break or a tab, as a double-quoted "\0" or "\a" gives: no chat shows one, and PostgreSQL
// refuses NUL; and every node with a tag of our own.
func (p *parser) controls(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && strings.ContainsFunc(n.Value, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r'
	}) {
		p.errorf(n, "teks memuat karakter kendali (misalnya \\0 atau \\a di dalam tanda kutip): hapus karakter itu")
	}
	// A tag of our own (!Penting) is no YAML type: it is the start of a text left unquoted,
	// and YAML would drop it from the text without a word ("!Penting Survei" reads "Survei").
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		p.errorf(n, "teks yang diawali ! perlu tanda kutip: tanpa tanda kutip, %s dibaca sebagai tag YAML dan hilang dari teks", n.Tag)
	}
	for _, c := range n.Content {
		p.controls(c)
	}
}

func (p *parser) identifier(n *yaml.Node, what string) string {
	s, ok := p.scalar(n, what)
	if ok && !idPattern.MatchString(s) {
		p.errorf(n, "%s %q tidak sah: gunakan huruf kecil, angka, dan garis bawah, diawali huruf (contoh: kepuasan_umum)", what, s)
	}
	return s
}

func (p *parser) integer(n *yaml.Node, what string) (int, bool) {
	var i int
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		p.errorf(n, "%s harus bilangan bulat%s", what, found(n))
		return 0, false
	}
	return i, true
}

func (p *parser) boolean(n *yaml.Node, what string) (bool, bool) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		p.errorf(n, "%s harus true atau false%s", what, found(n))
		return false, false
	}
	return b, true
}

// languages reads the languages list; without it the flow is in Indonesian only.
func (p *parser) languages(fd field) []string {
	langs := []string{"id"}
	if fd.val == nil {
		return langs
	}
	n := fd.val
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "languages harus berupa daftar kode bahasa, misalnya [id, en]%s", found(n))
		return langs
	}
	hasID := false
	for _, item := range n.Content {
		code, ok := p.scalar(item, "kode bahasa")
		switch {
		case !ok:
		case !langPattern.MatchString(code):
			p.errorf(item, "kode bahasa %q tidak sah: gunakan kode ISO 639-1 huruf kecil, misalnya id atau en", code)
		case code == "id" && !hasID:
			hasID = true
		case slices.Contains(langs[1:], code) || code == "id":
			p.errorf(item, "bahasa %q ditulis dua kali di languages", code)
		default:
			langs = append(langs, code)
		}
	}
	if !hasID {
		p.errorf(n, "languages harus memuat id (Bahasa Indonesia)")
	}
	return langs
}

// text reads a translatable text: a plain string (Indonesian) or a map language -> string
// that must have a non-empty "id" and only languages of the flow.
func (p *parser) text(n *yaml.Node, what string) Text {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		if strings.TrimSpace(n.Value) == "" {
			p.errorf(n, "teks Bahasa Indonesia untuk %s kosong", what)
		}
		return Text{"id": n.Value}
	}
	if isNull(n) {
		p.errorf(n, "teks Bahasa Indonesia untuk %s kosong: tulis teksnya, atau {id: ..., en: ...}", what)
		return Text{}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s harus berupa teks, atau {id: ..., en: ...}%s", what, found(n))
		return Text{}
	}
	t := Text{}
	fs := p.fields(n, what)
	for lang, fd := range fs {
		if !slices.Contains(p.langs, lang) {
			p.errorf(fd.key, "bahasa %q tidak ada di languages (%s): tambahkan ke languages atau hapus terjemahan ini", lang, strings.Join(p.langs, ", "))
			continue
		}
		if s, ok := p.scalar(fd.val, fmt.Sprintf("teks %s (%s)", what, lang)); ok {
			t[lang] = s
		}
	}
	if _, ok := fs["id"]; !ok {
		p.errorf(n, "teks Bahasa Indonesia (id) untuk %s wajib ada", what)
	}
	return t
}

func (p *parser) duration(n *yaml.Node) time.Duration {
	s, ok := p.scalar(n, "expire_after")
	if !ok {
		return DefaultExpireAfter
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errorf(n, "expire_after %q bukan durasi yang sah: tulis misalnya 30m, 2h, atau 24h", s)
		return DefaultExpireAfter
	}
	if d < time.Minute {
		p.errorf(n, "expire_after %q terlalu pendek: paling sedikit 1m", s)
	}
	return d
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// found describes the node that was found where something else was expected.
func found(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return ", bukan pemetaan"
	case n.Kind == yaml.SequenceNode:
		return ", bukan daftar"
	case n.Kind == yaml.AliasNode:
		return ", bukan alias"
	case isNull(n):
		return ", tetapi kosong"
	case n.Kind == yaml.ScalarNode:
		return fmt.Sprintf(", bukan %q", n.Value)
	}
	return ""
}

// suggest returns ` (maksud Anda "x"?)` when a key is a likely typo of an allowed one.
func suggest(key string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if d := distance(strings.ToLower(key), a); d < bestDist {
			best, bestDist = a, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (maksud Anda %q?)", best)
}

// distance is the Levenshtein distance between two short strings, in bytes.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 64
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// secondDocument returns the start of a second YAML document in src (after "---"), if there
// is one that is not empty.
func secondDocument(src []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var first, second yaml.Node
	if dec.Decode(&first) != nil || dec.Decode(&second) != nil {
		return nil, false
	}
	if len(second.Content) == 0 || isNull(second.Content[0]) {
		return nil, false // a "---" with nothing after it
	}
	return second.Content[0], true
}
