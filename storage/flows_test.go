package storage_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// The editor's publish button publishes a new version only when the text changed: the same
// text again (whatever version number it carries) is the newest version already.
func TestPublishingTheNewestVersionsTextAgainPublishesNothing(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		builtin := flows.Builtin()
		publish := func(t *testing.T, f *flows.Flow, wantVersion int, wantPublished bool) {
			t.Helper()
			n, published, err := db.PublishChangedFlow(ctx, "skm", f, "ani")
			if err != nil || n != wantVersion || published != wantPublished {
				t.Errorf("published v%d %t, %v; want v%d %t", n, published, err, wantVersion, wantPublished)
			}
		}
		parse := func(t *testing.T, src string) *flows.Flow {
			t.Helper()
			f, err := flows.Parse("skm.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		retitled := parse(t, strings.Replace(string(builtin.Source), "id: Survei Kepuasan Masyarakat\n", "id: Survei Kepuasan Masyarakat Jawa Timur\n", 1))

		t.Run("the first version is published", func(t *testing.T) { publish(t, builtin, 1, true) })
		t.Run("the same text is not published again", func(t *testing.T) { publish(t, builtin, 1, false) })
		t.Run("the same text with blanks added at the ends of lines is not published again", func(t *testing.T) {
			padded := strings.ReplaceAll(string(builtin.Source), "\n", "  \r\n") + "\n\n   \n"
			publish(t, parse(t, padded), 1, false)
		})
		t.Run("a changed text is the next version", func(t *testing.T) { publish(t, retitled, 2, true) })
		t.Run("the same text with another version number is not published again", func(t *testing.T) {
			v7, err := retitled.WithVersion(7)
			if err != nil {
				t.Fatal(err)
			}
			publish(t, v7, 2, false)
		})
		t.Run("an older version's text is published as the next version", func(t *testing.T) { publish(t, builtin, 3, true) })
		t.Run("PublishFlow publishes the same text again, as before", func(t *testing.T) {
			if n, err := db.PublishFlow(ctx, "skm", builtin, "api"); err != nil || n != 4 {
				t.Errorf("PublishFlow: v%d, %v", n, err)
			}
		})
		if vs, err := db.FindFlowVersions(ctx, "skm"); err != nil || len(vs) != 4 {
			t.Errorf("%d versions, %v; want 4", len(vs), err)
		}
	})
}

// Several replicas publishing one draft at once (a deployment's release script on each)
// make one version of it: the others find it the newest version already, on PostgreSQL too,
// where each reads the newest version in a transaction of its own.
func TestPublishingOneTextAtOnceMakesOneVersion(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "ani"); err != nil {
			t.Fatal(err)
		}
		const n = 6
		for round := range 5 {
			src := strings.Replace(string(flows.Builtin().Source), "id: Survei Kepuasan Masyarakat\n", fmt.Sprintf("id: Survei Kepuasan Masyarakat %d\n", round), 1)
			f, err := flows.Parse("skm.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			published := make([]bool, n)
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() { _, published[i], errs[i] = db.PublishChangedFlow(ctx, "skm", f, "api") })
			}
			wg.Wait()
			count := 0
			for i := range n {
				if errs[i] != nil {
					t.Errorf("round %d: %v", round, errs[i])
				}
				if published[i] {
					count++
				}
			}
			if count != 1 {
				t.Errorf("round %d: %d of %d publishes published, want 1", round, count, n)
			}
		}
		if vs, err := db.FindFlowVersions(ctx, "skm"); err != nil || len(vs) != 6 {
			t.Errorf("%d versions, %v; want 6 (the first and one a round)", len(vs), err)
		}
	})
}
