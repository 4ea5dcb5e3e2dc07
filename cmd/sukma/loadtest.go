package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// loadtest is one run of `sukma loadtest`: simulated citizens answering the built-in survey
// against running Sukma servers, through a fake Telegram Bot API or the web chat.
type loadtest struct {
	urls          []string
	adminToken    string
	webhookSecret string
	mode          string
	unit          string
	citizens      int
	surveys       int
	duration      time.Duration
	replyTimeout  time.Duration
	think         time.Duration
	invalid       float64
	databaseURL   string
	allowResend   int
	cpuProfile    string
	memProfile    string
	allowRemote   bool // --url and --api-addr may leave the machine

	client     *http.Client
	fake       *loadFake
	mu         sync.Mutex
	nextUpdate int
	turn       atomic.Int64
	retries    atomic.Int64
}

const loadUsage = `Penggunaan: sukma loadtest [--url URL[,URL…]] [--mode polling|webhook|web] [--citizens N]
  [--surveys K | --duration D] [--think T] [--admin-token T] [--webhook-secret S] [--database-url URL] [--serve]

Simulated citizens answer the built-in survey against running sukma servers, as fast as the bot
replies, with some invalid answers; then the tool checks that every survey is stored complete
exactly once. In the Telegram modes it serves a fake Bot API on a loopback address: start the
server with SUKMA_TELEGRAM_API_ENDPOINT set to the endpoint it prints (and SUKMA_TELEGRAM_TOKEN
to --telegram-token), or let --serve start one. Exit 1 if any survey failed or was not stored
exactly once.

The tool and the servers stay on one machine unless --allow-remote is given; then --url may
name other machines and --api-addr must be the tool's own address as the servers reach it.
Never aim it at a production server: its surveys are stored as real ones.

`

