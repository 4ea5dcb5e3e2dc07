package bot

import "strings"

// Commands a citizen can type, on every channel.
const (
	cmdNone     = ""
	cmdStart    = "start"
	cmdCancel   = "cancel"
	cmdLanguage = "language"
	cmdRestart  = "restart"
	cmdHelp     = "help"
	// cmdSKM is "SKM TOKEN": a start outside a survey, but inside one only when TOKEN is a
	// visit's or a unit's token (a text answer may well begin with "skm").
	cmdSKM = "skm"
)

var commandNames = map[string]string{
	"/start": cmdStart, "/mulai": cmdStart,
	"/batal": cmdCancel, "/cancel": cmdCancel,
	"/bahasa": cmdLanguage, "/language": cmdLanguage,
	"/ulang": cmdRestart, "/restart": cmdRestart,
	"/bantuan": cmdHelp, "/help": cmdHelp,
}

// bareCommand returns the command a refused answer names without its slash ("batal",
// "Ulang."), as "/batal", or "": a citizen who types "batal" at the age question means to
// cancel, and is told how, not only that an age is a number. It is never taken as the
// command: cancelling deletes answers, and a slash says the citizen meant it.
func bareCommand(text string) string {
	word := strings.ToLower(strings.TrimRight(strings.TrimSpace(text), ".!"))
	if _, ok := commandNames["/"+word]; ok && word != "start" && word != "mulai" {
		return "/" + word
	}
	return ""
}

// looksLikeCommand reports whether a reply is a command the bot does not know ("/kembali",
// "/skip ini"): one word of letters after a slash, with any words after it. It is not taken
// as an answer, even to a free-text question, where it would be stored as the citizen's words.
func looksLikeCommand(text string) bool {
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields[0]) < 2 || fields[0][0] != '/' {
		return false
	}
	word, _, _ := strings.Cut(fields[0][1:], "@")
	for i, r := range word {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r == '_' || r >= '0' && r <= '9')) {
			return false
		}
	}
	return word != ""
}

// parseCommand recognises a command and its argument: "/start TOKEN" (Telegram's deep link),
// "SKM TOKEN" (the WhatsApp link's text), "/batal", "/bahasa en", "/ulang" and the English
// aliases, case-insensitively, with Telegram's "/cmd@botname" form. A slash command's
// argument is all the words after it ("/batal saja deh" cancels; "/bahasa bahasa inggris"
// asks for English). Anything else is an answer.
func parseCommand(text string) (cmd, arg string) {
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return cmdNone, ""
	}
	word := strings.ToLower(fields[0])
	if word == "skm" {
		if len(fields) == 2 {
			return cmdSKM, fields[1]
		}
		return cmdNone, ""
	}
	if !strings.HasPrefix(word, "/") {
		return cmdNone, ""
	}
	word, _, _ = strings.Cut(word, "@")
	if c, ok := commandNames[word]; ok {
		return c, strings.Join(fields[1:], " ")
	}
	return cmdNone, ""
}
