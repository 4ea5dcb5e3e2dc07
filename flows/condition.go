package flows

import (
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// condition reads the when of question number index. byID holds every question of the
// flow by id; scales the ids of the scale questions before this one.
func (p *parser) condition(n *yaml.Node, index int, byID map[string]seen, scales []string) *Condition {
	fs := p.fields(n, keyName("when"), "question", "in", "min", "max", "answered", "any_element")
	if fs == nil {
		return nil
	}
	c := &Condition{}
	if fd, ok := fs["any_element"]; ok {
		for _, key := range []string{"question", "in", "min", "max", "answered"} {
			if other, ok := fs[key]; ok {
				p.errorf(other.key, msg{"kunci %q tidak boleh digabung dengan any_element", "the key %q cannot go with any_element"}, key)
			}
		}
		c.AnyElement = p.scores(fd.val, keyName("any_element"))
		c.Scales = slices.Clone(scales)
		if len(scales) == 0 {
			p.errorf(fd.key, msg{"any_element: belum ada pertanyaan scale sebelum pertanyaan ini", "any_element: there is no scale question before this question"})
		}
		return c
	}
	v, ok := fs["question"]
	if !ok {
		if p.isMisspelt(n, "question") || p.isMisspelt(n, "any_element") {
			return c
		}
		p.errorf(n, msg{"when harus memuat question (dengan in, min/max, atau answered) atau any_element", "when must hold question (with in, min/max or answered) or any_element"})
		return c
	}
	c.Question = p.identifier(v.val, keyName("question"))
	target, known := byID[c.Question]
	switch {
	case c.Question == "":
	case !known:
		p.errorf(v.val, msg{"when menyebut pertanyaan %q yang tidak ada di alur ini", "when names question %q, which is not in this flow"}, c.Question)
	case target.index >= index:
		p.errorf(v.val, msg{"when menyebut pertanyaan %q yang tidak ditanyakan sebelum pertanyaan ini (baris %d): when hanya boleh merujuk pertanyaan sebelumnya",
			"when names question %q, which is not asked before this question (line %d): when may only refer to earlier questions"}, c.Question, target.node.Line)
		known = false
	}
	forms := 0
	for _, key := range []string{"in", "answered", "min"} {
		if _, ok := fs[key]; ok || (key == "min" && hasKey(fs, "max")) {
			forms++
		}
	}
	if forms != 1 {
		p.errorf(n, msg{"when untuk question harus memuat tepat satu dari: in, min/max, answered", "a when with question must hold exactly one of: in, min/max, answered"})
	}
	var kind Kind
	if known {
		kind = target.q.Kind
	}
	if fd, ok := fs["answered"]; ok {
		if b, ok := p.boolean(fd.val, keyName("answered")); ok {
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
			p.errorf(fd.key, msg{"kondisi %s hanya untuk pertanyaan number atau scale, sedangkan %q adalah pertanyaan %s",
				"the condition %s is only for number or scale questions, and %q is a %s question"}, key, c.Question, kind)
			continue
		}
		if i, ok := p.integer(fd.val, keyName("when."+key)); ok {
			x := float64(i)
			if key == "min" {
				c.Min = &x
			} else {
				c.Max = &x
			}
		}
	}
	if known {
		p.neverMet(c, fs, target.q)
	} else if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
		p.neverMet(c, fs, nil)
	}
	return c
}

// neverMet reports a min/max condition that no answer to target (nil when unknown) can meet:
// a range with max below min, a min above the largest answer, a max below the smallest. A
// question it conditions would never be asked.
func (p *parser) neverMet(c *Condition, fs map[string]field, target *Question) {
	if c.Min != nil && c.Max != nil && *c.Min > *c.Max {
		p.newRule(fs["max"].val, msg{"when.max (%s) lebih kecil dari when.min (%s): kondisi ini tidak pernah terpenuhi",
			"when.max (%s) is less than when.min (%s): the condition is never met"}, formatNumber(*c.Max), formatNumber(*c.Min))
		return
	}
	lo, hi, ok := answerRange(target)
	if !ok {
		return
	}
	if c.Min != nil && *c.Min > hi {
		p.newRule(fs["min"].val, msg{"kondisi min %s tidak pernah terpenuhi: jawaban pertanyaan %q paling besar %s",
			"the condition min %s is never met: the answer to question %q is at most %s"}, formatNumber(*c.Min), target.ID, formatNumber(hi))
	}
	if c.Max != nil && *c.Max < lo {
		p.newRule(fs["max"].val, msg{"kondisi max %s tidak pernah terpenuhi: jawaban pertanyaan %q paling kecil %s",
			"the condition max %s is never met: the answer to question %q is at least %s"}, formatNumber(*c.Max), target.ID, formatNumber(lo))
	}
}

// answerRange returns the smallest and largest answer to a scale or number question; ok is
// false for other questions and nil.
func answerRange(q *Question) (lo, hi float64, ok bool) {
	switch {
	case q == nil:
	case q.Kind == KindScale:
		return 1, 4, true
	case q.Kind == KindNumber && q.Min <= q.Max:
		return q.Min, q.Max, true
	}
	return 0, 0, false
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
		return p.scores(fd.val, keyName("in"))
	case KindText:
		p.errorf(fd.key, msg{"kondisi in tidak berlaku untuk pertanyaan text %q: gunakan answered: true atau false",
			"the condition in does not apply to text question %q: use answered: true or false"}, target.ID)
		return nil
	}
	var vals []string
	for _, item := range p.wantList(fd.val, keyName("in")) {
		s, ok := p.scalar(item, msg{"nilai in", "a value of in"})
		if !ok {
			continue
		}
		switch kind {
		case KindChoice:
			if !slices.ContainsFunc(target.Options, func(o Option) bool { return o.Value == s }) {
				p.errorf(item, msg{"nilai %q bukan opsi pertanyaan %q (opsinya: %s)", "value %q is not an option of question %q (its options: %s)"}, s, target.ID, joinValues(target.Options))
			}
		case KindNumber:
			i, ok := p.integer(item, msg{"nilai in untuk pertanyaan number", "a value of in for a number question"})
			if !ok {
				continue
			}
			if lo, hi, ok := answerRange(target); ok && (float64(i) < lo || float64(i) > hi) {
				p.newRule(item, msg{"nilai %d tidak pernah menjadi jawaban pertanyaan %q: jawabannya %s sampai %s",
					"the value %d is never an answer to question %q: its answers are %s to %s"}, i, target.ID, formatNumber(lo), formatNumber(hi))
			}
			s = strconv.Itoa(i)
		}
		vals = append(vals, s)
	}
	return vals
}

// scores reads a list of scale scores 1..4.
func (p *parser) scores(n *yaml.Node, what msg) []string {
	var vals []string
	for _, item := range p.wantList(n, what) {
		i, ok := p.integer(item, msg{"skor di %s", "a score in %s"}.with(what))
		if !ok {
			continue
		}
		if i < 1 || i > 4 {
			p.errorf(item, msg{"skor %d tidak sah di %s: skor pertanyaan scale 1 sampai 4", "score %d is not valid in %s: a scale question's scores are 1 to 4"}, i, what)
			continue
		}
		vals = append(vals, strconv.Itoa(i))
	}
	return vals
}
