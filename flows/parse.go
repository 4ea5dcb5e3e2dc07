package flows

import (
	"bytes"
	"cmp"
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

// MaxSize is the largest flow file Parse accepts, in bytes: 1 MiB, as the JSON API reads no
// larger body. A flow of the nine elements with translations is under 20 KiB.
const MaxSize = 1 << 20

// MaxProblems is how many problems Parse reports at most: past them, one more line says how
// many are left out.
const MaxProblems = 50

// Parse parses and validates a flow file. filename is used only in error messages.
//
// On success it returns the flow, with Source holding a copy of src. On failure it returns
// a nil flow and an ErrorList (each *Error with File, Line, Col, and Msg in Indonesian and
// En in English; Error() is "FILE:LINE:COL: message", in Indonesian, In("en") the same in
// English), sorted by position, with every problem found up to MaxProblems, then one that
// says how many more there are: a YAML syntax error stops parsing, so it is then the only
// one, as is a file larger than MaxSize, which is not read.
func Parse(filename string, src []byte) (*Flow, error) {
	return parse(&parser{file: filename}, src)
}

// ParsePublished parses the stored text of a published version, as Parse does but without
// the rules added since versions were first published (see newRule): the size limit, the
// kinds of the reserved ids, and conditions no answer can meet. A version published before
// them runs as it always did; only new text, which Parse checks, must keep them.
func ParsePublished(filename string, src []byte) (*Flow, error) {
	return parse(&parser{file: filename, published: true}, src)
}

func parse(p *parser, src []byte) (*Flow, error) {
	f := p.parse(src)
	if len(p.errs) > 0 {
		p.errs.sort()
		return nil, p.errs.capped()
	}
	f.Source = slices.Clone(src)
	return f, nil
}

// parser collects every problem found while turning a YAML node tree into a Flow.
type parser struct {
	file string
	// published is set for a published version's stored text (ParsePublished): the rules
	// added since versions were published are not applied (newRule).
	published bool
	errs      ErrorList
	langs     []string // the flow's languages, known before any text is read
	// badLangs is set when languages is not valid: the languages of the texts are not
	// checked against it then, since each would only repeat its problem.
	badLangs bool
	// unlisted holds, by language, the translations to a language not in a valid languages
	// list: reported once, at the first (see unlistedLanguages).
	unlisted map[string][]*yaml.Node
	// misspelt holds, by mapping, the keys its unknown keys are likely typos of ("Kind" for
	// kind): such a key is not reported missing as well.
	misspelt map[*yaml.Node][]string
}

// errorf reports the problem m, with args put in (see msg.with), at node n, or at 1:1 when n
// is nil.
func (p *parser) errorf(n *yaml.Node, m msg, args ...any) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	p.errs = append(p.errs, newError(p.file, line, col, m.with(args...)))
}

// newRule is errorf for a rule added after flows were first published: a published version's
// text is not held to it (ParsePublished).
func (p *parser) newRule(n *yaml.Node, m msg, args ...any) {
	if !p.published {
		p.errorf(n, m, args...)
	}
}

