package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"sukma/bot/telegram/telegramtest"
	"sukma/storage/storagetest"
)

// init lets a test start this test binary as `sukma serve` with Telegram's flood limits
// lifted, as `sukma loadtest --serve` does, so that replicas answer a fake Bot API at full
// speed.
func init() {
	if os.Getenv("SUKMA_TEST_RUN_LOADSERVER") == "1" {
		ctx, _ := signal.NotifyContext(context.Background(), shutdownSignals...)
		os.Exit(serveForLoad(ctx, stdio{os.Stdin, os.Stdout, os.Stderr}))
	}
}

// replica starts one `sukma serve` child process on the Bot API at endpoint and waits until
// /healthz answers.
func replica(t *testing.T, databaseURL, addr, endpoint, mode string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SUKMA_TEST_RUN_LOADSERVER=1", "SUKMA_DATABASE_URL="+databaseURL,
		"SUKMA_HTTP_ADDR="+addr, "SUKMA_PUBLIC_URL=http://"+addr, "SUKMA_ADMIN_TOKEN=replica-test-token", "SUKMA_LOG_LEVEL=error",
		"SUKMA_TELEGRAM_TOKEN=123:load", "SUKMA_TELEGRAM_API_ENDPOINT="+endpoint,
		"SUKMA_TELEGRAM_MODE="+mode, "SUKMA_TELEGRAM_WEBHOOK_SECRET=replica-secret")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitUntil(t, "replica on "+addr+" healthy", func() bool {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	return cmd
}

func TestTwoReplicasOnOnePostgreSQL(t *testing.T) {
	t.Run("share webhook load, and a replica killed mid-load loses and doubles no survey", func(t *testing.T) {
		dbURL := storagetest.PostgresURL(t)
		a, b := freeAddr(t), freeAddr(t)
		found := make(chan string, 1)
		out := &lineWatch{prefix: "SUKMA_TELEGRAM_API_ENDPOINT=", found: found}
		errs := &lineWatch{}
		code := make(chan int, 1)
		go func() {
			// A message the killed replica sent but had not yet recorded as sent goes out
			// again from the survivor: at most the 32 its dispatcher has in flight.
			code <- runLoadtest(context.Background(), []string{"--url", "http://" + a + ",http://" + b, "--mode", "webhook",
				"--citizens", "20", "--surveys", "3", "--admin-token", "replica-test-token", "--webhook-secret", "replica-secret",
				"--database-url", dbURL, "--reply-timeout", "45s", "--wait", "30s", "--timeout", "90s", "--allow-resend", "32"},
				stdio{nil, out, errs})
		}()
		endpoint := <-found
		replica(t, dbURL, a, endpoint, "webhook") // the first start creates the schema
		victim := replica(t, dbURL, b, endpoint, "webhook")

		waitUntil(t, "the load to begin", func() bool { return strings.Contains(out.String(), "citizens against") })
		time.Sleep(700 * time.Millisecond)
		if err := victim.Process.Kill(); err != nil { // SIGKILL: no shutdown at all
			t.Fatal(err)
		}
		victim.Wait()
		killed := time.Now()

		select {
		case c := <-code:
			report := out.String()
			if c != 0 || !strings.Contains(report, "ok: 60 surveys stored complete exactly once, with their scores") {
				t.Fatalf("loadtest exited %d:\n%s%s", c, report, errs)
			}
			retries := regexp.MustCompile(`webhook retries (\d+)`).FindStringSubmatch(report)
			if n, _ := strconv.Atoi(retries[1]); n == 0 {
				t.Errorf("no webhook request failed over to the survivor: the replica died after the load\n%s", report)
			}
			t.Logf("finished %s after the kill\n%s", time.Since(killed).Round(time.Millisecond), report)
		case <-time.After(90 * time.Second):
			t.Fatalf("loadtest did not stop:\n%s", out)
		}
	})

	t.Run("one replica long-polls; the other takes over within seconds when it dies", func(t *testing.T) {
		dbURL := storagetest.PostgresURL(t)
		api := telegramtest.New("123:load")
		t.Cleanup(api.Close)
		first := replica(t, dbURL, freeAddr(t), api.Endpoint(), "polling")
		waitUntil(t, "the first replica to poll", func() bool { return api.Calls("getUpdates") > 0 })
		replica(t, dbURL, freeAddr(t), api.Endpoint(), "polling")
		time.Sleep(500 * time.Millisecond) // the second replica tries the lock and waits
		if n := api.Calls("deleteWebhook"); n != 1 {
			t.Fatalf("%d replicas started polling, want 1", n)
		}

		if err := first.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		first.Wait()
		killed := time.Now()
		// PostgreSQL ends the session lock when the dead process's connection closes; the
		// waiting replica finds it free at its next try.
		deadline := killed.Add(20 * time.Second)
		for api.Calls("deleteWebhook") < 2 {
			if time.Now().After(deadline) {
				t.Fatal("no replica took over polling within 20 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Logf("polling taken over %s after the kill", time.Since(killed).Round(time.Millisecond))
		api.Push(telegramtest.TextUpdate(77, "/start"))
		waitUntil(t, "the survivor to answer", func() bool { return len(api.Sent()) == 1 })
	})
}
