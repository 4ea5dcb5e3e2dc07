package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// TestMain lets a test start this test binary as a real `sukma serve` process, to kill it.
func TestMain(m *testing.M) {
	if os.Getenv("SUKMA_TEST_RUN_SERVE") == "1" {
		os.Exit(run(context.Background(), []string{"serve"}, stdio{os.Stdin, os.Stdout, os.Stderr}))
	}
	os.Exit(m.Run())
}

// serveProcess starts `sukma serve` as a child process and waits until /healthz answers.
func serveProcess(t *testing.T, databaseURL, addr string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "SUKMA_TEST_RUN_SERVE=1", "SUKMA_DATABASE_URL="+databaseURL,
		"SUKMA_HTTP_ADDR="+addr, "SUKMA_ADMIN_TOKEN=crash-test-token", "SUKMA_LOG_LEVEL=warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("sukma serve did not become healthy in 30 s")
	return nil
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestKillingTheServerMidSurveyLosesNothing(t *testing.T) {
	for name, url := range map[string]func(testing.TB) string{"sqlite": storagetest.SQLiteURL, "postgres": storagetest.PostgresURL} {
		t.Run(name, func(t *testing.T) {
			dbURL, addr := url(t), freeAddr(t)
			server := serveProcess(t, dbURL, addr)
			c := &client{t: t, base: "http://" + addr, token: "crash-test-token"}
			token := c.newVisit()
			c.do("GET", "/s/"+token+"/messages", nil, false)
			for _, a := range surveyAnswers[:6] {
				c.say(token, a)
			}

			if err := server.Process.Kill(); err != nil { // SIGKILL: no shutdown at all
				t.Fatal(err)
			}
			server.Wait()
			serveProcess(t, dbURL, addr)

			_, body := c.do("GET", "/s/"+token+"/messages", nil, false)
			var transcript chatReplies
			json.Unmarshal(body, &transcript)
			lastAsked := transcript.Replies[len(transcript.Replies)-1].Text
			if !strings.Contains(lastAsked, "cepat") { // the 7th question, U3
				t.Fatalf("after the restart the chat stands at %q, want the question about speed (U3)", lastAsked)
			}
			for _, a := range surveyAnswers[6:] {
				c.say(token, a)
			}

			db, err := storage.Open(context.Background(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var scores string
			var n int
			db.Get(&n, "SELECT COUNT(*) FROM responses")
			err = db.QueryRowx(`SELECT u1||','||u2||','||u3||','||u4||','||u5||','||u6||','||u7||','||u8||','||u9 FROM responses WHERE status = 'complete'`).Scan(&scores)
			if err != nil || n != 1 {
				t.Fatalf("%d responses (%v)", n, err)
			}
			if want := "4,3,2,3,4,4,3,4,3"; scores != want {
				t.Errorf("scores %s, want %s", scores, want)
			}
		})
	}
}
