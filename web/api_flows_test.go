package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestTheFlowAPIKeepsDraftsAndPublishesVersions(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		// Every call in one millisecond, as a fast client's PUT and publish may be.
		now := time.Now()
		db.Now = func() time.Time { return now }
		h := newAPI(t, db)
		if _, err := db.PublishFlow(context.Background(), "skm", flows.Builtin(), "sukma"); err != nil {
			t.Fatal(err)
		}
		rec := call(t, h, "GET", "/api/v1/flows/skm", bearer, "")
		if rec.Code != 200 || rec.Header().Get("X-Flow-Version") != "1" || !strings.Contains(rec.Body.String(), "id: skm") {
			t.Fatalf("GET = %d %s %.80s", rec.Code, rec.Header().Get("X-Flow-Version"), rec.Body)
		}

		broken := strings.Replace(string(flows.BuiltinSource()), "element: U3", "element: U12", 1)
		rec = call(t, h, "PUT", "/api/v1/flows/skm", bearer, broken)
		var bad struct {
			Error    string
			Problems []string
		}
		json.Unmarshal(rec.Body.Bytes(), &bad)
		if rec.Code != 422 || len(bad.Problems) != 1 || !strings.HasPrefix(bad.Problems[0], "skm.yaml:") || !strings.Contains(bad.Problems[0], "U12") {
			t.Errorf("PUT of a broken flow = %d %s", rec.Code, rec.Body)
		}
		if rec = call(t, h, "POST", "/api/v1/flows/skm/publish", bearer, ""); rec.Code != 409 || !strings.Contains(errorOf(t, rec), "no draft") {
			t.Errorf("publish without a draft = %d %s", rec.Code, rec.Body)
		}

		short := "id: skm\nversion: 1\ntitle: T\nquestions:\n  - id: puas\n    kind: scale\n    element: U9\n    prompt: Puas?\n    labels: [a, b, c, d]\n"
		rec = call(t, h, "PUT", "/api/v1/flows/skm", bearer, short)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"missing_elements":["U1","U2","U3","U4","U5","U6","U7","U8"]`) ||
			!strings.Contains(rec.Body.String(), `"warning":"alur tidak mengukur unsur U1, U2,`) {
			t.Errorf("PUT of a flow without eight elements = %d %s, want 200 with a warning naming them", rec.Code, rec.Body)
		}

		edited := strings.Replace(string(flows.BuiltinSource()), "Seberapa cepat waktu pelayanannya?", "Seberapa cepat kami melayani Anda?", 1)
		if rec = call(t, h, "PUT", "/api/v1/flows/skm", bearer, edited); rec.Code != 200 || strings.Contains(rec.Body.String(), "missing_elements") {
			t.Fatalf("PUT of a valid flow = %d %s", rec.Code, rec.Body)
		}
		if rec = call(t, h, "GET", "/api/v1/flows/skm?draft=1", bearer, ""); rec.Code != 200 || !strings.Contains(rec.Body.String(), "kami melayani") {
			t.Errorf("GET the draft = %d", rec.Code)
		}
		rec = call(t, h, "POST", "/api/v1/flows/skm/publish", bearer, "")
		if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"version":2`) {
			t.Fatalf("publish = %d %s", rec.Code, rec.Body)
		}
		if rec = call(t, h, "GET", "/api/v1/flows/skm", bearer, ""); rec.Header().Get("X-Flow-Version") != "2" || !strings.Contains(rec.Body.String(), "kami melayani") {
			t.Errorf("after publishing, GET = %s %.60s", rec.Header().Get("X-Flow-Version"), rec.Body)
		}
		if rec = call(t, h, "GET", "/api/v1/flows/skm?version=1", bearer, ""); strings.Contains(rec.Body.String(), "kami melayani") {
			t.Error("version 1 changed: published versions must be immutable")
		}
		if _, err := db.FindFlowDraft(context.Background(), "skm"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the published draft is still there: %v", err)
		}
	})
}

func TestTheFlowAPIRefusesBadRequests(t *testing.T) {
	h := newAPI(t, storagetest.SQLite(t))
	tests := []struct {
		name, method, path, body string
		status                   int
		want                     string
	}{
		{"an unknown flow", "GET", "/api/v1/flows/nope", "", 404, `flow "nope" not found`},
		{"a version that is not a number", "GET", "/api/v1/flows/skm?version=abc", "", 400, `version: "abc" is not a version number`},
		{"a version below 1", "GET", "/api/v1/flows/skm?version=0", "", 400, `version: "0" is not a version number`},
		{"a version of an unknown flow", "GET", "/api/v1/flows/nope?version=2", "", 404, `flow "nope" not found`},
		{"YAML whose id differs from the URL", "PUT", "/api/v1/flows/other", string(flows.BuiltinSource()), 422, `the YAML says id "skm" but the URL says "other"`},
		{"a body over 1 MiB", "PUT", "/api/v1/flows/skm", strings.Repeat("#", 2<<20), 413, "larger than 1 MiB"},
		{"no bearer token", "GET", "/api/v1/flows/skm", "", 401, "missing bearer token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			auth := bearer
			if tt.want == "missing bearer token" {
				auth = ""
			}
			rec := call(t, h, tt.method, tt.path, auth, tt.body)
			if rec.Code != tt.status || !strings.Contains(errorOf(t, rec), tt.want) {
				t.Errorf("got %d %s, want %d %q", rec.Code, rec.Body, tt.status, tt.want)
			}
		})
	}
}

func TestAFlowInJSONIsPublishedAndOneThatCannotBeIsRefusedBeforehand(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		jsonFlow := `{"id":"fjson","version":1,"title":"T","questions":[{"id":"s","kind":"text","prompt":"Saran"}]}`
		if rec := call(t, h, "PUT", "/api/v1/flows/fjson", bearer, jsonFlow); rec.Code != 200 {
			t.Fatalf("PUT of a flow in JSON = %d %s", rec.Code, rec.Body)
		}
		if rec := call(t, h, "POST", "/api/v1/flows/fjson/publish", bearer, ""); rec.Code != 201 || !strings.Contains(rec.Body.String(), `"published":true`) {
			t.Fatalf("publish of a flow in JSON = %d %s", rec.Code, rec.Body)
		}
		// The same text again, as a deployment that publishes its flow on every release
		// sends it: no new version.
		call(t, h, "PUT", "/api/v1/flows/fjson", bearer, jsonFlow)
		if rec := call(t, h, "POST", "/api/v1/flows/fjson/publish", bearer, ""); rec.Code != 200 ||
			!strings.Contains(rec.Body.String(), `"published":false`) || !strings.Contains(rec.Body.String(), `"version":1`) {
			t.Errorf("publish of unchanged text = %d %s, want 200, version 1, not published", rec.Code, rec.Body)
		}
		if _, err := db.FindFlowDraft(context.Background(), "fjson"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the unchanged draft is still there: %v", err)
		}
		call(t, h, "PUT", "/api/v1/flows/fjson", bearer, strings.Replace(jsonFlow, `"Saran"`, `"Saran Anda"`, 1))
		if rec := call(t, h, "POST", "/api/v1/flows/fjson/publish", bearer, ""); rec.Code != 201 || !strings.Contains(rec.Body.String(), `"version":2`) {
			t.Fatalf("publish of changed text = %d %s", rec.Code, rec.Body)
		}
		rec := call(t, h, "GET", "/api/v1/flows/fjson", bearer, "")
		if rec.Header().Get("X-Flow-Version") != "2" || !strings.Contains(rec.Body.String(), `"version":2,"title"`) {
			t.Errorf("GET after two publications = %s %s", rec.Header().Get("X-Flow-Version"), rec.Body)
		}

		escaped := "id: fesc\ntitle: T\nversion: !!int \"\\x31\"\nquestions: [{id: s, kind: text, prompt: Saran}]\n"
		rec = call(t, h, "PUT", "/api/v1/flows/fesc", bearer, escaped)
		if rec.Code != 422 || !strings.Contains(rec.Body.String(), `fesc.yaml:3:10: version harus ditulis sebagai angka biasa`) {
			t.Errorf("PUT of a flow whose version cannot be renumbered = %d %s, want 422 at 3:10", rec.Code, rec.Body)
		}
		// A draft kept before Parse refused such versions is refused at publishing, not a 500.
		if err := db.SaveFlowDraft(context.Background(), "fesc", escaped, "old"); err != nil {
			t.Fatal(err)
		}
		rec = call(t, h, "POST", "/api/v1/flows/fesc/publish", bearer, "")
		if rec.Code != 422 || !strings.Contains(errorOf(t, rec), `the draft of flow "fesc" is not valid`) ||
			!strings.Contains(rec.Body.String(), "fesc.yaml:3:10:") {
			t.Errorf("publish of a draft whose version cannot be renumbered = %d %s, want 422 with the problem", rec.Code, rec.Body)
		}
	})
}

func TestAVersionAFlowDoesNotHaveIsNotFound(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		if _, err := db.PublishFlow(context.Background(), "skm", flows.Builtin(), "sukma"); err != nil {
			t.Fatal(err)
		}
		// 2147483648 is past PostgreSQL's INTEGER, and the last is past int64.
		for _, v := range []string{"2", "2147483647", "2147483648", "99999999999999999999999"} {
			rec := call(t, h, "GET", "/api/v1/flows/skm?version="+v, bearer, "")
			if want := `flow "skm" has no version ` + v; rec.Code != 404 || !strings.Contains(errorOf(t, rec), want) {
				t.Errorf("version %s = %d %s, want 404 %q", v, rec.Code, rec.Body, want)
			}
		}
	})
}

// A flow's problems and warning are written as every error of the API: in Indonesian, then
// in English in parentheses, each problem at its FILE:LINE:COL.
func TestTheFlowAPIGivesProblemsInIndonesianAndEnglish(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		broken := "id: skm\nversion: 1\ntitle: T\nquestions:\n  - id: puas\n    kind: scale\n    element: U12\n    prompt: Puas?\n    labels: [a, b, c, d]\n"
		rec := call(t, h, "PUT", "/api/v1/flows/skm", bearer, broken)
		var bad struct{ Problems []string }
		json.Unmarshal(rec.Body.Bytes(), &bad)
		want := `skm.yaml:7:14: kode unsur "U12" tidak sah: gunakan U1 sampai U9 (element code "U12" is not valid: use U1 to U9)`
		if rec.Code != 422 || len(bad.Problems) != 1 || bad.Problems[0] != want {
			t.Errorf("PUT of a broken flow = %d %s, want the problem %s", rec.Code, rec.Body, want)
		}

		short := strings.Replace(broken, "U12", "U9", 1)
		rec = call(t, h, "PUT", "/api/v1/flows/skm", bearer, short)
		var ok struct{ Warning string }
		json.Unmarshal(rec.Body.Bytes(), &ok)
		const id, en = "alur tidak mengukur unsur U1, U2, U3, U4, U5, U6, U7, U8: ", " (the flow does not measure element(s) U1, U2, U3, U4, U5, U6, U7, U8: "
		if rec.Code != 200 || !strings.HasPrefix(ok.Warning, id) || !strings.Contains(ok.Warning, en) || !strings.HasSuffix(ok.Warning, ")") {
			t.Errorf("PUT of a flow without eight elements = %d %s, want its warning in both languages", rec.Code, rec.Body)
		}
	})
}

// A YAML naming another flow than its URL is a problem at its id, FILE:LINE:COL as every
// other, naming both ids: sent by PUT, or saved as the draft in the editor (which keeps a
// half-done edit) and then published by API.
func TestAFlowNamingAnotherIDIsAProblemAtItsID(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		src := "# skm\nid: skm_rs\nversion: 1\ntitle: T\nquestions:\n  - id: s\n    kind: text\n    prompt: Saran\n"
		const want = `skm.yaml:2:5: YAML menyebut id "skm_rs" tetapi URL menyebut "skm": keduanya harus sama (the YAML says id "skm_rs" but the URL says "skm": they must be the same)`
		var bad struct {
			Error    string
			Problems []string
		}
		rec := call(t, h, "PUT", "/api/v1/flows/skm", bearer, src)
		json.Unmarshal(rec.Body.Bytes(), &bad)
		if rec.Code != 422 || len(bad.Problems) != 1 || bad.Problems[0] != want || !strings.Contains(bad.Error, `the URL says "skm"`) {
			t.Errorf("PUT = %d %s, want 422 with the problem %s", rec.Code, rec.Body, want)
		}

		if err := db.SaveFlowDraft(context.Background(), "skm", src, "prov"); err != nil {
			t.Fatal(err)
		}
		bad.Problems = nil
		rec = call(t, h, "POST", "/api/v1/flows/skm/publish", bearer, "")
		json.Unmarshal(rec.Body.Bytes(), &bad)
		if rec.Code != 422 || len(bad.Problems) != 1 || bad.Problems[0] != want || !strings.Contains(bad.Error, `the draft of flow "skm" is not valid`) {
			t.Errorf("publish = %d %s, want 422 with the problem %s", rec.Code, rec.Body, want)
		}
		for _, id := range []string{"skm", "skm_rs"} {
			if _, err := db.FindLatestFlow(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("flow %s was published: %v", id, err)
			}
		}
	})
}

// A flow id starting with ~ is an admin's preview copy of a flow (storage.PreviewFlowID):
// the API says so, where it answered that the YAML's id must be "~skm", which no flow file
// can say. Its versions, the drafts last previewed, can be read.
func TestAPreviewCopyIsNotWrittenByTheAPI(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		pid := storage.PreviewFlowID("skm", 1)
		if _, err := db.PublishFlow(context.Background(), pid, flows.Builtin(), "prov"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			method, path, body string
			status             int
		}{
			{"PUT", "/api/v1/flows/~skm", string(flows.BuiltinSource()), 403},
			{"PUT", "/api/v1/flows/" + pid, string(flows.BuiltinSource()), 403},
			{"POST", "/api/v1/flows/" + pid + "/publish", "", 403},
			{"GET", "/api/v1/flows/" + pid + "?draft=1", "", 404},
		} {
			id := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(c.path, "?draft=1"), "/api/v1/flows/"), "/publish")
			want := fmt.Sprintf(`flow %q is an internal preview copy of the editor (an id starting with ~): it has no draft, and cannot be written or published by API; use flow "skm" itself`, id)
			if rec := call(t, h, c.method, c.path, bearer, c.body); rec.Code != c.status || !strings.Contains(errorOf(t, rec), want) {
				t.Errorf("%s %s = %d %s, want %d saying %s", c.method, c.path, rec.Code, rec.Body, c.status, want)
			}
		}
		for _, id := range []string{"~skm", pid} {
			if _, err := db.FindFlowDraft(context.Background(), id); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("a draft of %s: %v", id, err)
			}
		}
		if rec := call(t, h, "GET", "/api/v1/flows/"+pid, bearer, ""); rec.Code != 200 || rec.Header().Get("X-Flow-Version") != "1" {
			t.Errorf("GET of the preview copy = %d %s, want its version 1", rec.Code, rec.Header().Get("X-Flow-Version"))
		}
	})
}