// runLoadtest is `sukma loadtest`.
func runLoadtest(ctx context.Context, args []string, io stdio) int {
	if os.Getenv("SUKMA_LOADTEST_SERVER") == "1" {
		return serveForLoad(ctx, io) // the child of --serve
	}
	fs := flag.NewFlagSet("sukma loadtest", flag.ContinueOnError)
	fs.SetOutput(io.err)
	fs.Usage = func() { fmt.Fprint(io.err, loadUsage); fs.PrintDefaults() }
	lt := &loadtest{}
	urls := fs.String("url", "http://127.0.0.1:8080", "servers, comma-separated (webhook mode spreads updates over them; name each replica, not a proxy in front of them, for the CPU line to add them up)")
	fs.StringVar(&lt.adminToken, "admin-token", os.Getenv("SUKMA_ADMIN_TOKEN"), "bearer token of the JSON API (default $SUKMA_ADMIN_TOKEN)")
	fs.StringVar(&lt.webhookSecret, "webhook-secret", os.Getenv("SUKMA_TELEGRAM_WEBHOOK_SECRET"), "webhook secret (default $SUKMA_TELEGRAM_WEBHOOK_SECRET)")
	fs.StringVar(&lt.mode, "mode", "polling", "polling, webhook or web")
	fs.StringVar(&lt.unit, "unit", "DEMO", "unit code of the visits")
	fs.IntVar(&lt.citizens, "citizens", 10, "citizens at once (at most 10000)")
	fs.IntVar(&lt.surveys, "surveys", 1, "surveys per citizen (at most 1000)")
	fs.DurationVar(&lt.duration, "duration", 0, "start new surveys until this has passed, instead of --surveys")
	fs.DurationVar(&lt.replyTimeout, "reply-timeout", 30*time.Second, "longest wait for a reply")
	fs.DurationVar(&lt.think, "think", 0, "mean pause before each answer (0: answer at once, to find the ceiling)")
	fs.Float64Var(&lt.invalid, "invalid", 0.1, "share of questions first answered wrongly")
	fs.StringVar(&lt.databaseURL, "database-url", "", "check the stored responses in this database (read only)")
	fs.IntVar(&lt.allowResend, "allow-resend", 0, "messages a killed replica may have sent twice (at most its dispatcher's 32 in flight)")
	token := fs.String("telegram-token", envOr("SUKMA_TELEGRAM_TOKEN", "123:load"), "bot token the server uses")
	apiAddr := fs.String("api-addr", "127.0.0.1:0", "address of the fake Bot API: loopback, or with --allow-remote the one the servers reach")
	fs.BoolVar(&lt.allowRemote, "allow-remote", false, "allow --url and --api-addr off this machine (the tool on a machine of its own)")
	serve := fs.Bool("serve", false, "start sukma serve as a child process, with Telegram's flood limits lifted")
	fs.StringVar(&lt.cpuProfile, "cpuprofile", "", "with --serve: write the server's CPU profile (pprof) to this file")
	fs.StringVar(&lt.memProfile, "memprofile", "", "with --serve: write the server's allocations (pprof) to this file when it stops")
	toolProfile := fs.String("tool-cpuprofile", "", "write the CPU profile (pprof) of the tool itself, its fake Bot API and citizens, over the run")
	wait := fs.Duration("wait", 2*time.Minute, "longest wait for the server to come up")
	timeout := fs.Duration("timeout", 15*time.Minute, "the run stops after this, whatever happens")
	if code, done := parseFlags(fs, args); done {
		return code
	}
	if extraArgs(fs) {
		return 2
	}
	lt.urls = splitURLs(*urls)
	if *serve {
		for _, s := range []*string{&lt.adminToken, &lt.webhookSecret} {
			if *s == "" {
				*s = rand.Text()
			}
		}
	}
	if err := lt.check(*apiAddr); err != nil {
		fmt.Fprintf(io.err, "sukma loadtest: %v\n", err)
		return 2
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	lt.client = &http.Client{Timeout: lt.replyTimeout, Transport: &http.Transport{MaxIdleConnsPerHost: lt.citizens + 10}}
	defer lt.client.CloseIdleConnections()

	if lt.mode != "web" {
		fake, err := startLoadFake(*token, *apiAddr)
		if err != nil {
			fmt.Fprintf(io.err, "sukma loadtest: fake Bot API: %v\n", err)
			return 1
		}
		defer fake.Close()
		lt.fake = fake
		lt.nextUpdate = int(time.Now().UnixMilli() * 100) // never an id of an earlier run
		fmt.Fprintf(io.out, "SUKMA_TELEGRAM_API_ENDPOINT=%s\n", fake.endpoint)
	}
	if *serve {
		stop, err := lt.startServer(ctx, *token, io)
		if err != nil {
			fmt.Fprintf(io.err, "sukma loadtest: --serve: %v\n", err)
			return 1
		}
		defer stop()
	}
	if err := lt.waitReady(ctx, *wait); err != nil {
		fmt.Fprintf(io.err, "sukma loadtest: %v\n", err)
		return 1
	}
	before, err := lt.respondents(ctx)
	if err != nil {
		fmt.Fprintf(io.err, "sukma loadtest: %v\n", err)
		return 1
	}
	fmt.Fprintf(io.out, "%s: %d citizens against %s\n", lt.mode, lt.citizens, strings.Join(lt.urls, ", "))
	if *toolProfile != "" {
		stop, err := startCPUProfile(*toolProfile)
		if err != nil {
			fmt.Fprintf(io.err, "sukma loadtest: --tool-cpuprofile: %v\n", err)
			return 1
		}
		defer stop()
	}
	cpuBefore := lt.cpuNow(ctx)
	res := lt.run(ctx)
	res.cpu = lt.cpuNow(ctx).since(cpuBefore)
	res.verify = lt.verify(ctx, res, before)
	res.print(io.out)
	if res.failed() {
		return 1
	}
	return 0
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// check refuses settings that would not stop by themselves or would leave the machine.
func (lt *loadtest) check(apiAddr string) error {
	switch {
	case lt.mode != "polling" && lt.mode != "webhook" && lt.mode != "web":
		return fmt.Errorf("--mode %q: want polling, webhook or web", lt.mode)
	case lt.citizens < 1 || lt.citizens > 10000:
		return fmt.Errorf("--citizens %d: want 1 to 10000", lt.citizens)
	case lt.surveys < 1 || lt.surveys > 1000:
		return fmt.Errorf("--surveys %d: want 1 to 1000", lt.surveys)
	case lt.duration < 0 || lt.duration > time.Hour:
		return fmt.Errorf("--duration %s: want at most an hour", lt.duration)
	case lt.think < 0 || lt.think > time.Minute:
		return fmt.Errorf("--think %s: want 0 to a minute", lt.think)
	case lt.invalid < 0 || lt.invalid > 0.5:
		return fmt.Errorf("--invalid %g: want 0 to 0.5", lt.invalid)
	case lt.mode == "webhook" && lt.webhookSecret == "":
		return errors.New("--mode webhook needs --webhook-secret (or SUKMA_TELEGRAM_WEBHOOK_SECRET)")
	case lt.adminToken == "":
		return errors.New("needs --admin-token (or SUKMA_ADMIN_TOKEN)")
	}
	host, _, err := net.SplitHostPort(apiAddr)
	ip := net.ParseIP(host)
	switch {
	case err != nil:
		return fmt.Errorf("--api-addr %q: want host:port, such as 127.0.0.1:0", apiAddr)
	case lt.allowRemote && (host == "" || ip != nil && ip.IsUnspecified()):
		// The printed endpoint is this address: the servers must be able to reach it.
		return fmt.Errorf("--api-addr %q: want the address the servers reach this machine at, such as 10.0.0.5:9000", apiAddr)
	case !lt.allowRemote && !loopback(host):
		return fmt.Errorf("--api-addr %q: want a loopback address such as 127.0.0.1:0 (or --allow-remote)", apiAddr)
	}
	for _, u := range lt.urls {
		p, err := url.Parse(u)
		switch {
		case err != nil || p.Host == "" || !(p.Scheme == "http" || lt.allowRemote && p.Scheme == "https"):
			return fmt.Errorf("--url %q: want http://HOST:PORT", u)
		case !lt.allowRemote && !loopback(p.Hostname()):
			return fmt.Errorf("--url %q: want a loopback address (or --allow-remote)", u)
		}
	}
	return nil
}

// splitURLs reads --url: servers separated by commas, each without its trailing slash (the
// tool adds paths to them).
func splitURLs(list string) []string {
	var urls []string
	for u := range strings.SplitSeq(list, ",") {
		urls = append(urls, strings.TrimRight(strings.TrimSpace(u), "/"))
	}
	return urls
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || (ip != nil && ip.IsLoopback())
}

// waitReady waits until every server answers /healthz and, in the Telegram modes, one of
// them polls the fake Bot API or registered its webhook.
func (lt *loadtest) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for _, u := range lt.urls {
		for {
			resp, err := lt.client.Get(u + "/healthz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return fmt.Errorf("%s/healthz did not answer within %s", u, limit)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if lt.fake == nil {
		return nil
	}
	select {
	case <-lt.fake.ready:
		return nil
	case <-time.After(time.Until(deadline)):
		return fmt.Errorf("no server called the fake Bot API within %s: is SUKMA_TELEGRAM_API_ENDPOINT set to the endpoint printed above?", limit)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// loadResult is what a run measured.
type loadResult struct {
	mode     string
	citizens int
	elapsed  time.Duration
	lat      []time.Duration
	messages int
	answers  int
	tokens   []string
	errors   []string
	retries  int64
	stray    int64
	// resent are messages received twice in a row; allowResend of them pass.
	resent, allowResend int
	verify              error
	verified            string
	cpu                 cpuUse
}

// run lets every citizen answer until done, and gathers what they measured.
func (lt *loadtest) run(ctx context.Context) *loadResult {
	chatBase := time.Now().UnixMilli() * 10 // never a chat of an earlier run
	cs := make([]*citizen, lt.citizens)
	for i := range cs {
		cs[i] = &citizen{chat: chatBase + int64(i), rng: mrand.New(mrand.NewPCG(uint64(chatBase), uint64(i)))}
		if lt.fake != nil {
			cs[i].inbox = lt.fake.chat(cs[i].chat)
		}
	}
	began := time.Now()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Go(func() {
			for n := 0; ctx.Err() == nil; n++ {
				if lt.duration > 0 && time.Since(began) >= lt.duration || lt.duration == 0 && n >= lt.surveys {
					return
				}
				if err := lt.survey(ctx, c); err != nil {
					c.errors = append(c.errors, fmt.Sprintf("chat %d: %v", c.chat, err))
					return // its chat is in an unknown state
				}
			}
		})
	}
	wg.Wait()
	res := &loadResult{mode: lt.mode, citizens: lt.citizens, elapsed: time.Since(began), retries: lt.retries.Load(), allowResend: lt.allowResend}
	for _, c := range cs {
		res.lat = append(res.lat, c.lat...)
		res.messages += c.messages
		res.answers += c.answers
		res.tokens = append(res.tokens, c.tokens...)
		res.errors = append(res.errors, c.errors...)
		res.resent += c.resent
	}
	if lt.fake != nil {
		// A message sent twice arrives after its citizen moved on: give it time to show.
		time.Sleep(500 * time.Millisecond)
		res.stray = lt.fake.stray.Load()
		for _, c := range cs {
			if len(c.errors) == 0 { // a citizen that gave up may have left replies unread
				res.stray += int64(len(c.inbox))
			}
		}
	}
	slices.Sort(res.lat)
	return res
}
