package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
)

// An admin rolls a flow back by taking an older version's text as the draft and publishing
// it, drops a draft to see the published version again, and publishing the newest version's
// text again makes no new version.
func TestRollingBackDiscardingAndPublishingNothingNew(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a := newTestAdmin(t, db, Deps{})
		builtin := flows.Builtin()
		v2src := strings.Replace(string(builtin.Source), "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1)
		v2, err := flows.Parse("skm.yaml", []byte(v2src))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []*flows.Flow{builtin, v2} {
			if _, err := db.PublishFlow(ctx, "skm", f, "ani"); err != nil {
				t.Fatal(err)
			}
		}
		versions := func(t *testing.T, want int) {
			t.Helper()
			if vs, err := db.FindFlowVersions(ctx, "skm"); err != nil || len(vs) != want {
				t.Fatalf("%d versions (%v), want %d", len(vs), err, want)
			}
		}
		draft := func(t *testing.T) (storage.FlowDraft, bool) {
			t.Helper()
			d, err := db.FindFlowDraft(ctx, "skm")
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				t.Fatal(err)
			}
			return d, err == nil
		}
		shows := func(t *testing.T, path string, want ...string) string {
			t.Helper()
			_, _, body := a.get(path)
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("%s lacks %q", path, w)
				}
			}
			return body
		}

		t.Run("publishing the newest version's text again publishes nothing", func(t *testing.T) {
			_, _, page := a.get("/admin/flows/skm") // the editor, opened on version 2
			status, loc, _ := a.post("/admin/flows/skm", url.Values{"source": {v2src}, "action": {"publish"}, "base": {bodyBase(t, page)}})
			if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=unchanged&v=2" {
				t.Fatalf("publish: %d → %q", status, loc)
			}
			versions(t, 2)
			if _, ok := draft(t); ok {
				t.Error("the draft of the unchanged text is kept")
			}
			shows(t, loc, "Tidak ada perubahan dari versi 2; tidak diterbitkan.")
		})
		t.Run("with no draft, an older version is taken as the draft unasked", func(t *testing.T) {
			body := shows(t, "/admin/flows/skm/v/1", "Pakai versi ini sebagai draf")
			if regexp.MustCompile(`id="use-version" data-confirm`).MatchString(body) {
				t.Error("the button asks though there is no draft")
			}
		})
		if err := db.SaveFlowDraft(ctx, "skm", v2src+"# draf budi\n", "budi"); err != nil {
			t.Fatal(err)
		}
		budi, _ := draft(t)
		t.Run("over a draft with other text, the button asks first", func(t *testing.T) {
			body := shows(t, "/admin/flows/skm/v/1", fmt.Sprintf(`name="base" value="%s"`, storage.DraftSum(budi.Source)))
			if !regexp.MustCompile(`id="use-version" data-confirm="Draf yang ada \(disimpan oleh budi, [^"]*\) akan diganti dengan teks versi 1\.`).MatchString(body) {
				t.Error("the button does not ask before replacing budi's draft")
			}
		})
		t.Run("a draft saved after the version page was drawn is not replaced", func(t *testing.T) {
			// Drawn with no draft (base ""), or with another draft: the text decides, not
			// the time, so a save in the same millisecond is told apart too.
			for _, base := range []string{"", storage.DraftSum(v2src + "# draf lama\n")} {
				status, _, body := a.post("/admin/flows/skm/v/1/draft", url.Values{"base": {base}})
				if d, _ := draft(t); status != http.StatusConflict || d.Source != budi.Source || !strings.Contains(body, "Draf itu belum diganti") {
					t.Errorf("base %q: %d, draft by %s", base, status, d.UpdatedBy)
				}
			}
		})
		t.Run("a draft saved again in the same millisecond is not replaced", func(t *testing.T) {
			now := db.Now
			defer func() { db.Now = now }()
			db.Now = func() time.Time { return time.UnixMilli(budi.UpdatedAt) }
			if err := db.SaveFlowDraft(ctx, "skm", v2src+"# draf ani\n", "ani"); err != nil {
				t.Fatal(err)
			}
			status, _, _ := a.post("/admin/flows/skm/v/1/draft", url.Values{"base": {storage.DraftSum(budi.Source)}})
			if d, _ := draft(t); status != http.StatusConflict || d.UpdatedBy != "ani" {
				t.Errorf("%d, draft by %s", status, d.UpdatedBy)
			}
			if err := db.SaveFlowDraft(ctx, "skm", budi.Source, "budi"); err != nil { // as it was
				t.Fatal(err)
			}
		})
		t.Run("version 1 becomes the draft, which the editor shows to publish as version 3", func(t *testing.T) {
			status, loc, _ := a.post("/admin/flows/skm/v/1/draft", url.Values{"base": {storage.DraftSum(budi.Source)}})
			if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=version-draft&v=1" {
				t.Fatalf("use version 1: %d → %q", status, loc)
			}
			v1, _ := db.FindFlowVersion(ctx, "skm", 1)
			if d, _ := draft(t); d.Source != v1.Source || d.UpdatedBy != "prov" {
				t.Fatalf("the draft is not version 1's text (by %s)", d.UpdatedBy)
			}
			body := shows(t, loc, "Teks versi 1 kini menjadi draf", `id="discard-draft"`)
			if strings.Contains(body, "Jawa Timur") {
				t.Error("the editor shows version 2's text")
			}
			status, loc, _ = a.post("/admin/flows/skm", url.Values{"source": {v1.Source}, "action": {"publish"}})
			if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=published&v=3" {
				t.Fatalf("publish: %d → %q", status, loc)
			}
			v3, err := db.FindLatestFlow(ctx, "skm")
			want, _ := builtin.WithVersion(3)
			if err != nil || v3.Version != 3 || v3.Source != string(want.Source) {
				t.Errorf("v%d is not version 1's text renumbered (%v)", v3.Version, err)
			}
		})
		t.Run("a draft is discarded and the editor shows the published version", func(t *testing.T) {
			mine := v2src + "# coba\n"
			if err := db.SaveFlowDraft(ctx, "skm", mine, "prov"); err != nil {
				t.Fatal(err)
			}
			shows(t, "/admin/flows/skm", `id="discard-draft"`, "Buang draf ini?")
			status, _, body := a.post("/admin/flows/skm/draft/delete", url.Values{"drawn": {v2src + "# teks lain\n"}})
			if d, _ := draft(t); status != http.StatusConflict || d.Source != mine || !strings.Contains(body, "Draf tidak dibuang") {
				t.Errorf("discarding a draft the page did not show: %d", status)
			}
			status, loc, _ := a.post("/admin/flows/skm/draft/delete", url.Values{"drawn": {strings.ReplaceAll(mine, "\n", "\r\n")}})
			if status != http.StatusSeeOther || loc != "/admin/flows/skm?ok=discarded" {
				t.Fatalf("discard: %d → %q", status, loc)
			}
			if _, ok := draft(t); ok {
				t.Error("the draft is still there")
			}
			body = shows(t, loc, "Draf dibuang.")
			if strings.Contains(body, "Jawa Timur") || strings.Contains(body, `id="discard-draft"`) {
				t.Error("the editor does not show the published version 3 alone")
			}
			versions(t, 3)
		})
		t.Run("a draft discarded since the version page was drawn is no conflict", func(t *testing.T) {
			status, loc, _ := a.post("/admin/flows/skm/v/2/draft", url.Values{"base": {storage.DraftSum(v2src + "# coba\n")}})
			stored, _ := db.FindFlowVersion(ctx, "skm", 2)
			if d, _ := draft(t); status != http.StatusSeeOther || d.Source != stored.Source {
				t.Errorf("use version 2 with no draft left: %d → %q", status, loc)
			}
		})
		t.Run("a flow that was only a draft leads to the list once discarded", func(t *testing.T) {
			src := strings.Replace(string(builtin.Source), "id: skm\n", "id: baru\n", 1)
			if err := db.SaveFlowDraft(ctx, "baru", src, "api"); err != nil {
				t.Fatal(err)
			}
			if status, loc, _ := a.post("/admin/flows/baru/draft/delete", url.Values{"drawn": {src}}); status != http.StatusSeeOther || loc != "/admin/flows?ok=deleted" {
				t.Errorf("discard: %d → %q", status, loc)
			}
		})
	})
}
