package flows

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// skipWords are the replies that skip an optional question, compared case-insensitively and
// without a full stop or the like after them ("Lewati.").
var skipWords = []string{"-", "lewati", "skip"}

// nothingWords say there is nothing to say: to an optional open question ("Ada saran?")
// they are a skip, not a suggestion "tidak ada" for an agency head to read. A bare "no" in
// its everyday spellings ("tidak", "gak", "nggak", "belum") answers that question too. They
// count only as the whole answer ("tidak ramah" is a suggestion). A required one takes them
// as its answer.
var nothingWords = []string{"tidak ada", "tdk ada", "gak ada", "ga ada", "nggak ada", "enggak ada",
	"belum ada", "tidak ada saran", "tidak ada masukan",
	"tidak", "tdk", "tak", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "belum", "blm",
	"none", "nothing", "no", "n/a"}

// maxNumberInput bounds the length of a reply parsed as a number; longer replies are not
// numbers anyone meant.
const maxNumberInput = 20

// messages holds the texts Check and Render add, per language; other languages get "id".
var messages = map[string]map[string]string{
	"id": {
		"options":  "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–%d).",
		"number":   "Mohon tulis angka antara %s dan %s.",
		"empty":    "Mohon tulis jawaban Anda.",
		"tooLong":  "Jawaban terlalu panjang (%d karakter; maks. %d): persingkat, atau kirim yang terpenting saja.",
		"required": "Pertanyaan ini wajib dijawab.",
		"skipHint": "Ketik \"lewati\" untuk melewati pertanyaan ini.",
	},
	"en": {
		"options":  "Choose one of the answers below, or reply with its number (1–%d).",
		"number":   "Please write a number between %s and %s.",
		"empty":    "Please write your answer.",
		"tooLong":  "Your answer is too long (%d characters; max. %d): shorten it, or send only what matters most.",
		"required": "This question needs an answer.",
		"skipHint": "Type \"skip\" to skip this question.",
	},
}

func message(lang, key string) string {
	if m, ok := messages[lang]; ok {
		return m[key]
	}
	return messages["id"][key]
}

// Check validates a citizen's raw reply to q and returns the value to store.
//
// It trims surrounding space and drops invalid UTF-8 and control characters (except line
// breaks and tabs inside a text answer). Scale and choice questions accept the option
// number "1".."N" (also "2." or "2)"), the label text in any of the flow's languages,
// for choice the option code, and the number as a word ("empat", "four"; see NumberWord),
// all case-insensitively and with a full stop or the like after them or not ("Sangat mudah."); the value is "1".."4" for scale and the option code for choice. Number questions accept a whole number within [Min, Max],
// stored in canonical decimal form ("+07" -> "7"). Text questions accept 1..MaxLength
// characters (runes). Optional questions also accept a skip word ("-", "lewati", "skip",
// a full stop after it or not), returning skipped=true and an empty value, and optional
// text questions a reply that there is nothing to say ("tidak ada", "none").
//
// On invalid input it returns ok=false and hint, a short message in lang (Indonesian when
// lang has no messages) saying what is expected. It never panics.
func (q *Question) Check(input, lang string) (value string, skipped bool, hint string, ok bool) {
	in := clean(input, q.Kind == KindText)
	if q.Kind != KindText {
		in = plainDigits(in)
	}
	if isSkip(in) {
		if q.Optional {
			return "", true, "", true
		}
		return "", false, message(lang, "required") + " " + q.expect(lang), false
	}
	if q.Kind == KindText && q.Optional && oneOf(in, nothingWords) {
		return "", true, "", true
	}
	switch q.Kind {
	case KindScale, KindChoice:
		if v, ok := q.option(in); ok {
			return v, false, "", true
		}
	case KindNumber:
		in = numberPart(in)
		if len(in) <= maxNumberInput {
			if n, err := strconv.Atoi(in); err == nil && float64(n) >= q.Min && float64(n) <= q.Max {
				return strconv.Itoa(n), false, "", true
			}
		}
	case KindText:
		// It says how long the answer was: a long paste, which Telegram splits into parts of
		// 4096, is far over, and "maks. 1000" alone reads as a few characters too many.
		if n := utf8.RuneCountInString(in); n > q.MaxLength {
			return "", false, fmt.Sprintf(message(lang, "tooLong"), n, q.MaxLength), false
		}
		if in != "" {
			return in, false, "", true
		}
	}
	return "", false, q.expect(lang), false
}

