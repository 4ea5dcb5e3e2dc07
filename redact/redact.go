// Package redact hides secrets in text meant for logs and errors: the password of a database
// URL, and Telegram bot tokens.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// URL hides the password of a database URL: the password of a URL that parses; of one that
// does not (a typo, an unescaped character), everything before the last "@"; and libpq's
// password=… form. A bot token in it is hidden too.
func URL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	s := raw
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = "xxxxx" + s[i:]
	}
	return Token(passwordField.ReplaceAllString(s, "${1}xxxxx"))
}

// Token hides anything shaped like a Telegram bot token (the bot's id, a colon, 30-odd
// characters).
func Token(s string) string { return botToken.ReplaceAllString(s, "xxxxx") }

var (
	passwordField = regexp.MustCompile(`(?i)(password\s*=\s*)('[^']*'|\S+)`)
	botToken      = regexp.MustCompile(`\d{5,}:[A-Za-z0-9_-]{20,}`)
)
