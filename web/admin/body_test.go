package admin

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// countingReader is a request body that counts the bytes read from it.
type countingReader struct {
	left, read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	if c.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), c.left)
	for i := range p[:n] {
		p[i] = 'x'
	}
	c.left -= n
	c.read += n
	return n, nil
}

// Anyone may post to any admin path: without a session not a byte of the body is read (the
// reviewer's 40 posts of 10 MB to /admin/logout took the server from 53 MB to 1.2 GB). A
// signed-in admin's body is capped too, with a 413 as the route answers (a page, or JSON
// for the live validation), above what the flow editor's largest form needs.
func TestABodyIsReadOnlyForASessionAndCapped(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		s := New(Deps{DB: db})
		for _, route := range routes(t) {
			method, path := concrete(route)
			if method != http.MethodPost || public[route] {
				continue
			}
			body := &countingReader{left: 10 << 20}
			req := httptest.NewRequest(method, path, io.NopCloser(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, req)
			if body.read != 0 || rec.Code >= 500 || rec.Code == http.StatusOK {
				t.Errorf("%s %s without a session: %d after reading %d bytes of the body, want a refusal reading none", method, path, rec.Code, body.read)
			}
		}

		post := func(path string, form url.Values) (int, string, string) {
			t.Helper()
			form.Set("csrf", a.csrf)
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := a.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, res.Header.Get("Content-Type"), string(b)
		}
		huge := "id: f1\n# " + strings.Repeat("x", 5<<20) + "\n"
		if status, _, body := post("/admin/flows/f1", url.Values{"action": {"save"}, "source": {huge}}); status != http.StatusRequestEntityTooLarge ||
			!strings.Contains(body, "Isian formulir lebih besar dari 4 MiB") {
			t.Errorf("saving a 5 MiB flow: %d, want 413 and a page that says so", status)
		}
		status, typ, body := post("/admin/flows/f1/validate", url.Values{"source": {huge}})
		var answer struct{ Error string }
		if status != http.StatusRequestEntityTooLarge || !strings.HasPrefix(typ, "application/json") ||
			json.Unmarshal([]byte(body), &answer) != nil || !strings.Contains(answer.Error, "4 MiB") {
			t.Errorf("validating a 5 MiB flow: %d %s %s, want 413 and a JSON error", status, typ, body)
		}

		// A flow as large as the API takes (1 MiB), twice in the question form, is read.
		var src strings.Builder
		src.WriteString("id: f1\n")
		for src.Len() < 1<<20-100 {
			src.WriteString("# Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan?\n")
		}
		if status, _, _ := post("/admin/flows/f1/form", url.Values{"source": {src.String()}, "drawn": {src.String()}}); status == http.StatusRequestEntityTooLarge {
			t.Errorf("the question form of a 1 MiB flow: %d, want it read", status)
		}

		// More fields than Go reads (10,000: the question form of thousands of questions) is
		// said so, not taken for a form from elsewhere.
		many := url.Values{}
		for i := range 10001 {
			many.Set(fmt.Sprintf("q%d", i), "x")
		}
		if status, _, body := post("/admin/flows/f1/form", many); status != http.StatusRequestEntityTooLarge || !strings.Contains(body, "lebih dari 10.000 isian") {
			t.Errorf("a form of 10,001 fields: %d, want 413 and a page that says so", status)
		}
	})
}
