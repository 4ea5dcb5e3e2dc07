package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// Two tabs open the same draft; the second to save must not overwrite the first unseen.
func TestAFlowDraftIsSavedOnlyOverTheDraftItWasEditedFrom(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		const published, x = "id: skm\n", "id: skm\n# x\n"
		draftIs := func(t *testing.T, source, by string) {
			t.Helper()
			if d, err := db.FindFlowDraft(ctx, "skm"); err != nil || d.Source != source || d.UpdatedBy != by {
				t.Errorf("the draft is %+v, %v; want %q by %s", d, err, source, by)
			}
		}
		t.Run("the first draft is saved over the published text the editor showed", func(t *testing.T) {
			d, err := db.SaveFlowDraftFrom(ctx, "skm", x, "ani", storage.DraftSum(published))
			if err != nil || d.Source != x || d.UpdatedBy != "ani" || d.UpdatedAt == 0 {
				t.Fatalf("saved %+v, %v", d, err)
			}
			draftIs(t, x, "ani")
		})
		t.Run("a save from a draft replaced since, even within the same millisecond, is refused with that draft", func(t *testing.T) {
			now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
			db.Now = func() time.Time { return now }
			defer func() { db.Now = time.Now }()
			if _, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# A\n", "ani", storage.DraftSum(x)); err != nil {
				t.Fatal(err)
			}
			d, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# B\n", "budi", storage.DraftSum(x))
			if !errors.Is(err, storage.ErrDraftChanged) || d.Source != x+"# A\n" || d.UpdatedBy != "ani" || d.UpdatedAt != now.UnixMilli() {
				t.Errorf("budi's stale save: %+v, %v; want ErrDraftChanged with ani's draft", d, err)
			}
			draftIs(t, x+"# A\n", "ani")
		})
		t.Run("saving again from the newer draft overwrites it, as asked", func(t *testing.T) {
			if _, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# B\n", "budi", storage.DraftSum(x+"# A\n")); err != nil {
				t.Fatal(err)
			}
			draftIs(t, x+"# B\n", "budi")
		})
		t.Run("text identical to the stored draft is never a conflict", func(t *testing.T) {
			if _, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# B\n", "ani", storage.DraftSum("id: skm\n# anything\n")); err != nil {
				t.Fatal(err)
			}
			draftIs(t, x+"# B\n", "ani")
		})
		t.Run("an editor that showed no draft is refused a draft saved since with other text", func(t *testing.T) {
			_, err := db.SaveFlowDraftFrom(ctx, "skm", published+"# C\n", "citra", storage.DraftSum(published))
			if !errors.Is(err, storage.ErrDraftChanged) {
				t.Errorf("citra's save: %v, want ErrDraftChanged", err)
			}
			draftIs(t, x+"# B\n", "ani")
		})
		t.Run("a draft published or discarded since is no conflict", func(t *testing.T) {
			if err := db.DeleteFlowDraft(ctx, "skm", x+"# B\n"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# D\n", "dewi", storage.DraftSum(x+"# A\n")); err != nil {
				t.Fatal(err)
			}
			draftIs(t, x+"# D\n", "dewi")
		})
		t.Run("with no draft, a version published since the editor opened is refused as a newer draft", func(t *testing.T) {
			if err := db.DeleteFlowDraft(ctx, "skm", x+"# D\n"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "eko"); err != nil {
				t.Fatal(err)
			}
			v, err := db.FindLatestFlow(ctx, "skm")
			if err != nil {
				t.Fatal(err)
			}
			d, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# E\n", "fajar", storage.DraftSum(x+"# D\n"))
			if !errors.Is(err, storage.ErrDraftChanged) || d.Source != v.Source || d.UpdatedBy != "eko" {
				t.Errorf("fajar's save from before eko published: %+v, %v; want ErrDraftChanged with eko's version", d.UpdatedBy, err)
			}
			if _, err := db.FindFlowDraft(ctx, "skm"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("a draft was written: %v", err)
			}
			if _, err := db.SaveFlowDraftFrom(ctx, "skm", x+"# E\n", "fajar", storage.DraftSum(v.Source)); err != nil {
				t.Errorf("a save from the newest version: %v", err)
			}
			draftIs(t, x+"# E\n", "fajar")
		})
	})
}

// Saves from the same base at the same moment: one wins, every other is told, on SQLite's
// one writer and on PostgreSQL's concurrent transactions alike, from a draft or from none.
func TestConcurrentSavesFromOneBaseKeepOneDraftAndRefuseTheRest(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		for _, from := range []struct{ name, id, base string }{{"no draft", "baru", ""}, {"a draft", "skm", "id: skm\n"}} {
			t.Run("from "+from.name, func(t *testing.T) {
				if from.base != "" {
					if err := db.SaveFlowDraft(ctx, from.id, from.base, "ani"); err != nil {
						t.Fatal(err)
					}
				}
				const n = 8
				errs := make([]error, n)
				var wg sync.WaitGroup
				for i := range n {
					wg.Go(func() {
						_, errs[i] = db.SaveFlowDraftFrom(ctx, from.id, fmt.Sprintf("id: %s\n# tab %d\n", from.id, i), "tab", storage.DraftSum(from.base))
					})
				}
				wg.Wait()
				won := -1
				for i, err := range errs {
					switch {
					case err == nil && won >= 0:
						t.Errorf("tabs %d and %d both saved", won, i)
					case err == nil:
						won = i
					case !errors.Is(err, storage.ErrDraftChanged):
						t.Errorf("tab %d: %v", i, err)
					}
				}
				d, err := db.FindFlowDraft(ctx, from.id)
				if err != nil || won < 0 || d.Source != fmt.Sprintf("id: %s\n# tab %d\n", from.id, won) {
					t.Errorf("the draft %q, %v; tab %d won", d.Source, err, won)
				}
			})
		}
	})
}
