package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"sukma/bot"
	"sukma/config"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// lineWatch is an io.Writer that remembers what was written and reports a line's value
// once a line starting with prefix appears.
type lineWatch struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	prefix string
	found  chan string // gets the value once
	sent   bool
}

func (w *lineWatch) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(b)
	for line := range strings.Lines(w.buf.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), w.prefix); ok && w.found != nil && !w.sent {
			w.found <- v
			w.sent = true
		}
	}
	return len(b), nil
}

func (w *lineWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestLoadtestVerifiesEverySurveyInEachMode(t *testing.T) {
	telegramLimits = bot.Limits{PerSecond: 1e6, Burst: 1e6, PerChat: 1e6, PerChatBurst: 1e6}
	t.Cleanup(func() { telegramLimits = bot.TelegramLimits })
	for _, mode := range []string{"polling", "webhook", "web"} {
		t.Run(mode+" mode: 5 citizens finish 2 surveys each, stored once", func(t *testing.T) {
			t.Parallel()
			loadApp(t, mode, freeAddr(t))
		})
	}
	t.Run("--tool-cpuprofile writes the tool's own profile", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "tool.prof")
		loadApp(t, "webhook", freeAddr(t), "--tool-cpuprofile", path)
		checkProfile(t, path)
	})
	t.Run("with --allow-remote, the tool and the server meet on a non-loopback address", func(t *testing.T) {
		t.Parallel()
		ip := outwardIP(t)
		ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		loadApp(t, "webhook", addr, "--allow-remote", "--api-addr", net.JoinHostPort(ip, "0"))
	})
}

// loadApp runs the load tool in mode against an app it starts on addr, and checks that the
// tool passes: 5 citizens, 2 surveys each.
func loadApp(t *testing.T, mode, addr string, args ...string) {
	t.Helper()
	dbURL := storagetest.SQLiteURL(t)
	found := make(chan string, 1)
	out := &lineWatch{prefix: "SUKMA_TELEGRAM_API_ENDPOINT=", found: found}
	errs := &lineWatch{}
	code := make(chan int, 1)
	go func() {
		code <- runLoadtest(context.Background(), append([]string{"--url", "http://" + addr, "--mode", mode,
			"--citizens", "5", "--surveys", "2", "--invalid", "0.2", "--admin-token", "load-test-admin-token",
			"--webhook-secret", "load-secret", "--database-url", dbURL, "--wait", "20s", "--timeout", "60s"}, args...), stdio{nil, out, errs})
	}()
	endpoint := ""
	if mode != "web" {
		select {
		case endpoint = <-found:
		case c := <-code:
			t.Fatalf("loadtest exited %d before printing the endpoint:\n%s%s", c, out, errs)
		}
	}
	startApp(t, dbURL, func(c *config.Config) {
		c.HTTPAddr, c.AdminToken, c.PublicURL = addr, "load-test-admin-token", "http://"+addr
		if endpoint != "" {
			c.TelegramToken, c.TelegramAPIEndpoint = "123:load", endpoint
			c.TelegramMode, c.TelegramWebhookSecret = mode, "load-secret"
		}
	})
	select {
	case c := <-code:
		if c != 0 || !strings.Contains(out.String(), "ok: 10 surveys stored complete exactly once, with their scores") {
			t.Errorf("loadtest exited %d:\n%s%s", c, out, errs)
		}
		if !regexp.MustCompile(`CPU a message: servers \d+ µs, this tool \d+ µs`).MatchString(out.String()) {
			t.Errorf("loadtest did not say the CPU a message:\n%s", out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("loadtest did not stop:\n%s", out)
	}
}

// outwardIP returns an address of this machine that is not a loopback one, or skips the test.
func outwardIP(t *testing.T) string {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.To4() != nil && n.IP.IsGlobalUnicast() {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no IPv4 address other than loopback")
	return ""
}

func TestLoadtestRefusesWhatWouldNotStopOrLeaveTheMachine(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://example.org:8080"},
		{"--api-addr", "0.0.0.0:9000"},
		{"--api-addr", "10.0.0.5:9000"},
		{"--allow-remote", "--api-addr", "0.0.0.0:9000"}, // not an address the servers can reach
		{"--allow-remote", "--api-addr", ":9000"},
		{"--allow-remote", "--url", "ftp://example.org"},
		{"--allow-remote", "--url", "example.org:8080"},
		{"--citizens", "0"},
		{"--citizens", "20000"},
		{"--mode", "carrier-pigeon"},
		{"--mode", "webhook"}, // no secret
	} {
		var out, errs bytes.Buffer
		if code := runLoadtest(context.Background(), append([]string{"--admin-token", "x", "--webhook-secret", ""}, args...), stdio{nil, &out, &errs}); code != 2 {
			t.Errorf("loadtest %v = %d, want 2 (%s)", args, code, errs.String())
		}
	}
}

func TestLoadtestAllowsOtherMachinesWhenAsked(t *testing.T) {
	lt := &loadtest{mode: "webhook", citizens: 1, surveys: 1, adminToken: "x", webhookSecret: "s", allowRemote: true,
		urls: []string{"http://10.0.0.7:8080", "https://sukma.example.go.id"}}
	if err := lt.check("10.0.0.5:9000"); err != nil {
		t.Errorf("with --allow-remote: %v", err)
	}
	lt.allowRemote = false
	if err := lt.check("127.0.0.1:0"); err == nil || !strings.Contains(err.Error(), "--allow-remote") {
		t.Errorf("without --allow-remote: %v, want a refusal that names the flag", err)
	}
}

func TestLoadtestFailsWhenTheSurveysAreNotStored(t *testing.T) {
	// The tool checks a database the server does not write to: none of its surveys is there.
	other := storagetest.SQLiteURL(t)
	db, err := storage.Open(context.Background(), other) // migrated, empty
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	app, base := startApp(t, storagetest.SQLiteURL(t))
	var out, errs bytes.Buffer
	code := runLoadtest(context.Background(), []string{"--url", base, "--mode", "web", "--citizens", "2",
		"--admin-token", app.Config.AdminToken, "--database-url", other, "--timeout", "30s"}, stdio{nil, &out, &errs})
	if code != 1 || !strings.Contains(out.String(), "FAILED: visit ") || !strings.Contains(out.String(), "0 complete responses, want 1") {
		t.Errorf("loadtest exited %d, want 1 with the missing survey named:\n%s%s", code, &out, &errs)
	}
}

func TestLoadServerWritesItsProfiles(t *testing.T) {
	t.Cleanup(func() { telegramLimits = bot.TelegramLimits })
	dir, addr := t.TempDir(), freeAddr(t)
	cpu, mem := filepath.Join(dir, "cpu.prof"), filepath.Join(dir, "mem.prof")
	t.Setenv("SUKMA_DATABASE_URL", storagetest.SQLiteURL(t))
	t.Setenv("SUKMA_HTTP_ADDR", addr)
	t.Setenv("SUKMA_ADMIN_TOKEN", "load-test-admin-token")
	t.Setenv("SUKMA_LOADTEST_CPUPROFILE", cpu)
	t.Setenv("SUKMA_LOADTEST_MEMPROFILE", mem)
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	var errs bytes.Buffer
	go func() { code <- serveForLoad(ctx, stdio{nil, io.Discard, &errs}) }()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server did not come up: %s", &errs)
		}
	}
	cancel()
	if c := <-code; c != 0 {
		t.Fatalf("serveForLoad = %d: %s", c, &errs)
	}
	checkProfile(t, cpu)
	checkProfile(t, mem)
}

