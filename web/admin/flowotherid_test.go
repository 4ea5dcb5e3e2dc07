package admin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
)

// The reviewer's sequence: in the editor of skm, id: skm becomes id: skm_rs. Periksa, Simpan
// draf, the live validation and the page drawn again all report it at the id's line and
// column, as every other problem; the draft keeps the half-done edit, but is not called
// valid, and Terbitkan and Pratinjau refuse it.
func TestAYAMLNamingAnotherFlowIsAProblemAtItsID(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		builtin := string(flows.BuiltinSource())
		at := strings.Index(builtin, "\nid: skm\n")
		if at < 0 {
			t.Fatal("the built-in flow has no line id: skm")
		}
		src := builtin[:at] + "\nid: skm_rs\n" + builtin[at+len("\nid: skm\n"):]
		line := strings.Count(builtin[:at+1], "\n") + 1
		want := fmt.Sprintf(`skm.yaml:%d:5: id di YAML harus "skm", bukan "skm_rs": mengganti id membuat alur lain`, line)
		wantEn := fmt.Sprintf(`skm.yaml:%d:5: the id in the YAML must be "skm", not "skm_rs": another id makes another flow`, line)

		for _, action := range []string{"validate", "save"} {
			status, _, body := a.post("/admin/flows/skm", url.Values{"source": {src}, "action": {action}})
			if status != http.StatusOK || !strings.Contains(body, html.EscapeString(want)) {
				t.Errorf("%s: %d, want 200 with the problem %s", action, status, want)
			}
			if calledValid(body) {
				t.Errorf("%s calls the YAML valid", action)
			}
		}
		if d, err := db.FindFlowDraft(context.Background(), "skm"); err != nil || d.Source != src {
			t.Errorf("the half-done edit is not kept as the draft: %v", err)
		}
		if _, _, body := a.get("/admin/flows/skm"); !strings.Contains(body, html.EscapeString(want)) || calledValid(body) {
			t.Error("the editor opened on the draft does not report the id, or calls it valid")
		}

		for lang, want := range map[string]string{"id": want, "en": wantEn} {
			_, _, body := a.post("/admin/flows/skm/validate?lang="+lang, url.Values{"source": {src}})
			var got struct {
				OK       bool
				Problems []string
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil || got.OK || len(got.Problems) != 1 || got.Problems[0] != want {
				t.Errorf("live validation (%s): %s, want not ok with %s", lang, body, want)
			}
		}

		for _, action := range []string{"publish", "preview"} {
			status, _, body := a.post("/admin/flows/skm?lang=id", url.Values{"source": {src}, "action": {action}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(want)) {
				t.Errorf("%s: %d, want 422 with the problem", action, status)
			}
		}
		prov, err := db.FindAdminByUsername(context.Background(), "prov")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"skm", "skm_rs", storage.PreviewFlowID("skm", prov.ID), storage.PreviewFlowID("skm_rs", prov.ID)} {
			if _, err := db.FindLatestFlow(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("flow %s was published: %v", id, err)
			}
		}
	})
}

// calledValid reports whether an editor page calls its YAML valid, in its notice or above
// its problems.
func calledValid(body string) bool {
	return strings.Contains(body, "✓ YAML valid.") || regexp.MustCompile(`<p class="notice"[^>]*>[^<]*YAML valid`).MatchString(body)
}
