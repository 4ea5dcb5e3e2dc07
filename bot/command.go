package bot

import "strings"

// Commands a citizen can type, on every channel.
const (
	cmdNone     = ""
	cmdStart    = "start"
	cmdCancel   = "cancel"
	cmdLanguage = "language"
	cmdRestart  = "restart"
	// cmdSKM is "SKM TOKEN": a start outside a survey, but inside one only when TOKEN is a
	// visit's or a unit's token (a text answer may well begin with "skm").
	cmdSKM = "skm"
)

var commandNames = map[string]string{
	"/start": cmdStart, "/mulai": cmdStart,
	"/batal": cmdCancel, "/cancel": cmdCancel,
	"/bahasa": cmdLanguage, "/language": cmdLanguage,
	"/ulang": cmdRestart, "/restart": cmdRestart,
}

// parseCommand recognises a command and its argument: "/start TOKEN" (Telegram's deep link),
// "SKM TOKEN" (the WhatsApp link's text), "/batal", "/bahasa en", "/ulang" and the English
// aliases, case-insensitively, with Telegram's "/cmd@botname" form. Anything else is an answer.
func parseCommand(text string) (cmd, arg string) {
	fields := strings.Fields(text)
	if len(fields) == 0 || len(fields) > 2 {
		return cmdNone, ""
	}
	word := strings.ToLower(fields[0])
	if len(fields) == 2 {
		arg = fields[1]
	}
	if word == "skm" && arg != "" {
		return cmdSKM, arg
	}
	if !strings.HasPrefix(word, "/") {
		return cmdNone, ""
	}
	word, _, _ = strings.Cut(word, "@")
	if c, ok := commandNames[word]; ok {
		return c, arg
	}
	return cmdNone, ""
}
