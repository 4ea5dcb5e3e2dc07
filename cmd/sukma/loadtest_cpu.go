package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// cpuUse is the CPU time the servers and the tool itself spent over a run: where a message's
// cost goes, PostgreSQL's aside (it is read on its own machine). On one machine the tool's
// share (its citizens, and the fake Bot API that stands for Telegram) is the harness's, which
// in production runs elsewhere.
type cpuUse struct {
	servers time.Duration
	tool    time.Duration
	// serversKnown is false when a server's /metrics did not say (an older build, or a
	// proxy in front that does not pass it).
	serversKnown, toolKnown bool
}

// cpuNow reads the CPU time the servers (process_cpu_seconds_total of each /metrics) and this
// process have used so far. A server listed twice (to send it twice the updates) counts once;
// a proxy in front of several replicas answers for one of them, which the tool cannot tell.
func (lt *loadtest) cpuNow(ctx context.Context) cpuUse {
	u := cpuUse{serversKnown: true}
	read := map[string]bool{}
	for _, base := range lt.urls {
		if read[base] {
			continue
		}
		read[base] = true
		secs, err := lt.processCPU(ctx, base+"/metrics")
		if err != nil {
			u.serversKnown = false
			break
		}
		u.servers += time.Duration(secs * float64(time.Second))
	}
	u.tool, u.toolKnown = ownCPU()
	return u
}

// since is the CPU used between before and u.
func (u cpuUse) since(before cpuUse) cpuUse {
	return cpuUse{servers: u.servers - before.servers, tool: u.tool - before.tool,
		serversKnown: u.serversKnown && before.serversKnown, toolKnown: u.toolKnown && before.toolKnown}
}

// processCPU reads process_cpu_seconds_total from a Prometheus text exposition.
func (lt *loadtest) processCPU(ctx context.Context, url string) (float64, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := lt.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("GET %s = %d", url, resp.StatusCode)
	}
	return parseProcessCPU(resp.Body)
}

// parseProcessCPU finds the value of process_cpu_seconds_total in a metrics page.
func parseProcessCPU(r io.Reader) (float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "process_cpu_seconds_total "); ok {
			return strconv.ParseFloat(strings.TrimSpace(v), 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no process_cpu_seconds_total")
}

// perMessage says the CPU a message of the servers and the tool, or nothing it does not know.
func (u cpuUse) perMessage(messages int) string {
	if messages == 0 || !u.serversKnown && !u.toolKnown {
		return ""
	}
	each := func(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()/int64(messages)) }
	var parts []string
	if u.serversKnown {
		parts = append(parts, "servers "+each(u.servers))
	}
	if u.toolKnown {
		parts = append(parts, "this tool "+each(u.tool))
	}
	return "CPU a message: " + strings.Join(parts, ", ") + " (the database's own is not counted)"
}
