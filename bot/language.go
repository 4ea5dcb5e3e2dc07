package bot

import (
	"slices"
	"strings"
	"unicode"
)

// languageWords are the words a citizen who cannot answer in the survey's language writes to
// ask for another ("English please", "bahasa inggris"), by the language's code.
var languageWords = map[string]string{
	"english": "en", "inggris": "en", "eng": "en",
	"indonesia": "id", "indonesian": "id",
}

// namedLanguage is the language a typed text asks for by name, or "". The engine takes it only
// from a text that does not answer the question asked.
func namedLanguage(text string) string {
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) })
	if len(words) > 4 { // a sentence, not a request for a language
		return ""
	}
	for _, w := range words {
		if lang, ok := languageWords[w]; ok {
			return lang
		}
	}
	return ""
}

// languageAsked is the language of langs that "/bahasa ARG" asks for while current is
// spoken: ARG as a code ("en", "EN") or a language's name ("inggris"), else the one after
// current, as /bahasa switches in a survey.
func languageAsked(langs []string, current, arg string) string {
	if code := strings.ToLower(arg); slices.Contains(langs, code) {
		return code
	}
	if lang := namedLanguage(arg); slices.Contains(langs, lang) {
		return lang
	}
	return langs[(slices.Index(langs, current)+1)%len(langs)]
}