func (p *parser) parse(src []byte) *Flow {
	if len(src) > MaxSize && !p.published {
		// Every entry point agrees: the API reads no more, and the editor's form takes more.
		p.errorf(nil, msg{"berkas alur lebih besar dari 1 MiB (%d byte): perkecil berkasnya, misalnya dengan menghapus komentar panjang atau pertanyaan yang tidak dipakai",
			"the flow file is larger than 1 MiB (%d bytes): make it smaller, for example by deleting long comments or questions not used"}, len(src))
		return nil
	}
	if bytes.HasPrefix(src, []byte{0xFF, 0xFE}) || bytes.HasPrefix(src, []byte{0xFE, 0xFF}) {
		// YAML reads UTF-16, but a flow is stored and renumbered as the UTF-8 text it is.
		p.errorf(nil, utf16Hint)
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		p.syntaxError(err, src)
		return nil
	}
	if next, ok := secondDocument(src); ok {
		// Only the first would be read, and the rest published unread.
		p.errorf(next, msg{"satu berkas memuat satu alur saja: hapus dokumen kedua (setelah ---) atau pindahkan ke berkas lain",
			"a file holds one flow only: delete the second document (after ---) or move it to a file of its own"})
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		p.errorf(nil, msg{"berkas kosong: alur harus memuat id, title, dan questions", "the file is empty: a flow needs id, title and questions"})
		return nil
	}
	root := doc.Content[0]
	p.controls(root)
	fs := p.fields(root, msg{"alur", "the flow"}, "id", "version", "title", "languages", "expire_after", "intro", "closing", "questions")
	if fs == nil {
		return nil
	}
	f := &Flow{ExpireAfter: DefaultExpireAfter}
	f.Languages = p.languages(fs["languages"])
	p.langs = f.Languages
	if v, ok := p.required(root, fs, "id"); ok {
		f.ID = p.identifier(v, msg{"id alur", "flow id"})
		f.IDLine, f.IDCol = v.Line, v.Column
	}
	if v, ok := p.required(root, fs, "version"); ok {
		if n, ok := p.integer(v, keyName("version")); ok {
			if n < 1 {
				p.errorf(v, msg{"version harus bilangan bulat 1 atau lebih, bukan %d", "version must be a whole number 1 or more, not %d"}, n)
			} else if _, _, ok := versionSpan(src, v); !ok {
				// Publishing rewrites the number in the source: refuse now, not then.
				p.errorf(v, notRenumberable)
			}
			f.Version = n
		}
	}
	if v, ok := p.required(root, fs, "title"); ok {
		f.Title = p.text(v, keyName("title"))
	}
	if fd, ok := fs["expire_after"]; ok {
		f.ExpireAfter = p.duration(fd.val)
	}
	if fd, ok := fs["intro"]; ok {
		f.Intro = p.text(fd.val, keyName("intro"))
	}
	if fd, ok := fs["closing"]; ok {
		f.Closing = p.text(fd.val, keyName("closing"))
	}
	if fd, ok := fs["questions"]; ok {
		f.Questions = p.questions(fd.val)
	} else if !p.isMisspelt(root, "questions") {
		p.errorf(root, msg{"alur tidak memiliki pertanyaan: kunci \"questions\" wajib ada", "the flow has no questions: the key \"questions\" is required"})
	}
	p.unlistedLanguages()
	return f
}

// field is one key: value pair of a mapping.
type field struct{ key, val *yaml.Node }

// fields returns the pairs of mapping n by key, reporting a node that is not a mapping,
// keys not in allowed (unless allowed is empty), and keys given twice. It returns nil if n
// is not a mapping.
func (p *parser) fields(n *yaml.Node, what msg, allowed ...string) map[string]field {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, msg{"%s harus berupa pemetaan \"kunci: nilai\"%s", "%s must be a mapping \"key: value\"%s"}, what, found(n))
		return nil
	}
	fs := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, msg{"kunci di %s harus berupa teks", "keys in %s must be texts"}, what)
			continue
		}
		if v.Kind == yaml.AliasNode {
			p.errorf(v, msg{"alias YAML (*%s) tidak didukung: tulis nilainya langsung", "YAML aliases (*%s) are not supported: write the value itself"}, v.Value)
			continue
		}
		if prev, dup := fs[k.Value]; dup {
			p.errorf(k, msg{"kunci %q ditulis dua kali di %s (pertama di baris %d)", "key %q is written twice in %s (first on line %d)"}, k.Value, what, prev.key.Line)
			continue
		}
		if len(allowed) > 0 && !slices.Contains(allowed, k.Value) {
			hint := msg{}
			if meant := suggestion(k.Value, allowed); meant != "" {
				hint = msg{" (maksud Anda %q?)", " (did you mean %q?)"}.with(meant)
				if p.misspelt == nil {
					p.misspelt = map[*yaml.Node][]string{}
				}
				p.misspelt[n] = append(p.misspelt[n], meant)
			}
			p.errorf(k, msg{"kunci %q tidak dikenal di %s%s (yang boleh: %s)", "unknown key %q in %s%s (allowed: %s)"}, k.Value, what, hint, strings.Join(allowed, ", "))
			continue
		}
		fs[k.Value] = field{k, v}
	}
	return fs
}

// required returns the value of key in fs, reporting its absence at mapping n, unless an
// unknown key of n was reported as a likely typo of it.
func (p *parser) required(n *yaml.Node, fs map[string]field, key string) (*yaml.Node, bool) {
	fd, ok := fs[key]
	if !ok {
		if !p.isMisspelt(n, key) {
			p.errorf(n, msg{"kunci %q wajib ada", "the key %q is required"}, key)
		}
		return nil, false
	}
	return fd.val, true
}

// isMisspelt reports whether an unknown key of mapping n was reported as a likely typo of key.
func (p *parser) isMisspelt(n *yaml.Node, key string) bool {
	return slices.Contains(p.misspelt[n], key)
}