// expect says in lang what q expects, for a re-prompt.
func (q *Question) expect(lang string) string {
	var s string
	switch q.Kind {
	case KindScale, KindChoice:
		s = fmt.Sprintf(message(lang, "options"), len(q.Options))
	case KindNumber:
		s = fmt.Sprintf(message(lang, "number"), formatNumber(q.Min), formatNumber(q.Max))
	default:
		s = message(lang, "empty")
	}
	return s // how to skip an optional question is in its text (Render), which a re-prompt repeats
}

// option finds the option a reply names, by number, label, code or number word.
func (q *Question) option(in string) (string, bool) {
	if in == "" {
		return "", false
	}
	num := strings.TrimRight(in, ".)")
	if len(num) <= maxNumberInput {
		if n, err := strconv.Atoi(num); err == nil && n >= 1 && n <= len(q.Options) {
			return q.Options[n-1].Value, true
		}
	}
	// A label or code typed with a full stop or the like after it ("Sangat mudah.") is
	// that option, as "4." is; the label's own stop, if it has one, is not needed either.
	word := trimEnd(in)
	for _, o := range q.Options {
		for _, label := range o.Label {
			if strings.EqualFold(trimEnd(strings.TrimSpace(label)), word) {
				return o.Value, true
			}
		}
	}
	if q.Kind == KindChoice {
		for _, o := range q.Options {
			if strings.EqualFold(o.Value, word) {
				return o.Value, true
			}
		}
	}
	// After the labels and codes: an option named "Dua" is that option.
	if n, ok := NumberWord(in); ok && n <= len(q.Options) {
		return q.Options[n-1].Value, true
	}
	return "", false
}

// Render returns the text of q for the chat in lang, with how to skip when q is optional,
// and the option labels in lang, in order (the adapter numbers them 1..N); options is nil
// for text and number questions.
func (q *Question) Render(lang string) (text string, options []string) {
	text = q.Prompt.In(lang)
	if q.Optional {
		text += "\n\n" + message(lang, "skipHint")
	}
	for _, o := range q.Options {
		options = append(options, o.Label.In(lang))
	}
	return text, options
}

// clean drops invalid UTF-8 and control characters and trims space and invisible format
// characters (a zero-width space, a byte-order mark), so that an answer of nothing visible is
// empty and "\u200b3" is 3; inside the text they stay (a zero-width joiner holds an emoji
// together). Line breaks and tabs are kept when keepLines is set, for text answers.
func clean(s string, keepLines bool) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && !(keepLines && (r == '\n' || r == '\t')) {
			if r == '\n' || r == '\t' {
				return ' '
			}
			return -1
		}
		return r
	}, s)
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) })
}

// plainDigits writes the digits of a phone's other keyboards as ASCII: full-width ones
// ("３") and keycap emoji ("4️⃣", a digit with U+FE0F and U+20E3).
func plainDigits(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '\uFE0F' || r == '\u20E3':
			return -1
		}
		return r
	}, s)
}

// numberPart is the number of a reply that gives it with its unit, as citizens often write
// their age ("35 tahun", "35thn", "35 years"); any other reply is returned as it is.
func numberPart(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || i == len(s) {
		return s
	}
	switch strings.ToLower(strings.TrimRight(strings.TrimSpace(s[i:]), ".")) {
	case "tahun", "thn", "th", "years", "year", "yrs", "y.o", "yo":
		return s[:i]
	}
	return s
}

func isSkip(s string) bool { return oneOf(s, skipWords) }

// oneOf reports whether s is one of words, in any case, a full stop or the like after it.
func oneOf(s string, words []string) bool {
	s = trimEnd(s)
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return true
		}
	}
	return false
}

// trimEnd drops a full stop or the like, and spaces, after s; a reply of nothing else ("-",
// ".") stays itself.
func trimEnd(s string) string {
	if t := strings.TrimRight(s, ".!,;: "); t != "" {
		return t
	}
	return s
}

func formatNumber(x float64) string {
	return strconv.FormatFloat(x, 'f', -1, 64)
}
