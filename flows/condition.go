package flows

import (
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// condition reads the when of question number index. byID holds every question of the
// flow by id; scales the ids of the scale questions before this one.
func (p *parser) condition(n *yaml.Node, index int, byID map[string]seen, scales []string) *Condition {
	fs := p.fields(n, "when", "question", "in", "min", "max", "answered", "any_element")
	if fs == nil {
		return nil
	}
	c := &Condition{}
	if fd, ok := fs["any_element"]; ok {
		for _, key := range []string{"question", "in", "min", "max", "answered"} {
			if other, ok := fs[key]; ok {
				p.errorf(other.key, "kunci %q tidak boleh digabung dengan any_element", key)
			}
		}
		c.AnyElement = p.scores(fd.val, "any_element")
		c.Scales = slices.Clone(scales)
		if len(scales) == 0 {
			p.errorf(fd.key, "any_element: belum ada pertanyaan scale sebelum pertanyaan ini")
		}
		return c
	}
	v, ok := fs["question"]
	if !ok {
		p.errorf(n, "when harus memuat question (dengan in, min/max, atau answered) atau any_element")
		return c
	}
	c.Question = p.identifier(v.val, "question")
	target, known := byID[c.Question]
	switch {
	case c.Question == "":
	case !known:
		p.errorf(v.val, "when menyebut pertanyaan %q yang tidak ada di alur ini", c.Question)
	case target.index >= index:
		p.errorf(v.val, "when menyebut pertanyaan %q yang tidak ditanyakan sebelum pertanyaan ini (baris %d): when hanya boleh merujuk pertanyaan sebelumnya", c.Question, target.node.Line)
		known = false
	}
	forms := 0
	for _, key := range []string{"in", "answered", "min"} {
		if _, ok := fs[key]; ok || (key == "min" && hasKey(fs, "max")) {
			forms++
		}
	}
	if forms != 1 {
		p.errorf(n, "when untuk question harus memuat tepat satu dari: in, min/max, answered")
	}
	var kind Kind
	if known {
		kind = target.q.Kind
	}
	if fd, ok := fs["answered"]; ok {
		if b, ok := p.boolean(fd.val, "answered"); ok {
			c.Answered = &b
		}
	}
	if fd, ok := fs["in"]; ok {
		c.In = p.inValues(fd, kind, target.q)
	}
	for _, key := range []string{"min", "max"} {
		fd, ok := fs[key]
		if !ok {
			continue
		}
		if kind == KindChoice || kind == KindText {
			p.errorf(fd.key, "kondisi %s hanya untuk pertanyaan number atau scale, sedangkan %q adalah pertanyaan %s", key, c.Question, kind)
			continue
		}
		if i, ok := p.integer(fd.val, "when."+key); ok {
			x := float64(i)
			if key == "min" {
				c.Min = &x
			} else {
				c.Max = &x
			}
		}
	}
	return c
}

func hasKey(fs map[string]field, key string) bool {
	_, ok := fs[key]
	return ok
}

// inValues reads the values of an in condition on a question of the given kind (empty when
// the question is unknown), as canonical stored values.
func (p *parser) inValues(fd field, kind Kind, target *Question) []string {
	switch kind {
	case KindScale:
		return p.scores(fd.val, "in")
	case KindText:
		p.errorf(fd.key, "kondisi in tidak berlaku untuk pertanyaan text %q: gunakan answered: true atau false", target.ID)
		return nil
	}
	var vals []string
	for _, item := range p.wantList(fd.val, "in") {
		s, ok := p.scalar(item, "nilai in")
		if !ok {
			continue
		}
		switch kind {
		case KindChoice:
			if !slices.ContainsFunc(target.Options, func(o Option) bool { return o.Value == s }) {
				p.errorf(item, "nilai %q bukan opsi pertanyaan %q (opsinya: %s)", s, target.ID, joinValues(target.Options))
			}
		case KindNumber:
			i, ok := p.integer(item, "nilai in untuk pertanyaan number")
			if !ok {
				continue
			}
			s = strconv.Itoa(i)
		}
		vals = append(vals, s)
	}
	return vals
}

// scores reads a list of scale scores 1..4.
func (p *parser) scores(n *yaml.Node, what string) []string {
	var vals []string
	for _, item := range p.wantList(n, what) {
		i, ok := p.integer(item, "skor di "+what)
		if !ok {
			continue
		}
		if i < 1 || i > 4 {
			p.errorf(item, "skor %d tidak sah di %s: skor pertanyaan scale 1 sampai 4", i, what)
			continue
		}
		vals = append(vals, strconv.Itoa(i))
	}
	return vals
}
