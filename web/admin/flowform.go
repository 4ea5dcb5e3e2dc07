package admin

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"sukma/flows"
)

// The form editor edits a flow's questions as plain fields; the server turns them back into
// YAML, which stays the one source of truth (what is validated, saved and published). The
// rest of the flow (title, intro, closing, languages, expiry) is kept from the YAML as is.

type formQuestion struct {
	ID, Kind, Element string
	Prompt            []langText
	// Options is one option a line: "CODE = label | English label" for choice questions,
	// "label | English label" (four lines, scores 1–4) for scale questions; a | or \ within
	// a label is written \| or \\ (see labelField).
	Options             string
	Optional            bool
	MaxLength, Min, Max string
	When                string // a YAML flow mapping, e.g. { question: u3, in: [1, 2] }
	Scale, Choice, Text bool
	Number, First, Last bool
	Index               int
	Position            int // the number the form shows, from 1
}

type langText struct{ Lang, Text string }

// toForm lists a parsed flow's questions as form fields.
func toForm(f *flows.Flow) []formQuestion {
	out := make([]formQuestion, len(f.Questions))
	for i, q := range f.Questions {
		fq := formQuestion{ID: q.ID, Kind: string(q.Kind), Element: q.Element, Optional: q.Optional, Index: i, Position: i + 1,
			First: i == 0, Last: i == len(f.Questions)-1}
		for _, l := range f.Languages {
			fq.Prompt = append(fq.Prompt, langText{l, q.Prompt[l]})
		}
		var lines []string
		for _, o := range q.Options {
			labels := make([]string, len(f.Languages))
			for j, l := range f.Languages {
				labels[j] = labelField.Replace(o.Label[l])
			}
			line := strings.Join(labels, " | ")
			if q.Kind == flows.KindChoice {
				line = o.Value + " = " + line
			}
			lines = append(lines, line)
		}
		fq.Options = strings.Join(lines, "\n")
		switch q.Kind {
		case flows.KindText:
			fq.MaxLength = strconv.Itoa(q.MaxLength)
		case flows.KindNumber:
			fq.Min, fq.Max = num(q.Min), num(q.Max)
		}
		if q.When != nil {
			fq.When = conditionText(q.When)
		}
		out[i] = fq
	}
	return out
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// conditionText writes a parsed condition back in the YAML flow style of the docs.
func conditionText(c *flows.Condition) string {
	switch {
	case len(c.AnyElement) > 0:
		return "{ any_element: [" + strings.Join(c.AnyElement, ", ") + "] }"
	case c.Answered != nil:
		return fmt.Sprintf("{ question: %s, answered: %t }", c.Question, *c.Answered)
	case len(c.In) > 0:
		return fmt.Sprintf("{ question: %s, in: [%s] }", c.Question, strings.Join(c.In, ", "))
	}
	parts := []string{"question: " + c.Question}
	if c.Min != nil {
		parts = append(parts, "min: "+num(*c.Min))
	}
	if c.Max != nil {
		parts = append(parts, "max: "+num(*c.Max))
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// readForm reads the posted questions (fields q<N>.<name>, N from 0 to count-1) and applies
// op: "add", "remove:N", "up:N", "down:N" or "" (just apply the edits).
func readForm(r *http.Request, langs []string) []formQuestion {
	n, _ := strconv.Atoi(r.PostFormValue("count"))
	n = min(max(n, 0), 500)
	qs := make([]formQuestion, 0, n+1)
	for i := range n {
		// A browser sends a textarea's lines ended by \r\n; YAML reads them back as \n, and
		// the encoder would write a text holding \r double-quoted, escapes and all.
		get := func(k string) string { return fieldValue(r.PostFormValue(fmt.Sprintf("q%d.%s", i, k))) }
		fq := formQuestion{ID: get("id"), Kind: get("kind"), Element: get("element"), Options: get("options"),
			Optional: get("optional") != "", MaxLength: get("max_length"), Min: get("min"), Max: get("max"), When: get("when")}
		for _, l := range langs {
			fq.Prompt = append(fq.Prompt, langText{l, get("prompt." + l)})
		}
		qs = append(qs, fq)
	}
	op, arg, _ := strings.Cut(r.PostFormValue("op"), ":")
	i, err := strconv.Atoi(arg)
	valid := err == nil && i >= 0 && i < len(qs)
	switch {
	case op == "add":
		qs = append(qs, newQuestion(qs, langs))
	case op == "remove" && valid:
		qs = slices.Delete(qs, i, i+1)
	case op == "up" && valid && i > 0:
		qs[i-1], qs[i] = qs[i], qs[i-1]
	case op == "down" && valid && i < len(qs)-1:
		qs[i], qs[i+1] = qs[i+1], qs[i]
	}
	return qs
}

// newQuestion is the question "+ Tambah pertanyaan" adds after qs: an optional text question
// named after the number the form shows it under (pertanyaan_16 for the 16th), or the next
// number no question of qs has taken, with a placeholder prompt in every language, so that
// the flow stays valid and the form stays usable while the admin writes its text.
func newQuestion(qs []formQuestion, langs []string) formQuestion {
	taken := map[string]bool{}
	for _, q := range qs {
		taken[q.ID] = true
	}
	n := len(qs) + 1
	for taken[fmt.Sprintf("pertanyaan_%d", n)] {
		n++
	}
	fq := formQuestion{ID: fmt.Sprintf("pertanyaan_%d", n), Kind: string(flows.KindText), MaxLength: "500", Optional: true}
	for _, l := range langs {
		fq.Prompt = append(fq.Prompt, langText{l, placeholderPrompt(l)})
	}
	return fq
}

// The prompt of a question just added, to be written over: it says so to the admin and,
// were it published as it is, to the citizen.
const (
	placeholderID    = "Pertanyaan baru: tulis teksnya di sini"
	placeholderOther = "New question: write its text here"
)

func placeholderPrompt(lang string) string {
	if lang == "id" {
		return placeholderID
	}
	return placeholderOther
}

// formYAML returns the YAML of base with its questions replaced by qs. The result may be an
// invalid flow (a removed question still named by a condition, say): flows.Parse says what
// to fix, at a line and column of this YAML.
func formYAML(base []byte, langs []string, qs []formQuestion) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(base, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("the YAML does not parse: fix it in the YAML view first")
	}
	root := doc.Content[0]
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, q := range qs {
		list.Content = append(list.Content, questionNode(q, langs))
	}
	replaced := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "questions" {
			root.Content[i+1], replaced = list, true
		}
	}
	if !replaced {
		root.Content = append(root.Content, str("questions"), list)
	}
	return encodeYAML(&doc)
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func plain(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }

func questionNode(q formQuestion, langs []string) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	add("id", plain(q.ID))
	add("kind", plain(q.Kind))
	if q.Element != "" || q.Kind == string(flows.KindScale) {
		add("element", plain(q.Element))
	}
	prompt := &yaml.Node{Kind: yaml.MappingNode}
	for _, p := range q.Prompt {
		if p.Text != "" || p.Lang == "id" {
			prompt.Content = append(prompt.Content, str(p.Lang), str(p.Text))
		}
	}
	add("prompt", prompt)
	lines := strings.Split(strings.ReplaceAll(q.Options, "\r", ""), "\n")
	lines = slices.DeleteFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "" })
	switch flows.Kind(q.Kind) {
	case flows.KindScale:
		labels := &yaml.Node{Kind: yaml.SequenceNode}
		for _, l := range lines {
			labels.Content = append(labels.Content, labelNode(l, langs))
		}
		add("labels", labels)
	case flows.KindChoice:
		opts := &yaml.Node{Kind: yaml.SequenceNode}
		for _, l := range lines {
			code, label, _ := strings.Cut(l, "=")
			o := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
			o.Content = append(o.Content, str("value"), str(strings.TrimSpace(code)), str("label"), labelNode(label, langs))
			opts.Content = append(opts.Content, o)
		}
		add("options", opts)
	case flows.KindText:
		if q.MaxLength != "" {
			add("max_length", plain(q.MaxLength))
		}
	case flows.KindNumber:
		add("min", plain(q.Min))
		add("max", plain(q.Max))
	}
	if q.Optional {
		add("optional", plain("true"))
	}
	if q.When != "" {
		var cond yaml.Node
		if err := yaml.Unmarshal([]byte(q.When), &cond); err == nil && len(cond.Content) == 1 {
			add("when", cond.Content[0])
		} else {
			add("when", str(q.When)) // Parse will say the condition is not a mapping
		}
	}
	return m
}

// labelNode turns "label | English label" into { id: label, en: English label }, a \| in
// a label into | and a \\ into \.
func labelNode(line string, langs []string) *yaml.Node {
	parts := splitLabels(line)
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for i, l := range langs {
		if i < len(parts) && strings.TrimSpace(parts[i]) != "" {
			n.Content = append(n.Content, str(l), str(strings.TrimSpace(parts[i])))
		}
	}
	return n
}

// labelField writes a label in an options line: its | and \ escaped with \, so that a |
// within it ("Gratis / Rp0 | tanpa pungutan") is not taken for the next language's.
var labelField = strings.NewReplacer(`\`, `\\`, `|`, `\|`)

// splitLabels splits an options line into its labels at each | not escaped, and undoes
// labelField. A \ before any other character is a \, as typed.
func splitLabels(line string) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\\' && i+1 < len(line) && (line[i+1] == '\\' || line[i+1] == '|'):
			i++
			b.WriteByte(line[i])
		case c == '|':
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}
