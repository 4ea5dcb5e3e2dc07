package admin

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"sukma/flows"
)

// The question form must never change a text the admin did not edit: applied as it was
// drawn, it makes the same flow. A field cannot carry every text as it is, though: the page
// trims each, a browser turns a lone CR into a line break, and an options line holds no line
// break within a label. A flow with such a text (a label ending in a space, a label of two
// lines, a CR within a text) is not given the form; the admin edits it in the YAML.

// fieldValue is a posted field's text as the form reads it: trimmed, with its line breaks
// LF (a browser sends a textarea's lines ended by CR LF; YAML reads them back as LF, and
// the encoder would write a text holding CR double-quoted, escapes and all).
func fieldValue(s string) string { return strings.TrimSpace(lf(s)) }

// sent is q as readForm reads it back from the fields the page drew it in.
func (q formQuestion) sent() formQuestion {
	for _, f := range []*string{&q.ID, &q.Kind, &q.Element, &q.Options, &q.MaxLength, &q.Min, &q.Max, &q.When} {
		*f = fieldValue(*f)
	}
	q.Prompt = slices.Clone(q.Prompt)
	for i := range q.Prompt {
		q.Prompt[i].Text = fieldValue(q.Prompt[i].Text)
	}
	return q
}

// Why the form is not given for a flow (formMisfit), in Indonesian; i18n.go has the English.
const (
	misfitQuestion = "Formulir tidak dipakai untuk alur ini: teks pertanyaan %s tidak dapat ditampilkan di formulir tanpa berubah (misalnya spasi di awal atau akhir teks, atau label dua baris). Ubah pertanyaan itu di editor YAML; sesudahnya formulir dapat dipakai lagi."
	misfitFlow     = "Formulir tidak dipakai untuk alur ini: menerapkannya akan mengubah teks yang tidak diubah. Ubah alur ini di editor YAML."
)

// formMisfit returns why the question form cannot show f's texts unchanged, in the page's
// language (tr), naming the first question that would change; "" when the form, applied
// as drawn, makes f again.
func formMisfit(f *flows.Flow, tr func(string) string) string {
	qs := toForm(f)
	for i := range qs {
		qs[i] = qs[i].sent()
	}
	src, err := formYAML(f.Source, f.Languages, qs)
	var g *flows.Flow
	if err == nil {
		g, _ = flows.Parse(fileName(f.ID), src)
	}
	if g != nil && len(g.Questions) != len(f.Questions) {
		g = nil
	}
	for i, q := range f.Questions {
		if !fieldsCarry(q) || g != nil && !reflect.DeepEqual(q, g.Questions[i]) {
			return fmt.Sprintf(tr(misfitQuestion), q.ID)
		}
	}
	if g == nil {
		return tr(misfitFlow)
	}
	a, b := *f, *g
	a.Source, b.Source = nil, nil // and where the text is, which the form may move
	a.IDLine, a.IDCol, b.IDLine, b.IDCol = 0, 0, 0, 0
	if !reflect.DeepEqual(a, b) {
		return tr(misfitFlow)
	}
	return ""
}

// fieldsCarry reports whether the form's fields hold q's texts as they are: none would be
// trimmed or have a CR made LF, and no label has a line break, which would split its line.
func fieldsCarry(q *flows.Question) bool {
	for _, t := range q.Prompt {
		if fieldValue(t) != t {
			return false
		}
	}
	for _, o := range q.Options {
		for _, t := range o.Label {
			if fieldValue(t) != t || strings.Contains(t, "\n") {
				return false
			}
		}
	}
	return true
}
