package config

import (
	"strings"
	"testing"
)

// FuzzLoadYAML feeds arbitrary settings files to the loader: it must return an error or a
// config, never panic, and every error must point into the file.
//
//	go test ./config -run '^$' -fuzz FuzzLoadYAML -fuzztime 1m
func FuzzLoadYAML(f *testing.F) {
	for _, seed := range []string{
		"http_addr: :8080\n", "database_url: sqlite:x.db\ntimezone: Asia/Makassar\n", "whatsapp_enabled: ya\n",
		"- a\n- b\n", "a: [1, 2]\n", "http_addr: :1\nhttp_addr: :2\n", "{", "", "# only a comment\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c := Default()
		err := c.loadYAML("f.yaml", []byte(src))
		if err != nil && !strings.HasPrefix(err.Error(), "f.yaml") {
			t.Fatalf("error %q does not name the file", err)
		}
		if err == nil {
			_ = c.Validate() // must not panic either
		}
	})
}
