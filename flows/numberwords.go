package flows

import (
	"strings"
	"unicode"
)

// numberWords are the words citizens type for an option's number, in the flow's two
// languages: "empat" at a scale question is score 4, as "4" is.
var numberWords = map[string]int{
	"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5,
	"enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9, "sepuluh": 10,
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
	"six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

// NumberWord returns the number 1–10 that a reply spells as one word, in Indonesian or
// English, in any case and with space or punctuation around it ("Empat", " dua. ",
// "three!"); ok is false for anything else ("dua puluh", "4").
func NumberWord(reply string) (n int, ok bool) {
	w := strings.TrimFunc(reply, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	if len(w) > len("sembilan") {
		return 0, false
	}
	n, ok = numberWords[strings.ToLower(w)]
	return n, ok
}