// checkProfile fails the test unless path holds a pprof profile: a gzipped protocol buffer.
func checkProfile(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n, err := 0, error(nil)
	if z, zerr := gzip.NewReader(f); zerr != nil {
		err = zerr
	} else {
		var b []byte
		b, err = io.ReadAll(z)
		n = len(b)
	}
	if err != nil || n == 0 {
		t.Errorf("%s: not a profile (%d bytes, %v)", path, n, err)
	}
}

func TestParseProcessCPU(t *testing.T) {
	page := "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n" +
		"# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total 12.34\nprocess_max_fds 1024\n"
	if got, err := parseProcessCPU(strings.NewReader(page)); err != nil || got != 12.34 {
		t.Errorf("parseProcessCPU = %v, %v; want 12.34", got, err)
	}
	for _, bad := range []string{"", "process_cpu_seconds_total_x 1\n", "process_cpu_seconds_total many\n"} {
		if got, err := parseProcessCPU(strings.NewReader(bad)); err == nil {
			t.Errorf("parseProcessCPU(%q) = %v, want an error", bad, got)
		}
	}
	u := cpuUse{servers: 3 * time.Second, tool: time.Second, serversKnown: true, toolKnown: true}
	if got, want := u.perMessage(1000), "CPU a message: servers 3000 µs, this tool 1000 µs (the database's own is not counted)"; got != want {
		t.Errorf("perMessage = %q, want %q", got, want)
	}
	if got := (cpuUse{tool: time.Second, toolKnown: true}).perMessage(0); got != "" {
		t.Errorf("perMessage of no messages = %q, want nothing", got)
	}
}

// The servers' CPU counts each server once, however often --url lists it (to send it more of
// the updates), and a trailing slash does not make it another.
func TestLoadtestCountsTheCPUOfEachServerOnce(t *testing.T) {
	var reads sync.Map
	metrics := func(cpu string) *httptest.Server {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n, _ := reads.LoadOrStore(r.Host+r.URL.Path, new(int))
			*n.(*int)++
			io.WriteString(w, "process_cpu_seconds_total "+cpu+"\n")
		}))
		t.Cleanup(srv.Close)
		return srv
	}
	a, b := metrics("2.5"), metrics("1")
	lt := &loadtest{client: http.DefaultClient, urls: splitURLs(a.URL + "/, " + b.URL + "," + a.URL)}
	if want := []string{a.URL, b.URL, a.URL}; !slices.Equal(lt.urls, want) {
		t.Fatalf("splitURLs = %q, want %q", lt.urls, want)
	}
	u := lt.cpuNow(context.Background())
	if !u.serversKnown || u.servers != 3500*time.Millisecond {
		t.Errorf("servers' CPU = %v (known %v), want 3.5s: each server once", u.servers, u.serversKnown)
	}
	reads.Range(func(k, n any) bool {
		if *n.(*int) != 1 {
			t.Errorf("%s read %d times, want once", k, *n.(*int))
		}
		return true
	})
}
