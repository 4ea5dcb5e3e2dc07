package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"sukma/bot"
)

// respondents is the number of complete responses the server counts, over all time.
func (lt *loadtest) respondents(ctx context.Context) (int, error) {
	var r struct{ Respondents int }
	err := lt.api(ctx, "GET", "/api/v1/ikm?from=2000-01-01&to=2100-12-31", nil, &r)
	return r.Respondents, err
}

// verify checks that every survey the citizens finished is stored complete exactly once:
// in the database if --database-url was given (with its scores), else by the server's count.
func (lt *loadtest) verify(ctx context.Context, res *loadResult, before int) error {
	after, err := lt.respondents(ctx)
	if err != nil {
		return err
	}
	if after-before != len(res.tokens) {
		return fmt.Errorf("the server counts %d new complete responses, the citizens finished %d surveys", after-before, len(res.tokens))
	}
	res.verified = fmt.Sprintf("%d surveys stored complete exactly once (GET /api/v1/ikm)", len(res.tokens))
	if lt.databaseURL == "" {
		return nil
	}
	db, query, err := openReadOnly(lt.databaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	since := time.Now().Add(-res.elapsed - time.Minute).UnixMilli()
	rows, err := db.QueryContext(ctx, query, since)
	if err != nil {
		return fmt.Errorf("--database-url: %w", err)
	}
	defer rows.Close()
	stored := map[string][]string{}
	for rows.Next() {
		var token, scores string
		if err := rows.Scan(&token, &scores); err != nil {
			return fmt.Errorf("--database-url: %w", err)
		}
		stored[token] = append(stored[token], scores)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("--database-url: %w", err)
	}
	for _, t := range res.tokens {
		switch s := stored[t]; {
		case len(s) != 1:
			return fmt.Errorf("visit %s…: %d complete responses, want 1", t[:8], len(s))
		case s[0] != loadScores:
			return fmt.Errorf("visit %s…: scores %s, want %s", t[:8], s[0], loadScores)
		}
	}
	res.verified = fmt.Sprintf("%d surveys stored complete exactly once, with their scores (database)", len(res.tokens))
	return nil
}

// openReadOnly opens the database of a sukma URL without writing to it, and returns the query
// of complete visit responses finished since a time.
func openReadOnly(raw string) (*sql.DB, string, error) {
	const cols = `SELECT visit_token, CAST(u1 AS TEXT)||','||CAST(u2 AS TEXT)||','||CAST(u3 AS TEXT)||','||CAST(u4 AS TEXT)||','||CAST(u5 AS TEXT)||','||CAST(u6 AS TEXT)||','||CAST(u7 AS TEXT)||','||CAST(u8 AS TEXT)||','||CAST(u9 AS TEXT)
FROM responses WHERE status = 'complete' AND visit_token IS NOT NULL AND finished_at >= `
	switch {
	case strings.HasPrefix(raw, "sqlite:"):
		path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "//")
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(10000)")
		return db, cols + "?", err
	case strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://"):
		u := raw + "&default_transaction_read_only=on"
		if !strings.Contains(raw, "?") {
			u = raw + "?default_transaction_read_only=on"
		}
		db, err := sql.Open("postgres", u)
		return db, cols + "$1", err
	}
	return nil, "", fmt.Errorf("--database-url %q: want sqlite:PATH or postgres://…", raw)
}

func (r *loadResult) failed() bool {
	return len(r.errors) > 0 || r.stray > 0 || r.resent > r.allowResend || r.verify != nil
}