// scalar returns the value of a scalar node, reporting any other node and an empty value.
func (p *parser) scalar(n *yaml.Node, what msg) (string, bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) || strings.TrimSpace(n.Value) == "" {
		p.errorf(n, msg{"%s harus diisi dengan satu nilai%s", "%s must hold one value%s"}, what, found(n))
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
		p.errorf(n, msg{"teks memuat karakter kendali (misalnya \\0 atau \\a di dalam tanda kutip): hapus karakter itu",
			"the text holds a control character (such as \\0 or \\a inside quotes): delete that character"})
	}
	// A tag of our own (!Penting) is no YAML type: it is the start of a text left unquoted,
	// and YAML would drop it from the text without a word ("!Penting Survei" reads "Survei").
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		p.errorf(n, msg{"teks yang diawali ! perlu tanda kutip: tanpa tanda kutip, %s dibaca sebagai tag YAML dan hilang dari teks",
			"a text that starts with ! needs quotes: without them, %s is read as a YAML tag and drops out of the text"}, n.Tag)
	}
	for _, c := range n.Content {
		p.controls(c)
	}
}

func (p *parser) identifier(n *yaml.Node, what msg) string {
	s, ok := p.scalar(n, what)
	if ok && !idPattern.MatchString(s) {
		p.errorf(n, msg{"%s %q tidak sah: gunakan huruf kecil, angka, dan garis bawah, diawali huruf (contoh: kepuasan_umum)",
			"%s %q is not valid: use lower-case letters, digits and underscores, starting with a letter (for example: kepuasan_umum)"}, what, s)
	}
	return s
}

// digits matches a whole number as written, which may be too large for an int.
var digits = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)

func (p *parser) integer(n *yaml.Node, what msg) (int, bool) {
	var i int
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" && n.Decode(&i) == nil:
		return i, true
	case n.Kind == yaml.ScalarNode && n.Style&quotedStyles == 0 && digits.MatchString(n.Value):
		// YAML reads a whole number past int64 as a float: it is one all the same.
		if strings.HasPrefix(n.Value, "-") {
			p.errorf(n, msg{"%s %s terlalu kecil", "%s %s is too small"}, what, n.Value)
		} else {
			p.errorf(n, msg{"%s %s terlalu besar", "%s %s is too large"}, what, n.Value)
		}
	default:
		p.errorf(n, msg{"%s harus bilangan bulat%s%s", "%s must be a whole number%s%s"}, what, found(n), unquote(n, "!!int"))
	}
	return 0, false
}

func (p *parser) boolean(n *yaml.Node, what msg) (bool, bool) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		p.errorf(n, msg{"%s harus true atau false%s%s", "%s must be true or false%s%s"}, what, found(n), unquote(n, "!!bool"))
		return false, false
	}
	return b, true
}

// quotedStyles are the styles of a quoted scalar.
const quotedStyles = yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle

// unquote advises to write a quoted value without its quotes when, so written, it is of the
// type tag ("!!int", "!!bool") that is wanted: "2" is a text, 2 a number.
func unquote(n *yaml.Node, tag string) msg {
	if n.Kind != yaml.ScalarNode || n.Style&quotedStyles == 0 {
		return msg{}
	}
	plain := yaml.Node{Kind: yaml.ScalarNode, Value: strings.TrimSpace(n.Value)}
	if plain.ShortTag() != tag {
		return msg{}
	}
	return msg{": tulis %s tanpa tanda kutip", ": write %s without quotes"}.with(plain.Value)
}

// languages reads the languages list; without it the flow is in Indonesian only.
func (p *parser) languages(fd field) []string {
	langs := []string{"id"}
	if fd.val == nil {
		return langs
	}
	n := fd.val
	before := len(p.errs)
	defer func() { p.badLangs = len(p.errs) > before }()
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, msg{"languages harus berupa daftar kode bahasa, misalnya [id, en]%s", "languages must be a list of language codes, for example [id, en]%s"}, found(n))
		return langs
	}
	hasID := false
	for _, item := range n.Content {
		code, ok := p.scalar(item, msg{"kode bahasa", "language code"})
		switch {
		case !ok:
		case !langPattern.MatchString(code):
			p.errorf(item, msg{"kode bahasa %q tidak sah: gunakan kode ISO 639-1 huruf kecil, misalnya id atau en",
				"language code %q is not valid: use a lower-case ISO 639-1 code, for example id or en"}, code)
		case code == "id" && !hasID:
			hasID = true
		case slices.Contains(langs[1:], code) || code == "id":
			p.errorf(item, msg{"bahasa %q ditulis dua kali di languages", "language %q is written twice in languages"}, code)
		default:
			langs = append(langs, code)
		}
	}
	if !hasID {
		p.errorf(n, msg{"languages harus memuat id (Bahasa Indonesia)", "languages must include id (Indonesian)"})
	}
	return langs
}

