package redact

import (
	"strings"
	"testing"
)

func TestSecretsAreHidden(t *testing.T) {
	for _, tt := range []struct{ in, secret, keep string }{
		{"postgres://sukma:S3cretPass@db/sukma", "S3cretPass", "db/sukma"},
		{"postgres//sukma:S3cretPass@db/sukma", "S3cretPass", "@db/sukma"},
		{"host=db user=sukma password=S3cretPass dbname=sukma", "S3cretPass", "host=db"},
		{"host=db password='S3cret Pass' dbname=sukma", "S3cret", "dbname=sukma"},
		{"pg://sukma:S3cret%Pass@db/sukma", "S3cret", "@db/sukma"},
		{"https://api.telegram.org/bot123456:AAHsecretTOKENabcdefghijklmnop/%s", "AAHsecretTOKEN", "api.telegram.org"},
		{"sqlite:./data/sukma.db", "", "sqlite:./data/sukma.db"},
	} {
		got := URL(tt.in)
		if tt.secret != "" && strings.Contains(got, tt.secret) || !strings.Contains(got, tt.keep) {
			t.Errorf("URL(%q) = %q", tt.in, got)
		}
	}
}
