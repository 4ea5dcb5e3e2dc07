package flows

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

var (
	elementPattern = regexp.MustCompile(`^U[1-9]$`)
	valuePattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$`)
)

// maxTextLength caps max_length: a chat message of a few kilobytes is already too long.
const maxTextLength = 4000

// maxNumber bounds min and max so that every whole number in range is exact as a float64.
const maxNumber = 1_000_000_000

var questionKeys = []string{"id", "kind", "prompt", "element", "labels", "options", "optional", "max_length", "min", "max", "when"}

// kindKeys lists the keys only some kinds take.
var kindKeys = map[string]Kind{
	"element": KindScale, "labels": KindScale,
	"options":    KindChoice,
	"max_length": KindText,
	"min":        KindNumber, "max": KindNumber,
}

// seen is a question already read, for duplicate ids and conditions.
type seen struct {
	index int
	q     *Question
	node  *yaml.Node // the id value
}

// questions reads the question list: every question first, then their conditions, which
// may only name questions before them.
func (p *parser) questions(n *yaml.Node) []*Question {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, "alur tidak memiliki pertanyaan: questions harus berupa daftar yang tidak kosong%s", notList(n))
		return nil
	}
	var qs []*Question
	byID := map[string]seen{}
	elements := map[string]*yaml.Node{}
	whens := map[*Question]*yaml.Node{}
	for _, item := range n.Content {
		fs := p.fields(item, "pertanyaan", questionKeys...)
		if fs == nil {
			continue
		}
		q := p.question(item, fs, elements)
		if fd, ok := fs["id"]; ok && q.ID != "" {
			if prev, dup := byID[q.ID]; dup {
				p.errorf(fd.val, "id pertanyaan %q sudah dipakai (pertama di baris %d)", q.ID, prev.node.Line)
			} else {
				byID[q.ID] = seen{len(qs), q, fd.val}
			}
		}
		if fd, ok := fs["when"]; ok {
			whens[q] = fd.val
		}
		qs = append(qs, q)
	}
	var scales []string
	for i, q := range qs {
		if w, ok := whens[q]; ok {
			q.When = p.condition(w, i, byID, scales)
		}
		if q.Kind == KindScale && q.ID != "" {
			scales = append(scales, q.ID)
		}
	}
	return qs
}

func (p *parser) question(n *yaml.Node, fs map[string]field, elements map[string]*yaml.Node) *Question {
	q := &Question{}
	if v, ok := p.required(n, fs, "id"); ok {
		q.ID = p.identifier(v, "id pertanyaan")
	}
	what := "pertanyaan"
	if q.ID != "" {
		what = fmt.Sprintf("pertanyaan %q", q.ID)
	}
	if v, ok := p.required(n, fs, "kind"); ok {
		if s, ok := p.scalar(v, "kind"); ok {
			switch k := Kind(s); k {
			case KindScale, KindChoice, KindText, KindNumber:
				q.Kind = k
			default:
				p.errorf(v, "kind %q tidak dikenal: gunakan scale, choice, text, atau number", s)
			}
		}
	}
	if v, ok := p.required(n, fs, "prompt"); ok {
		q.Prompt = p.text(v, "prompt "+what)
	}
	if fd, ok := fs["optional"]; ok {
		q.Optional, _ = p.boolean(fd.val, "optional")
	}
	if q.Kind == "" {
		return q // the kind-specific keys cannot be checked
	}
	for key, kind := range kindKeys {
		if fd, ok := fs[key]; ok && kind != q.Kind {
			p.errorf(fd.key, "kunci %q hanya untuk pertanyaan %s, bukan %s", key, kind, q.Kind)
		}
	}
	switch q.Kind {
	case KindScale:
		p.scale(n, fs, q, elements)
	case KindChoice:
		p.choice(n, fs, q, what)
	case KindText:
		q.MaxLength = DefaultMaxLength
		if fd, ok := fs["max_length"]; ok {
			if m, ok := p.integer(fd.val, "max_length"); ok {
				if m < 1 || m > maxTextLength {
					p.errorf(fd.val, "max_length harus antara 1 dan %d, bukan %d", maxTextLength, m)
				}
				q.MaxLength = m
			}
		}
	case KindNumber:
		p.numberRange(n, fs, q)
	}
	return q
}

func (p *parser) scale(n *yaml.Node, fs map[string]field, q *Question, elements map[string]*yaml.Node) {
	if v, ok := p.required(n, fs, "element"); ok {
		if s, ok := p.scalar(v, "element"); ok {
			switch prev, dup := elements[s]; {
			case !elementPattern.MatchString(s):
				p.errorf(v, "kode unsur %q tidak sah: gunakan U1 sampai U9", s)
			case dup:
				p.errorf(v, "unsur %s sudah diukur oleh pertanyaan lain (baris %d): setiap unsur hanya sekali per alur", s, prev.Line)
			default:
				elements[s] = v
				q.Element = s
			}
		}
	}
	v, ok := p.required(n, fs, "labels")
	if !ok {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "labels harus berupa daftar 4 label, untuk skor 1 sampai 4%s", found(v))
		return
	}
	if len(v.Content) != 4 {
		p.errorf(v, "pertanyaan scale harus punya tepat 4 label (skor 1 sampai 4), bukan %d", len(v.Content))
	}
	for i, item := range v.Content {
		q.Options = append(q.Options, Option{Value: strconv.Itoa(i + 1), Label: p.text(item, fmt.Sprintf("label skor %d", i+1))})
	}
}

func (p *parser) choice(n *yaml.Node, fs map[string]field, q *Question, what string) {
	v, ok := p.required(n, fs, "options")
	if !ok {
		return
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) < 2 {
		p.errorf(v, "options %s harus berupa daftar paling sedikit 2 opsi {value: KODE, label: teks}%s", what, notList(v))
		return
	}
	values := map[string]*yaml.Node{}
	for _, item := range v.Content {
		ofs := p.fields(item, "opsi", "value", "label")
		if ofs == nil {
			continue
		}
		var o Option
		if val, ok := p.required(item, ofs, "value"); ok {
			if s, ok := p.scalar(val, "value opsi"); ok {
				if prev, dup := values[s]; dup {
					p.errorf(val, "nilai opsi %q sudah dipakai (pertama di baris %d)", s, prev.Line)
				} else if !valuePattern.MatchString(s) {
					p.errorf(val, "nilai opsi %q tidak sah: gunakan kode pendek dari huruf, angka, titik, garis bawah, atau tanda hubung (contoh: SMA, D1-D3)", s)
				}
				values[s] = val
				o.Value = s
			}
		}
		if lab, ok := p.required(item, ofs, "label"); ok {
			o.Label = p.text(lab, "label opsi")
		}
		q.Options = append(q.Options, o)
	}
}

func (p *parser) numberRange(n *yaml.Node, fs map[string]field, q *Question) {
	lo, okLo := p.bound(n, fs, "min")
	hi, okHi := p.bound(n, fs, "max")
	q.Min, q.Max = float64(lo), float64(hi)
	if okLo && okHi && lo > hi {
		p.errorf(fs["max"].val, "max (%d) lebih kecil dari min (%d)", hi, lo)
	}
}

func (p *parser) bound(n *yaml.Node, fs map[string]field, key string) (int, bool) {
	v, ok := p.required(n, fs, key)
	if !ok {
		return 0, false
	}
	i, ok := p.integer(v, key)
	if ok && (i < -maxNumber || i > maxNumber) {
		p.errorf(v, "%s terlalu besar: paling jauh %d", key, maxNumber)
		return 0, false
	}
	return i, ok
}

// wantList reads a non-empty list of scalars.
func (p *parser) wantList(n *yaml.Node, what string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, "%s harus berupa daftar nilai yang tidak kosong, misalnya [1, 2]%s", what, notList(n))
		return nil
	}
	return n.Content
}

// joinValues lists option values for a message.
func joinValues(opts []Option) string {
	vs := make([]string, len(opts))
	for i, o := range opts {
		vs[i] = o.Value
	}
	return strings.Join(vs, ", ")
}

// notList describes what was found instead of a list, or nothing when it is a list.
func notList(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		return ""
	}
	return found(n)
}