// print writes the report.
func (r *loadResult) print(w io.Writer) {
	secs := r.elapsed.Seconds()
	pct := func(p float64) time.Duration {
		if len(r.lat) == 0 {
			return 0
		}
		return r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))]
	}
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "%d messages, %d answers, %d surveys in %.1f s\n", r.messages, r.answers, len(r.tokens), secs)
	fmt.Fprintf(w, "messages/s %.0f  answers/s %.0f  surveys/s %.1f\n", float64(r.messages)/secs, float64(r.answers)/secs, float64(len(r.tokens))/secs)
	if len(r.lat) > 0 {
		fmt.Fprintf(w, "reply latency p50 %s  p95 %s  p99 %s  max %s\n", ms(pct(0.50)), ms(pct(0.95)), ms(pct(0.99)), ms(r.lat[len(r.lat)-1]))
	}
	if cpu := r.cpu.perMessage(r.messages); cpu != "" {
		fmt.Fprintln(w, cpu)
	}
	fmt.Fprintf(w, "errors %d  webhook retries %d  unexpected messages %d  sent twice %d\n", len(r.errors), r.retries, r.stray, r.resent)
	for i, e := range r.errors {
		if i == 5 {
			fmt.Fprintf(w, "  … and %d more\n", len(r.errors)-5)
			break
		}
		fmt.Fprintf(w, "  %s\n", e)
	}
	if r.verify != nil {
		fmt.Fprintf(w, "FAILED: %v\n", r.verify)
	} else if r.failed() {
		fmt.Fprintf(w, "FAILED: %s, but the run had errors\n", r.verified)
	} else {
		fmt.Fprintf(w, "ok: %s\n", r.verified)
	}
}

// startServer starts `sukma serve` as a child process of this binary, on a free loopback
// port, with the fake Bot API and Telegram's flood limits lifted; stop ends it.
func (lt *loadtest) startServer(ctx context.Context, token string, io stdio) (stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	dir, err := os.MkdirTemp("", "sukma-loadtest-")
	if err != nil {
		return nil, err
	}
	dbURL := lt.databaseURL
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(dir, "sukma.db")
		lt.databaseURL = dbURL
	}
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, "loadtest")
	cmd.Env = append(os.Environ(), "SUKMA_LOADTEST_SERVER=1", "SUKMA_DATABASE_URL="+dbURL, "SUKMA_HTTP_ADDR="+addr,
		"SUKMA_PUBLIC_URL=http://"+addr, "SUKMA_ADMIN_TOKEN="+lt.adminToken, "SUKMA_LOG_LEVEL=warn",
		"SUKMA_LOADTEST_CPUPROFILE="+lt.cpuProfile, "SUKMA_LOADTEST_MEMPROFILE="+lt.memProfile)
	if lt.fake != nil {
		mode := lt.mode
		cmd.Env = append(cmd.Env, "SUKMA_TELEGRAM_TOKEN="+token, "SUKMA_TELEGRAM_API_ENDPOINT="+lt.fake.endpoint,
			"SUKMA_TELEGRAM_MODE="+mode, "SUKMA_TELEGRAM_WEBHOOK_SECRET="+lt.webhookSecret)
	}
	cmd.Stdout, cmd.Stderr = io.err, io.err
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	lt.urls = []string{"http://" + addr}
	fmt.Fprintf(io.out, "started sukma serve (pid %d) on %s with %s\n", cmd.Process.Pid, addr, redactURL(dbURL))
	return func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		os.RemoveAll(dir)
	}, nil
}

func redactURL(u string) string {
	if i, j := strings.Index(u, "://"), strings.LastIndex(u, "@"); i >= 0 && j > i {
		return u[:i+3] + "…" + u[j:]
	}
	return u
}

// serveForLoad is `sukma serve` for --serve: as fast as the machine goes, since Telegram's
// flood limits (25 messages a second) would measure Telegram, not Sukma.
func serveForLoad(ctx context.Context, io stdio) int {
	telegramLimits = bot.Limits{PerSecond: 1e6, Burst: 1e6, PerChat: 1e6, PerChatBurst: 1e6}
	if path := os.Getenv("SUKMA_LOADTEST_CPUPROFILE"); path != "" {
		stop, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(io.err, "sukma loadtest: --cpuprofile: %v\n", err)
			return 1
		}
		defer stop()
	}
	if path := os.Getenv("SUKMA_LOADTEST_MEMPROFILE"); path != "" {
		defer func() {
			f, err := os.Create(path)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
			if err != nil {
				fmt.Fprintf(io.err, "sukma loadtest: --memprofile: %v\n", err)
			}
		}()
	}
	return runServe(ctx, nil, io)
}

// startCPUProfile writes this process's CPU profile to path until stop is called.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
