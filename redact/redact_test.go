package redact

import (
	"net/url"
	"strings"
	"testing"
)

func TestSecretsAreHidden(t *testing.T) {
	for _, tt := range []struct{ in, secret, keep string }{
		{"postgres://sukma:S3cretPass@db/sukma", "S3cretPass", "db/sukma"},
		{"postgres//sukma:S3cretPass@db/sukma", "S3cretPass", "@db/sukma"},
		{"host=db user=sukma password=S3cretPass dbname=sukma", "S3cretPass", "host=db"},
		{"host=db password='S3cret Pass' dbname=sukma", "S3cret", "dbname=sukma"},
		{"host=db sslkey='-----BEGIN PRIVATE KEY----- MIIEv' dbname=sukma", "MIIEv", "dbname=sukma"},
		{"pg://sukma:S3cret%Pass@db/sukma", "S3cret", "@db/sukma"},
		{"https://api.telegram.org/bot123456:AAHsecretTOKENabcdefghijklmnop/%s", "AAHsecretTOKEN", "api.telegram.org"},
		{"sqlite:./data/sukma.db", "", "sqlite:./data/sukma.db"},
		// lib/pq takes the password from the query too, with or without a user part.
		{"postgres://postgres@127.0.0.1:5432/test?sslmode=disable&password=QueryPW99", "QueryPW99",
			"postgres://postgres@127.0.0.1:5432/test?sslmode=disable&password=xxxxx"},
		{"postgres://127.0.0.1/test?password=QueryPW99&sslmode=disable", "QueryPW99", "?password=xxxxx&sslmode=disable"},
		{"postgres://u:UserPW77@db/x?password=QueryPW99", "PW", "postgres://u:xxxxx@db/x?password=xxxxx"},
		{"postgres://db/x?sslmode=verify-full&sslpassword=KeyPW55&sslkey=/k.pem", "KeyPW55", "sslmode=verify-full&sslpassword=xxxxx&sslkey=xxxxx"},
		{"postgres://db/x?sslinline=true&sslkey=-----BEGIN+PRIVATE+KEY-----MIIEv", "MIIEv", "sslinline=true&sslkey=xxxxx"},
		{"postgres://db/x?PASSWORD=QueryPW99", "QueryPW99", "PASSWORD=xxxxx"},
		{"postgres://db/x?pass%77ord=QueryPW99", "QueryPW99", "pass%77ord=xxxxx"},
		{"postgres://db/x?password=Query#PW99", "PW99", "password=xxxxx#xxxxx"},
		{"postgres://db/x?a=1;password=QueryPW99", "QueryPW99", "a=1;password=xxxxx"},
		{"postgres://db/x?sslmode=disable&search_path=skm", "", "postgres://db/x?sslmode=disable&search_path=skm"},
		{"postgres://db/%zz?password=QueryPW99&sslmode=disable", "QueryPW99", "?password=xxxxx"}, // does not parse
	} {
		got := URL(tt.in)
		if tt.secret != "" && strings.Contains(got, tt.secret) || !strings.Contains(got, tt.keep) {
			t.Errorf("URL(%q) = %q", tt.in, got)
		}
	}
}

// FuzzURL checks that a password lib/pq would read from a database URL never shows in its
// redaction, and that lib/pq reading the redaction finds none but xxxxx.
func FuzzURL(f *testing.F) {
	for _, s := range []string{
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable&password=QueryPW99",
		"postgres://u:UserPW77@db/x?password=QueryPW99&sslpassword=KeyPW55",
		"postgresql://db/x?sslinline=true&sslkey=-----BEGIN+KEY-----&pass%77ord=QueryPW99",
		"postgres://db/x?password=Query#PW99",
		"postgres://db/x?a=1;password=QueryPW99&search_path=skm",
		"host=db password='S3cret Pass'",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got := URL(raw)
		for _, s := range secrets(got) {
			if s != "xxxxx" && s != "" {
				t.Fatalf("URL(%q) = %q: lib/pq would read the secret %q", raw, got, s)
			}
		}
		for _, s := range secrets(raw) {
			// A secret that shows once in raw, where it is a secret, must not show in got.
			if len(s) >= 6 && strings.Count(raw, s) == 1 && strings.Contains(got, s) {
				t.Fatalf("URL(%q) = %q shows the secret %q", raw, got, s)
			}
		}
	})
}

// secrets returns what lib/pq would take for secrets in a database URL, as it reads one
// (net/url's Query).
func secrets(raw string) []string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return nil
	}
	var s []string
	if pw, ok := u.User.Password(); ok {
		s = append(s, pw)
	}
	for k, vs := range u.Query() {
		if k := strings.ToLower(k); strings.Contains(k, "password") || k == "sslkey" {
			s = append(s, vs...)
		}
	}
	return s
}
