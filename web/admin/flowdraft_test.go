package admin

import (
	"context"
	"errors"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
)

// twoTabs is the flow editor of skm opened twice, by ani and by budi (or by one admin in two
// tabs: the page's base is what counts), at a frozen clock.
type twoTabs struct {
	ani, budi         *testAdmin
	aniBase, budiBase string
	src               string // the text both pages showed
}

// openTwice opens the editor of skm in two tabs; the tabs' bases are read from the pages.
func openTwice(t *testing.T, db *storage.DB) twoTabs {
	t.Helper()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC) // 17:00 in Jakarta
	db.Now = func() time.Time { return now }
	ani := newTestAdmin(t, db, Deps{}).as(storage.NewAdmin{Username: "ani", PasswordHash: "x", Role: storage.RoleProvince})
	budi := ani.as(storage.NewAdmin{Username: "budi", PasswordHash: "x", Role: storage.RoleProvince})
	return twoTabs{ani: ani, budi: budi, aniBase: pageBase(t, ani, "/admin/flows/skm"),
		budiBase: pageBase(t, budi, "/admin/flows/skm"), src: string(flows.BuiltinSource())}
}

var baseField = regexp.MustCompile(`name="base" value="([0-9a-f]*)"`)

// pageBase returns the base the editor page at path carries, the same in both its forms.
func pageBase(t *testing.T, a *testAdmin, path string) string {
	t.Helper()
	_, _, body := a.get(path)
	return bodyBase(t, body)
}

func bodyBase(t *testing.T, body string) string {
	t.Helper()
	m := baseField.FindAllStringSubmatch(body, -1)
	if len(m) == 0 || m[0][1] == "" {
		t.Fatalf("the editor carries no base:\n%.500s", body)
	}
	for _, o := range m[1:] {
		if o[1] != m[0][1] {
			t.Fatalf("the editor's forms carry two bases, %s and %s", m[0][1], o[1])
		}
	}
	return m[0][1]
}

func draftSource(t *testing.T, db *storage.DB) storage.FlowDraft {
	t.Helper()
	d, err := db.FindFlowDraft(context.Background(), "skm")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// ending is the end of a draft, where the tabs' edits are, for a failure's message.
func ending(src string) string { return src[max(0, len(src)-60):] }

// The reviewer's sequence: tabs A and B open the editor, A saves, then B saves. B's save
// does not overwrite A's draft: B's page comes back with B's text, says who saved the other
// draft and when, and a second save, from the page that said so, overwrites it on purpose.
func TestTheSecondTabsSaveDoesNotSilentlyOverwriteTheFirsts(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		tabs := openTwice(t, db)
		textA, textB := tabs.src+"# PERUBAHAN-TAB-A\n", tabs.src+"# PERUBAHAN-TAB-B\n"
		status, _, body := tabs.ani.post("/admin/flows/skm", url.Values{"source": {textA}, "action": {"save"}, "base": {tabs.aniBase}})
		if status != http.StatusOK || !strings.Contains(body, "Draf tersimpan.") {
			t.Fatalf("A's save: %d %.300s", status, body)
		}

		status, _, body = tabs.budi.post("/admin/flows/skm", url.Values{"source": {textB}, "action": {"save"}, "base": {tabs.budiBase}})
		want := "Draf ini sudah diubah oleh ani pada 07-12-2026 17:00 setelah Anda membukanya. Teks Anda masih di editor"
		if status != http.StatusConflict || !strings.Contains(body, want) || strings.Contains(body, "Draf tersimpan.") {
			t.Errorf("B's save over A's draft: %d, want 409 saying %q", status, want)
		}
		if !strings.Contains(body, `id="open-draft"`) {
			t.Error("B's page has no link to the saved draft")
		}
		if !strings.Contains(body, html.EscapeString(textB)) || strings.Contains(body, "PERUBAHAN-TAB-A") {
			t.Error("B's page does not hold B's text, alone, in the editor")
		}
		if d := draftSource(t, db); d.Source != textA || d.UpdatedBy != "ani" {
			t.Errorf("after B's refused save the draft is %s's, ending %q", d.UpdatedBy, ending(d.Source))
		}
		if got := bodyBase(t, body); got != storage.DraftSum(textA) {
			t.Error("B's page is not based on A's draft now")
		}

		_, _, en := tabs.budi.post("/admin/flows/skm?lang=en", url.Values{"source": {textB}, "action": {"save"}, "base": {tabs.budiBase}})
		if !strings.Contains(en, "This draft was changed by ani at 07-12-2026 17:00 after you opened it.") {
			t.Error("the refusal is not in English on the English page")
		}

		status, _, body = tabs.budi.post("/admin/flows/skm?lang=id", url.Values{"source": {textB}, "action": {"save"}, "base": {bodyBase(t, body)}})
		if status != http.StatusOK || !strings.Contains(body, "Draf tersimpan.") {
			t.Errorf("B's second save: %d, want 200", status)
		}
		if d := draftSource(t, db); d.Source != textB || d.UpdatedBy != "budi" {
			t.Errorf("after B saved again the draft is %s's, ending %q", d.UpdatedBy, ending(d.Source))
		}

		// A, still on the page of A's own save, saves the text B saved: nothing to lose.
		if status, _, _ = tabs.ani.post("/admin/flows/skm", url.Values{"source": {textB}, "action": {"save"}, "base": {storage.DraftSum(textA)}}); status != http.StatusOK {
			t.Errorf("saving the stored draft's own text: %d, want 200", status)
		}
	})
}

