package storage_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"sukma/flows"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestFlowDrafts(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		t.Run("a saved draft is found and replaced by the next save", func(t *testing.T) {
			if _, err := db.FindFlowDraft(ctx, "skm"); !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("no draft yet: %v", err)
			}
			if err := db.SaveFlowDraft(ctx, "skm", "id: skm\n", "ani"); err != nil {
				t.Fatal(err)
			}
			if err := db.SaveFlowDraft(ctx, "skm", "id: skm\nversion: 1\n", "budi"); err != nil {
				t.Fatal(err)
			}
			d, err := db.FindFlowDraft(ctx, "skm")
			if err != nil || d.Source != "id: skm\nversion: 1\n" || d.UpdatedBy != "budi" {
				t.Errorf("draft %+v, %v", d, err)
			}
		})
		t.Run("publishing deletes the draft it published, even within the same millisecond", func(t *testing.T) {
			now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
			db.Now = func() time.Time { return now } // the save and the publish in one millisecond
			defer func() { db.Now = time.Now }()
			if err := db.SaveFlowDraft(ctx, "skm", "id: skm\nversion: 2\n", "ani"); err != nil {
				t.Fatal(err)
			}
			if err := db.DeleteFlowDraft(ctx, "skm", "id: skm\nversion: 2\n"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.FindFlowDraft(ctx, "skm"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("after publishing the draft's text: %v, want no draft", err)
			}
		})
		t.Run("a draft saved with other text while a publish ran is kept", func(t *testing.T) {
			if err := db.SaveFlowDraft(ctx, "skm", "id: skm\nversion: 3\n", "budi"); err != nil { // during ani's publish
				t.Fatal(err)
			}
			if err := db.DeleteFlowDraft(ctx, "skm", "id: skm\nversion: 2\n"); err != nil { // ani published her text
				t.Fatal(err)
			}
			if d, err := db.FindFlowDraft(ctx, "skm"); err != nil || d.Source != "id: skm\nversion: 3\n" || d.UpdatedBy != "budi" {
				t.Errorf("budi's draft: %+v, %v", d, err)
			}
			if err := db.DeleteFlowDraft(ctx, "nothing", "x"); err != nil {
				t.Errorf("no draft: %v", err)
			}
		})
		t.Run("flow summaries show the newest version and hide previews", func(t *testing.T) {
			for _, id := range []string{"skm", "skm", storage.PreviewFlowID("skm", 1)} {
				if _, err := db.PublishFlow(ctx, id, flows.Builtin(), "ani"); err != nil {
					t.Fatal(err)
				}
			}
			fs, err := db.FindFlowSummaries(ctx)
			if err != nil || len(fs) != 1 || fs[0].ID != "skm" || fs[0].Version != 2 || fs[0].PublishedBy != "ani" {
				t.Errorf("summaries %+v, %v", fs, err)
			}
		})
		t.Run("the preview unit is created once, retired, and its responses are reset", func(t *testing.T) {
			u, err := db.PreviewUnit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			again, err := db.PreviewUnit(ctx)
			if err != nil || again.ID != u.ID {
				t.Errorf("second call %+v, %v", again, err)
			}
			if got, _ := db.FindUnitByCode(ctx, storage.PreviewUnitCode); got.RetiredAt == nil {
				t.Error("preview unit is not retired")
			}
			seedResponse(t, db, u.ID, 20261126, "uji")
			// Two admins' previews are open; the first admin opens a new one.
			mine, theirs := storage.PreviewFlowID("skm", 1), storage.PreviewFlowID("skm", 2)
			open := map[string]int64{}
			for _, id := range []string{mine, theirs} {
				if _, err := db.PublishFlow(ctx, id, flows.Builtin(), "admin"); err != nil {
					t.Fatal(err)
				}
				err := db.InTx(ctx, func(tx *storage.Tx) error {
					resp, err := tx.Respondent("pratinjau "+id, 1)
					if err == nil {
						open[id], err = tx.CreateSession(storage.Session{Channel: "web", ChatID: id, RespondentID: resp, UnitID: u.ID,
							FlowID: id, FlowVersion: 1, Language: "id", State: "active", StartedAt: 1, UpdatedAt: 1, ExpiresAt: db.Now().Add(time.Hour).UnixMilli()})
					}
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if err := db.ResetPreviews(ctx, u.ID, mine); err != nil {
				t.Fatal(err)
			}
			tally, err := db.Tally(ctx, storage.Filter{UnitIDs: []int64{u.ID}})
			if err != nil || tally.Respondents != 0 {
				t.Errorf("after reset %+v, %v", tally, err)
			}
			for id, want := range map[string]string{mine: storage.SessionCancelled, theirs: storage.SessionActive} {
				var got storage.Session
				err := db.InTx(ctx, func(tx *storage.Tx) (err error) { got, err = tx.FindSession(open[id]); return err })
				if err != nil || got.State != want {
					t.Errorf("session of %s: %q, want %q (%v)", id, got.State, want, err)
				}
			}
		})
	})
}

func TestAFlowVersionNoFlowCanHaveIsNotFound(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "ani"); err != nil {
			t.Fatal(err)
		}
		// PostgreSQL refuses 2147483648 for an INTEGER column with an error, not no rows.
		for _, v := range []int{0, -1, storage.MaxFlowVersion + 1, math.MaxInt} {
			if _, err := db.FindFlowVersion(ctx, "skm", v); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("version %d: %v, want ErrNotFound", v, err)
			}
		}
		if f, err := db.FindFlowVersion(ctx, "skm", 1); err != nil || f.Version != 1 {
			t.Errorf("version 1: %+v, %v", f, err)
		}
	})
}
