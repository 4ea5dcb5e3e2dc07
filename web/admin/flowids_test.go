package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
)

// Every flow the API can publish has an editor: the editor takes the ids flows.Parse takes
// (up to 64 characters), where it took 40, so that a longer flow listed under Alur led to a
// 404.
func TestEveryFlowListedHasAnEditor(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		for _, id := range []string{strings.Repeat("layanan_", 6) + "rs", "k" + strings.Repeat("x", 63)} {
			src := "id: " + id + "\nversion: 1\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n"
			f, err := flows.Parse(id+".yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.PublishFlow(context.Background(), id, f, "api"); err != nil {
				t.Fatal(err)
			}
			if _, _, body := a.get("/admin/flows"); !strings.Contains(body, `href="/admin/flows/`+id+`"`) {
				t.Errorf("the list of flows does not link %s (%d characters)", id, len(id))
			}
			for _, path := range []string{"/admin/flows/" + id, "/admin/flows/" + id + "/v/1"} {
				if status, _, body := a.get(path); status != http.StatusOK || !strings.Contains(body, "id: "+id) {
					t.Errorf("GET %s: %d, want 200 with its YAML", path, status)
				}
			}
			base := pageBase(t, a, "/admin/flows/"+id)
			if status, _, _ := a.post("/admin/flows/"+id, url.Values{"source": {src + "# disimpan\n"}, "action": {"save"}, "base": {base}}); status != http.StatusOK {
				t.Errorf("saving the draft of %s: %d, want 200", id, status)
			}
		}
		for _, id := range []string{"k" + strings.Repeat("x", 64), "1skm", "_skm", "~skm"} {
			if status, _, _ := a.get("/admin/flows/" + id); status != http.StatusNotFound {
				t.Errorf("GET /admin/flows/%s, an id no flow can have: %d, want 404", id, status)
			}
		}
	})
}
