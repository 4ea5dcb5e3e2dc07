package bot

import (
	"fmt"
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
// spoken: ARG as a code ("en", "EN") or a language's name ("inggris"); with no ARG, the one
// after current. ok is false when ARG names none of langs ("/bahasa fr"): current stays.
func languageAsked(langs []string, current, arg string) (lang string, ok bool) {
	switch code := strings.ToLower(strings.TrimSpace(arg)); {
	case code == "":
		return langs[(slices.Index(langs, current)+1)%len(langs)], true
	case slices.Contains(langs, code):
		return code, true
	}
	if lang := namedLanguage(arg); slices.Contains(langs, lang) {
		return lang, true
	}
	return current, false
}

// languageNotice says, in lang, that the chat now speaks it.
func languageNotice(lang string) Reply {
	if _, ok := texts[lang]; !ok { // a language of the flow's questions that the bot's own messages lack
		return Reply{Text: "Bahasa / Language: " + lang}
	}
	return Reply{Text: say(lang, "language")}
}

// unknownLanguage answers "/bahasa ARG" naming none of langs, in lang: the choices.
func unknownLanguage(lang, arg string, langs []string) Reply {
	if r := []rune(arg); len(r) > 20 {
		arg = string(r[:20]) + "…"
	}
	return Reply{Text: fmt.Sprintf(say(lang, "languageUnknown"), arg, strings.Join(langs, ", "))}
}
