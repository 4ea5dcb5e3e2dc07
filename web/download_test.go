package web

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A large export to a client that reads slowly but steadily is sent whole, though it takes
// longer than the server's write timeout: that timeout bounds one write of a download, not
// the download.
func TestASlowClientGetsTheWholeExport(t *testing.T) {
	db := storagetest.SQLite(t)
	unit, err := db.CreateUnit(t.Context(), storage.NewUnit{Code: "BIG", Name: "Unit Besar"})
	if err != nil {
		t.Fatal(err)
	}
	const rows = 500
	saran := strings.Repeat("Antrean perlu dipercepat. ", 800) // 20 KB: about 10 MB in all
	rs := make([]exportResp, rows)
	for i := range rs {
		rs[i] = exportResp{unit, nil, "2026-01-05T02:30:00Z", storage.ResponseComplete, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, "", nil, saran}
	}
	exportStore(t, db, rs)

	srv := &http.Server{Handler: exportServer(t, db), WriteTimeout: 300 * time.Millisecond}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET /api/v1/responses.csv?unit=BIG&from=2026-01-01&to=2026-01-31 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	read := 0
	resp, err := http.ReadResponse(bufio.NewReader(slowReader{conn, &read}), nil)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	body, err := io.ReadAll(resp.Body)
	took := time.Since(began)
	if err != nil {
		t.Fatalf("after %v and %d bytes: %v", took, len(body), err)
	}
	if n := bytes.Count(body, []byte("\n")); n != rows+1 || took < 300*time.Millisecond {
		t.Errorf("%d lines in %v, want %d (the header and every row) in more than the write timeout", n, took, rows+1)
	}
}

// slowReader pauses 20 ms after every 256 KB it reads: about 10 MB a second at most.
type slowReader struct {
	r    io.Reader
	read *int
}

func (s slowReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if *s.read/(256<<10) != (*s.read+n)/(256<<10) {
		time.Sleep(20 * time.Millisecond)
	}
	*s.read += n
	return n, err
}
