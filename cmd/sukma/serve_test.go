package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestServeReportsEveryWrongSettingOnALineOfItsOwn(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Setenv("SUKMA_WHATSAPP_ENABLED", "maybe")
	t.Setenv("SUKMA_HTTP_ADDR", "bad")
	t.Setenv("SUKMA_LOG_LEVEL", "trace")
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve"}, stdio{strings.NewReader(""), &out, &errb})
	want := []string{
		`sukma: SUKMA_WHATSAPP_ENABLED (whatsapp_enabled): "maybe" bukan true atau false`,
		`sukma: SUKMA_HTTP_ADDR (http_addr): "bad" bukan host:port (misalnya :8080 atau 127.0.0.1:8080)`,
		`sukma: SUKMA_LOG_LEVEL (log_level): harus debug, info, warn atau error (tertulis "trace")`,
	}
	if got := strings.TrimSuffix(errb.String(), "\n"); code != 1 || got != strings.Join(want, "\n") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and:\n%s", code, got, strings.Join(want, "\n"))
	}
}
