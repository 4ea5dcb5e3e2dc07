package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A script that read a flow's draft does not overwrite, or publish, a draft an admin saved in
// the editor since: with If-Match, the API acts only on the text it read.
func TestFlowAPIIfMatchKeepsAnAdminsDraft(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		h := newAPI(t, db)
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "sukma"); err != nil {
			t.Fatal(err)
		}
		put := func(body, match string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("PUT", "/api/v1/flows/skm", strings.NewReader(body))
			r.Header.Set("Authorization", bearer)
			if match != "" {
				r.Header.Set("If-Match", match)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			return rec
		}
		publish := func(match string) *httptest.ResponseRecorder {
			r := httptest.NewRequest("POST", "/api/v1/flows/skm/publish", nil)
			r.Header.Set("Authorization", bearer)
			r.Header.Set("If-Match", match)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			return rec
		}
		draft := func() string {
			d, err := db.FindFlowDraft(ctx, "skm")
			if err != nil {
				t.Fatal(err)
			}
			return d.Source
		}
		src := string(flows.BuiltinSource())
		mine, theirs := src+"# dari skrip\n", src+"# dari editor\n"

		// With no draft, the published text's ETag is the base of the first PUT.
		published := call(t, h, "GET", "/api/v1/flows/skm", bearer, "").Header().Get("ETag")
		if published != `"`+storage.DraftSum(src)+`"` {
			t.Fatalf("GET ETag = %q", published)
		}
		rec := put(mine, published)
		if rec.Code != 200 || draft() != mine || rec.Header().Get("ETag") != `"`+storage.DraftSum(mine)+`"` {
			t.Fatalf("PUT with the published text's ETag = %d %s, ETag %q", rec.Code, rec.Body, rec.Header().Get("ETag"))
		}
		read := call(t, h, "GET", "/api/v1/flows/skm?draft=1", bearer, "").Header().Get("ETag")
		if read != rec.Header().Get("ETag") {
			t.Fatalf("GET ?draft=1 ETag = %q, PUT's %q", read, rec.Header().Get("ETag"))
		}

		// An admin saves in the editor; the script's PUT and publish, with what it read, are refused.
		if err := db.SaveFlowDraft(ctx, "skm", theirs, "ani"); err != nil {
			t.Fatal(err)
		}
		rec = put(mine+"# lagi\n", read)
		if rec.Code != http.StatusPreconditionFailed || draft() != theirs || !strings.Contains(errorOf(t, rec), "ani") {
			t.Errorf("PUT over ani's draft = %d %s", rec.Code, rec.Body)
		}
		if rec.Header().Get("ETag") != `"`+storage.DraftSum(theirs)+`"` {
			t.Errorf("412 ETag = %q, want the draft's", rec.Header().Get("ETag"))
		}
		if rec = publish(read); rec.Code != http.StatusPreconditionFailed || draft() != theirs {
			t.Errorf("publish of ani's draft with the script's ETag = %d %s", rec.Code, rec.Body)
		}
		if v, _ := db.FindLatestFlow(ctx, "skm"); v.Version != 1 {
			t.Errorf("version %d published", v.Version)
		}

		// With the draft's ETag, publishing goes; a malformed If-Match is a 400; none replaces.
		if rec = publish(`"` + storage.DraftSum(theirs) + `"`); rec.Code != http.StatusCreated {
			t.Errorf("publish with the draft's ETag = %d %s", rec.Code, rec.Body)
		}
		for _, bad := range []string{`W/"` + storage.DraftSum(theirs) + `"`, `"a", "b"`, "abc"} {
			if rec = put(mine, bad); rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, rec), "If-Match") {
				t.Errorf("If-Match %s = %d %s", bad, rec.Code, rec.Body)
			}
		}
		if rec = put(mine, ""); rec.Code != 200 || draft() != mine {
			t.Errorf("PUT without If-Match = %d %s", rec.Code, rec.Body)
		}
	})
}
