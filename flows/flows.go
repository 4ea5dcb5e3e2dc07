// Package flows is the question-flow model: the YAML format admins edit, its strict
// validation with FILE:LINE:COL errors, the built-in SKM questionnaire, and the pure
// functions the conversation engine needs to walk a flow (Next, Asked, Check, Render).
//
// The package does no I/O: callers pass bytes in and get values out.
package flows

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultExpireAfter is the survey lifetime used when a flow does not set expire_after:
// long enough for a citizen who was interrupted at the counter to finish later that day.
const DefaultExpireAfter = 24 * time.Hour

// DefaultMaxLength is the length limit, in characters (runes), of a text question that does
// not set max_length.
const DefaultMaxLength = 500

// Text is one user-visible text in every language it was written in: language code -> text.
// Indonesian ("id") is always present in a parsed flow.
type Text map[string]string

// In returns the text in lang, or the Indonesian text when there is no translation to lang.
func (t Text) In(lang string) string {
	if s, ok := t[lang]; ok && s != "" {
		return s
	}
	return t["id"]
}

// Kind is the kind of a question.
type Kind string

// The question kinds.
const (
	KindScale  Kind = "scale"  // a score 1..4 with a label per score, measuring one SKM element
	KindChoice Kind = "choice" // one of labelled options
	KindText   Kind = "text"   // free text, up to MaxLength characters
	KindNumber Kind = "number" // a whole number between Min and Max
)

// Flow is a parsed, valid questionnaire. Values returned by Parse and Builtin are owned by
// the caller; the package never modifies them.
type Flow struct {
	ID          string
	Version     int           // >= 1; published versions of an ID are numbered and immutable
	Title       Text          //
	Languages   []string      // always contains "id", first
	ExpireAfter time.Duration // DefaultExpireAfter when the file does not set expire_after
	Intro       Text          // the first message of the chat
	Closing     Text          // the last message, after the last question
	Questions   []*Question   // in the order they are asked; never empty
	// Source is the YAML the flow was parsed from, byte for byte (comments included):
	// the canonical form that storage saves for each published version.
	Source []byte
	// IDLine and IDCol are where Source writes ID (see AtID).
	IDLine, IDCol int
}

// ValidID reports whether id can name a flow: what Parse takes as a flow file's id.
func ValidID(id string) bool { return idPattern.MatchString(id) }

// AtID is the problem msg (in Indonesian; en in English) of f's file, named file, at its id:
// for a check made outside Parse, such as a flow whose id is not the one it is saved under.
// The caller writes both texts, as every message of the package has both.
func (f *Flow) AtID(file, msg, en string) *Error {
	e := new(Error)
	e.File, e.Line, e.Col, e.Msg, e.En = file, max(f.IDLine, 1), max(f.IDCol, 1), msg, en
	return e
}

// MissingElements are the codes of the nine elements (U1…U9) no question of f measures.
// PermenPANRB 14/2017 makes the nine the minimum: a flow without one of them is valid and can
// run, but its IKM is not the regulation's.
func (f *Flow) MissingElements() []string {
	var missing []string
	for i := 1; i <= 9; i++ {
		code := fmt.Sprintf("U%d", i)
		if !slices.ContainsFunc(f.Questions, func(q *Question) bool { return q.Element == code }) {
			missing = append(missing, code)
		}
	}
	return missing
}

// MissingElementsWarning says which elements f does not measure, in Indonesian, or "" when it
// measures all nine.
func (f *Flow) MissingElementsWarning() string { return f.MissingElementsWarningIn("id") }

// MissingElementsWarningIn is MissingElementsWarning in lang: English for "en", Indonesian
// for any other.
func (f *Flow) MissingElementsWarningIn(lang string) string {
	m := f.MissingElements()
	if len(m) == 0 {
		return ""
	}
	return missingElementsWarning.with(strings.Join(m, ", ")).in(lang)
}

// missingElementsWarning is the warning of a flow that leaves out the elements of its
// argument.
var missingElementsWarning = msg{"alur tidak mengukur unsur %s: IKM-nya tidak memenuhi PermenPANRB 14/2017, yang mewajibkan sembilan unsur (U1–U9)",
	"the flow does not measure element(s) %s: its IKM does not meet PermenPANRB 14/2017, which requires all nine elements (U1–U9)"}

// Question is one question of a flow.
type Question struct {
	ID      string
	Kind    Kind
	Prompt  Text
	Element string   // "U1".."U9" for scale questions (unique within a flow), else ""
	Options []Option // scale: exactly 4, Value "1".."4"; choice: Value is the stored code
	// Optional questions may be skipped; a skipped answer is absent from Answers.
	Optional bool
	// MaxLength is the limit, in characters (runes), of a text answer.
	MaxLength int
	// Min and Max bound a number answer, inclusive. Numbers are whole numbers only,
	// so Min and Max are whole numbers too.
	Min, Max float64
	// When is the condition under which the question is asked; nil means always.
	When *Condition
}

// Option is one answer of a scale or choice question.
type Option struct {
	Value string // the stored value: "1".."4" for scale, the option code for choice
	Label Text
}

// Condition decides whether a question is asked, from the answers to earlier questions.
// Exactly one form is set, as Parse builds it:
//   - Question and In: the answer to Question is one of In (canonical values);
//   - Question and Min and/or Max: the answer to Question is a number within [Min, Max];
//   - Question and Answered: Question was answered (true) or not answered (false);
//   - AnyElement: any of the questions in Scales was answered with a score in AnyElement.
//
// An absent answer (not asked or skipped) satisfies only Answered == false.
type Condition struct {
	Question   string
	In         []string
	Min, Max   *float64
	Answered   *bool
	AnyElement []string
	// Scales lists the ids of the scale questions before the conditioned question;
	// Parse fills it for AnyElement conditions.
	Scales []string
}

// Answers holds a session's answers so far: question id -> stored value ("1".."4" for
// scale, the option code for choice, the text, the number as a decimal string).
// An absent id means the question was not asked or was skipped.
type Answers map[string]string

// Holds reports whether the condition is met by the answers.
func (c *Condition) Holds(a Answers) bool {
	if len(c.AnyElement) > 0 {
		for _, id := range c.Scales {
			if v, ok := a[id]; ok && slices.Contains(c.AnyElement, v) {
				return true
			}
		}
		return false
	}
	v, ok := a[c.Question]
	switch {
	case c.Answered != nil:
		return ok == *c.Answered
	case !ok:
		return false
	case len(c.In) > 0:
		return slices.Contains(c.In, v)
	case c.Min != nil || c.Max != nil:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		return (c.Min == nil || x >= *c.Min) && (c.Max == nil || x <= *c.Max)
	}
	return false
}

// Asked reports whether q is to be asked given the answers so far: true when q has no
// condition or its condition holds.
func (q *Question) Asked(a Answers) bool {
	return q.When == nil || q.When.Holds(a)
}

// Next returns the index of the first question at or after index from that is to be asked
// given the answers so far, or -1 when there is none left and the flow is finished.
// A negative from is treated as 0.
func (f *Flow) Next(from int, a Answers) int {
	for i := max(from, 0); i < len(f.Questions); i++ {
		if f.Questions[i].Asked(a) {
			return i
		}
	}
	return -1
}

// Question returns the question with the given id, or nil.
func (f *Flow) Question(id string) *Question {
	for _, q := range f.Questions {
		if q.ID == id {
			return q
		}
	}
	return nil
}
