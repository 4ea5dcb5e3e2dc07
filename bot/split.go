package bot

import "unicode/utf8"

// SplitText cuts text into parts of at most limit UTF-16 code units, at the last line break
// within the limit, else the last space, else anywhere between two characters. The line
// break or space at a cut is dropped. Channels send a text longer than they take as several
// messages.
func SplitText(text string, limit int) []string {
	var parts []string
	for {
		cut, n, lastLine, lastSpace := len(text), 0, -1, -1
		for i, r := range text {
			if n += 1 + utf16Extra(r); n > limit {
				cut = i
				break
			}
			switch r {
			case '\n':
				lastLine = i
			case ' ':
				lastSpace = i
			}
		}
		if cut == 0 { // a limit below one character: one character a part
			_, cut = utf8.DecodeRuneInString(text)
		}
		if cut == len(text) {
			return append(parts, text)
		}
		switch {
		case lastLine > 0:
			parts, text = append(parts, text[:lastLine]), text[lastLine+1:]
		case lastSpace > 0:
			parts, text = append(parts, text[:lastSpace]), text[lastSpace+1:]
		default:
			parts, text = append(parts, text[:cut]), text[cut:]
		}
	}
}

// utf16Extra is 1 for a character that UTF-16 writes as two code units, else 0.
func utf16Extra(r rune) int {
	if r >= 0x10000 {
		return 1
	}
	return 0
}