// text reads a translatable text: a plain string (Indonesian) or a map language -> string
// that must have a non-empty "id" and only languages of the flow.
func (p *parser) text(n *yaml.Node, what msg) Text {
	if n.Kind == yaml.ScalarNode && !isNull(n) {
		if strings.TrimSpace(n.Value) == "" {
			p.errorf(n, msg{"teks Bahasa Indonesia untuk %s kosong", "the Indonesian text of %s is empty"}, what)
		}
		return Text{"id": n.Value}
	}
	if isNull(n) {
		p.errorf(n, msg{"teks Bahasa Indonesia untuk %s kosong: tulis teksnya, atau {id: ..., en: ...}",
			"the Indonesian text of %s is empty: write the text, or {id: ..., en: ...}"}, what)
		return Text{}
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, msg{"%s harus berupa teks, atau {id: ..., en: ...}%s", "%s must be a text, or {id: ..., en: ...}%s"}, what, found(n))
		return Text{}
	}
	t := Text{}
	fs := p.fields(n, what)
	for lang, fd := range fs {
		if !slices.Contains(p.langs, lang) {
			if !p.badLangs {
				if p.unlisted == nil {
					p.unlisted = map[string][]*yaml.Node{}
				}
				p.unlisted[lang] = append(p.unlisted[lang], fd.key)
			}
			continue
		}
		if s, ok := p.scalar(fd.val, msg{"teks %s (%s)", "the text of %s (%s)"}.with(what, lang)); ok {
			t[lang] = s
		}
	}
	if _, ok := fs["id"]; !ok {
		p.errorf(n, msg{"teks Bahasa Indonesia (id) untuk %s wajib ada", "the Indonesian text (id) of %s is required"}, what)
	}
	return t
}

// unlistedLanguages reports each language the texts are translated to and languages does
// not list once, at its first translation, with how many more there are: a flow that drops
// en from languages has dozens, and one line says what to do about all of them.
func (p *parser) unlistedLanguages() {
	for lang, keys := range p.unlisted {
		slices.SortFunc(keys, func(a, b *yaml.Node) int { return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column)) })
		listed := strings.Join(p.langs, ", ")
		if len(keys) == 1 {
			p.errorf(keys[0], msg{"bahasa %q tidak ada di languages (%s): tambahkan ke languages atau hapus terjemahan ini",
				"language %q is not in languages (%s): add it to languages or delete this translation"}, lang, listed)
			continue
		}
		p.errorf(keys[0], msg{"bahasa %[1]q tidak ada di languages (%[2]s): tambahkan ke languages, atau hapus terjemahan ini dan %[3]d terjemahan %[1]q lain di bawahnya (sampai baris %[4]d)",
			"language %[1]q is not in languages (%[2]s): add it to languages, or delete this translation and the %[3]d other %[1]q translations below it (up to line %[4]d)"},
			lang, listed, len(keys)-1, keys[len(keys)-1].Line)
	}
}

func (p *parser) duration(n *yaml.Node) time.Duration {
	s, ok := p.scalar(n, keyName("expire_after"))
	if !ok {
		return DefaultExpireAfter
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errorf(n, msg{"expire_after %q bukan durasi yang sah: tulis misalnya 30m, 2h, atau 24h", "expire_after %q is not a valid duration: write for example 30m, 2h or 24h"}, s)
		return DefaultExpireAfter
	}
	if d < time.Minute {
		p.errorf(n, msg{"expire_after %q terlalu pendek: paling sedikit 1m", "expire_after %q is too short: at least 1m"}, s)
	}
	return d
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// found describes the node that was found where something else was expected.
func found(n *yaml.Node) msg {
	switch {
	case n.Kind == yaml.MappingNode:
		return msg{", bukan pemetaan", ", not a mapping"}
	case n.Kind == yaml.SequenceNode:
		return msg{", bukan daftar", ", not a list"}
	case n.Kind == yaml.AliasNode:
		return msg{", bukan alias", ", not an alias"}
	case isNull(n):
		return msg{", tetapi kosong", ", but it is empty"}
	case n.Kind == yaml.ScalarNode:
		return msg{", bukan %q", ", not %q"}.with(n.Value)
	}
	return msg{}
}

// suggestion returns the allowed key that key is a likely typo of, or "".
func suggestion(key string, allowed []string) string {
	best, bestDist := "", 3
	for _, a := range allowed {
		if d := distance(strings.ToLower(key), a); d < bestDist {
			best, bestDist = a, d
		}
	}
	return best
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
