package flows

import (
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
		p.errorf(n, msg{"alur tidak memiliki pertanyaan: questions harus berupa daftar yang tidak kosong%s",
			"the flow has no questions: questions must be a list that is not empty%s"}, notList(n))
		return nil
	}
	var qs []*Question
	byID := map[string]seen{}
	elements := map[string]*yaml.Node{}
	whens := map[*Question]*yaml.Node{}
	for _, item := range n.Content {
		fs := p.fields(item, msg{"pertanyaan", "a question"}, questionKeys...)
		if fs == nil {
			continue
		}
		q := p.question(item, fs, elements)
		if fd, ok := fs["id"]; ok && q.ID != "" {
			if prev, dup := byID[q.ID]; dup {
				p.errorf(fd.val, msg{"id pertanyaan %q sudah dipakai (pertama di baris %d)", "question id %q is taken (first on line %d)"}, q.ID, prev.node.Line)
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
		q.ID = p.identifier(v, msg{"id pertanyaan", "question id"})
	}
	what := msg{"pertanyaan", "a question"}
	if q.ID != "" {
		what = msg{"pertanyaan %q", "question %q"}.with(q.ID)
	}
	if v, ok := p.required(n, fs, "kind"); ok {
		if s, ok := p.scalar(v, keyName("kind")); ok {
			switch k := Kind(s); k {
			case KindScale, KindChoice, KindText, KindNumber:
				q.Kind = k
				p.reservedKind(q, v)
			default:
				p.errorf(v, msg{"kind %q tidak dikenal: gunakan scale, choice, text, atau number", "kind %q is unknown: use scale, choice, text or number"}, s)
			}
		}
	}
	if v, ok := p.required(n, fs, "prompt"); ok {
		q.Prompt = p.text(v, msg{"prompt %s", "the prompt of %s"}.with(what))
	}
	if fd, ok := fs["optional"]; ok {
		q.Optional, _ = p.boolean(fd.val, keyName("optional"))
	}
	if q.Kind == "" {
		return q // the kind-specific keys cannot be checked
	}
	for key, kind := range kindKeys {
		if fd, ok := fs[key]; ok && kind != q.Kind {
			p.errorf(fd.key, msg{"kunci %q hanya untuk pertanyaan %s, bukan %s", "the key %q is only for %s questions, not %s"}, key, kind, q.Kind)
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
			if m, ok := p.integer(fd.val, keyName("max_length")); ok {
				if m < 1 || m > maxTextLength {
					p.errorf(fd.val, msg{"max_length harus antara 1 dan %d, bukan %d", "max_length must be between 1 and %d, not %d"}, maxTextLength, m)
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
		if s, ok := p.scalar(v, keyName("element")); ok {
			switch prev, dup := elements[s]; {
			case !elementPattern.MatchString(s):
				p.errorf(v, msg{"kode unsur %q tidak sah: gunakan U1 sampai U9", "element code %q is not valid: use U1 to U9"}, s)
			case dup:
				p.errorf(v, msg{"unsur %s sudah diukur oleh pertanyaan lain (baris %d): setiap unsur hanya sekali per alur",
					"element %s is already measured by another question (line %d): each element once per flow only"}, s, prev.Line)
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
		p.errorf(v, msg{"labels harus berupa daftar 4 label, untuk skor 1 sampai 4%s", "labels must be a list of 4 labels, for scores 1 to 4%s"}, found(v))
		return
	}
	if len(v.Content) != 4 {
		p.errorf(v, msg{"pertanyaan scale harus punya tepat 4 label (skor 1 sampai 4), bukan %d",
			"a scale question must have exactly 4 labels (scores 1 to 4), not %d"}, len(v.Content))
	}
	for i, item := range v.Content {
		q.Options = append(q.Options, Option{Value: strconv.Itoa(i + 1), Label: p.text(item, msg{"label skor %d", "the label of score %d"}.with(i+1))})
	}
}

func (p *parser) choice(n *yaml.Node, fs map[string]field, q *Question, what msg) {
	v, ok := p.required(n, fs, "options")
	if !ok {
		return
	}
	if v.Kind != yaml.SequenceNode || len(v.Content) < 2 {
		p.errorf(v, msg{"options %s harus berupa daftar paling sedikit 2 opsi {value: KODE, label: teks}%s",
			"the options of %s must be a list of at least 2 options {value: CODE, label: text}%s"}, what, notList(v))
		return
	}
	values := map[string]*yaml.Node{}
	for _, item := range v.Content {
		ofs := p.fields(item, msg{"opsi", "an option"}, "value", "label")
		if ofs == nil {
			continue
		}
		var o Option
		if val, ok := p.required(item, ofs, "value"); ok {
			if s, ok := p.scalar(val, msg{"value opsi", "the value of an option"}); ok {
				if prev, dup := values[s]; dup {
					p.errorf(val, msg{"nilai opsi %q sudah dipakai (pertama di baris %d)", "option value %q is taken (first on line %d)"}, s, prev.Line)
				} else if !valuePattern.MatchString(s) {
					p.errorf(val, msg{"nilai opsi %q tidak sah: gunakan kode pendek dari huruf, angka, titik, garis bawah, atau tanda hubung (contoh: SMA, D1-D3)",
						"option value %q is not valid: use a short code of letters, digits, dots, underscores or hyphens (for example: SMA, D1-D3)"}, s)
				}
				values[s] = val
				o.Value = s
			}
		}
		if lab, ok := p.required(item, ofs, "label"); ok {
			o.Label = p.text(lab, msg{"label opsi", "the label of an option"})
		}
		q.Options = append(q.Options, o)
	}
}

func (p *parser) numberRange(n *yaml.Node, fs map[string]field, q *Question) {
	lo, okLo := p.bound(n, fs, "min")
	hi, okHi := p.bound(n, fs, "max")
	q.Min, q.Max = float64(lo), float64(hi)
	if okLo && okHi && lo > hi {
		p.errorf(fs["max"].val, msg{"max (%d) lebih kecil dari min (%d)", "max (%d) is less than min (%d)"}, hi, lo)
	}
}

func (p *parser) bound(n *yaml.Node, fs map[string]field, key string) (int, bool) {
	v, ok := p.required(n, fs, key)
	if !ok {
		return 0, false
	}
	i, ok := p.integer(v, keyName(key))
	if ok && (i < -maxNumber || i > maxNumber) {
		p.errorf(v, msg{"%s terlalu besar: paling jauh %d", "%s is too large: at most %d away from 0"}, key, maxNumber)
		return 0, false
	}
	return i, ok
}

// wantList reads a non-empty list of scalars.
func (p *parser) wantList(n *yaml.Node, what msg) []*yaml.Node {
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.errorf(n, msg{"%s harus berupa daftar nilai yang tidak kosong, misalnya [1, 2]%s", "%s must be a list of values that is not empty, for example [1, 2]%s"}, what, notList(n))
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
func notList(n *yaml.Node) msg {
	if n.Kind == yaml.SequenceNode {
		return msg{}
	}
	return found(n)
}
