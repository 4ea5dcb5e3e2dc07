// Package redact hides secrets in text meant for logs and errors: the passwords of a database
// URL, and Telegram bot tokens.
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// URL hides the secrets of a database URL: the password in its user part and the value of
// every query parameter that names one (password, sslpassword, any key with "password" in
// it, and sslkey, which lib/pq's sslinline makes the key itself), however the key is
// escaped; and its fragment, where an unescaped "#" in a password sends the rest. Of a URL
// that does not parse (a typo, an unescaped character), it hides everything before the last
// "@" too, and libpq's password=… form. A bot token in it is hidden too.
func URL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Scheme != "" && u.Opaque == "" {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), hidden)
		}
		u.RawQuery = query(u.RawQuery)
		if u.Fragment != "" {
			u.Fragment, u.RawFragment = hidden, ""
		}
		return Token(u.String())
	}
	s := raw
	if before, after, ok := strings.Cut(s, "?"); ok {
		s = before + "?" + query(after)
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = hidden + s[i:]
	}
	return Token(passwordField.ReplaceAllStringFunc(s, func(field string) string {
		m := passwordField.FindStringSubmatch(field)
		if v, ok := strings.CutPrefix(m[2], hidden); ok && (v == "" || v[0] == '&' || v[0] == ';') {
			return field // hidden by query already: the pairs after it stay pairs
		}
		return m[1] + hidden
	}))
}

// Token hides anything shaped like a Telegram bot token (the bot's id, a colon, 30-odd
// characters).
func Token(s string) string { return botToken.ReplaceAllString(s, hidden) }

const hidden = "xxxxx"

// query hides the values of the secret parameters of a URL's query, leaving the rest as it
// is. Go (and so lib/pq) splits a query at "&" only and drops a pair with ";": a pair is cut
// at both here, so that such a pair does not show its secret either.
func query(raw string) string {
	var b strings.Builder
	for raw != "" {
		i := strings.IndexAny(raw, "&;")
		pair, sep := raw, ""
		if i >= 0 {
			pair, sep, raw = raw[:i], raw[i:i+1], raw[i+1:]
		} else {
			raw = ""
		}
		if key, _, ok := strings.Cut(pair, "="); ok && secretKey(key) {
			pair = key + "=" + hidden
		}
		b.WriteString(pair + sep)
	}
	return b.String()
}

// secretKey reports whether a query parameter, named key as written, holds a secret.
func secretKey(key string) bool {
	name := strings.ToLower(key)
	if k, err := url.QueryUnescape(key); err == nil {
		name = strings.ToLower(k)
	}
	return strings.Contains(name, "password") || name == "sslkey" || strings.Contains(strings.ToLower(key), "password")
}

var (
	passwordField = regexp.MustCompile(`(?i)((?:password|sslkey)\s*=\s*)('[^']*'|\S+)`)
	botToken      = regexp.MustCompile(`\d{5,}:[A-Za-z0-9_-]{20,}`)
)
