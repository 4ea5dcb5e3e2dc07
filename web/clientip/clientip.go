// Package clientip finds the address of an HTTP request's client behind trusted proxies.
package clientip

import (
	"net/http"
	"net/netip"
	"strings"
)

// Of is the client's address: the connection's, or, for a connection from a trusted proxy,
// the last address of X-Forwarded-For that is not a trusted proxy's (the ones before it are
// the client's word, which anyone could make up to escape a limit).
func Of(r *http.Request, trusted []netip.Prefix) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	host = strings.Trim(host, "[]")
	addr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // not written by a proxy of ours
		}
		if !isTrusted(hop, trusted) {
			return hop.Unmap().String()
		}
		addr = hop
	}
	return addr.Unmap().String()
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	addr = addr.Unmap()
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
