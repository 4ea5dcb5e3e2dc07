package admin

import (
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestTheClientAddressBehindTrustedProxies(t *testing.T) {
	s := &Server{Deps: Deps{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}}}
	for _, c := range []struct {
		name, remote, forwarded, want string
	}{
		{"no proxy: the connection", "203.0.113.7:5100", "", "203.0.113.7"},
		{"an untrusted peer's header is ignored", "203.0.113.7:5100", "198.51.100.1", "203.0.113.7"},
		{"through the load balancer", "10.0.0.2:4000", "198.51.100.1", "198.51.100.1"},
		{"a made-up address before the real one", "10.0.0.2:4000", "1.2.3.4, 198.51.100.1", "198.51.100.1"},
		{"through two proxies", "10.0.0.2:4000", "198.51.100.1, 10.0.0.9", "198.51.100.1"},
		{"several header lines", "10.0.0.2:4000", "1.2.3.4\n198.51.100.1", "198.51.100.1"},
		{"junk where a proxy writes", "10.0.0.2:4000", "198.51.100.1, pabrik", "10.0.0.2"},
		{"a proxy without the header", "10.0.0.2:4000", "", "10.0.0.2"},
		{"IPv6", "[fd00::5]:4000", "2001:db8::1", "2001:db8::1"},
	} {
		r := httptest.NewRequest("POST", "/admin/login", nil)
		r.RemoteAddr = c.remote
		for _, line := range strings.Split(c.forwarded, "\n") {
			if line != "" {
				r.Header.Add("X-Forwarded-For", line)
			}
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("%s: clientIP = %q, want %q", c.name, got, c.want)
		}
	}
}

// FuzzClientIP: whatever the header says, the client is the connection or an address the
// header names, never something else, and nothing panics.
func FuzzClientIP(f *testing.F) {
	f.Add("10.0.0.2:4000", "1.2.3.4, 198.51.100.1")
	f.Add("[fd00::5]:4000", "2001:db8::1,, ::ffff:10.0.0.1")
	f.Add("garbage", "")
	s := &Server{Deps: Deps{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}}}
	f.Fuzz(func(t *testing.T, remote, forwarded string) {
		r := httptest.NewRequest("POST", "/admin/login", nil)
		r.RemoteAddr = remote
		r.Header.Set("X-Forwarded-For", forwarded)
		got := s.clientIP(r)
		allowed := map[string]bool{}
		host := remote
		if i := strings.LastIndexByte(host, ':'); i > 0 {
			host = host[:i]
		}
		host = strings.Trim(host, "[]")
		allowed[host] = true
		for _, h := range append(strings.Split(forwarded, ","), host) {
			if a, err := netip.ParseAddr(strings.TrimSpace(h)); err == nil {
				allowed[a.Unmap().String()] = true
			}
		}
		if !allowed[got] {
			t.Fatalf("clientIP(%q, %q) = %q: neither the connection nor an address of the header", remote, forwarded, got)
		}
	})
}
