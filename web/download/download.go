// Package download sends long files (exports) to clients that may be slow.
package download

import (
	"io"
	"net/http"
	"time"
)

// idle is how long one write of a download may take: a client that stopped reading is cut
// off after it, one that reads however slowly gets the whole file.
const idle = 2 * time.Minute

// Writer is w for a download: every write gets a deadline of its own, instead of the
// server's one write timeout for the whole response, which cut a slow client's large
// export off in the middle.
func Writer(w http.ResponseWriter) io.Writer {
	return writer{w: w, rc: http.NewResponseController(w)}
}

type writer struct {
	w  io.Writer
	rc *http.ResponseController
}

func (d writer) Write(p []byte) (int, error) {
	d.rc.SetWriteDeadline(time.Now().Add(idle)) // fails only where deadlines are unknown (tests)
	return d.w.Write(p)
}

// Flush sends what is buffered, as http.Flusher.
func (d writer) Flush() { d.rc.Flush() }