// The question form's "Terapkan ke YAML" saves the draft too: applied in a tab opened before
// another tab's save, it keeps the form's change in the editor and saves nothing.
func TestTheQuestionFormOfAnOlderTabDoesNotOverwriteTheDraft(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		tabs := openTwice(t, db)
		textA := tabs.src + "# PERUBAHAN-TAB-A\n"
		if status, _, _ := tabs.ani.post("/admin/flows/skm", url.Values{"source": {textA}, "action": {"save"}, "base": {tabs.aniBase}}); status != http.StatusOK {
			t.Fatalf("A's save: %d", status)
		}

		qs := toForm(flows.Builtin())
		qs[0].Prompt[0].Text = "Jenis kelamin Anda (TAB-B)?"
		form := post(qs, "")
		form.Set("source", tabs.src)
		form.Set("drawn", tabs.src)
		form.Set("base", tabs.budiBase)
		status, _, body := tabs.budi.post("/admin/flows/skm/form", url.Values(form))
		if status != http.StatusConflict || !strings.Contains(body, "Isian formulir sudah diterapkan ke YAML di editor, tetapi belum disimpan. Draf ini sudah diubah oleh ani") {
			t.Errorf("B's form over A's draft: %d %.300s", status, body)
		}
		if !strings.Contains(body, "Jenis kelamin Anda (TAB-B)?") {
			t.Error("the form's change is not in B's editor")
		}
		if d := draftSource(t, db); d.Source != textA {
			t.Errorf("the refused form changed the draft, ending %q", ending(d.Source))
		}

		form.Set("base", bodyBase(t, body))
		if status, _, _ := tabs.budi.post("/admin/flows/skm/form", url.Values(form)); status != http.StatusSeeOther {
			t.Errorf("B's form applied again: %d, want 303", status)
		}
		if d := draftSource(t, db); !strings.Contains(d.Source, "(TAB-B)") || d.UpdatedBy != "budi" {
			t.Errorf("B's form applied again did not replace the draft, ending %q", ending(d.Source))
		}
	})
}

// Publishing or previewing saves the draft first: from a tab opened before another tab's
// save, neither happens, and the other draft stays.
// Two admins preview their own texts at once: each gets a copy of their own, so that one's
// preview neither ends nor changes the other's.
func TestEachAdminPreviewsTheirOwnText(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		tabs := openTwice(t, db)
		texts := map[string]string{}
		for name, a := range map[string]*testAdmin{"ani": tabs.ani, "budi": tabs.budi} {
			texts[name] = tabs.src + "# PRATINJAU-" + name + "\n"
			base := pageBase(t, a, "/admin/flows/skm")
			status, loc, _ := a.post("/admin/flows/skm", url.Values{"source": {texts[name]}, "action": {"preview"}, "base": {base}})
			if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/s/") {
				t.Fatalf("%s's preview: %d → %q", name, status, loc)
			}
		}
		for name, want := range texts {
			admin, err := db.FindAdminByUsername(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := db.FindLatestFlow(ctx, storage.PreviewFlowID("skm", admin.ID)); err != nil || v.Source != want {
				t.Errorf("%s's preview copy ends %q (%v)", name, ending(v.Source), err)
			}
		}
	})
}

func TestPublishingOrPreviewingFromAnOlderTabDoesNothing(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		tabs := openTwice(t, db)
		textA := tabs.src + "# PERUBAHAN-TAB-A\n"
		if status, _, _ := tabs.ani.post("/admin/flows/skm", url.Values{"source": {textA}, "action": {"save"}, "base": {tabs.aniBase}}); status != http.StatusOK {
			t.Fatalf("A's save: %d", status)
		}
		retitled := strings.Replace(tabs.src, "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat (TAB-B)\n", 1)
		for action, before := range map[string]string{"publish": "Alur belum diterbitkan.", "preview": "Pratinjau belum dibuka."} {
			status, loc, body := tabs.budi.post("/admin/flows/skm", url.Values{"source": {retitled}, "action": {action}, "base": {tabs.budiBase}})
			if status != http.StatusConflict || !strings.Contains(body, before+" Draf ini sudah diubah oleh ani") {
				t.Errorf("%s from B's older tab: %d → %q, want 409 saying %q", action, status, loc, before)
			}
		}
		b, err := db.FindAdminByUsername(context.Background(), "budi")
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{"skm", storage.PreviewFlowID("skm", b.ID)} {
			if _, err := db.FindLatestFlow(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("flow %s was published: %v", id, err)
			}
		}
		if d := draftSource(t, db); d.Source != textA {
			t.Errorf("the draft is not A's, ending %q", ending(d.Source))
		}
	})
}
