package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"sukma/flows"
	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestSeedDemo(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	opts := storage.DemoOptions{Units: 5, Months: 3, Responses: 40, Seed: 7, Now: now, Location: time.UTC}
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		res, err := db.SeedDemo(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("it creates the units and a response per unit, month and requested response", func(t *testing.T) {
			// September and October whole, and November's share up to the 26th, 10:00: 40 ×
			// 25 5/12 days of 30, 34.
			if res.Units != 5 || res.Services != 20 || res.Complete+res.Partial != 5*(40+40+34) || !res.FlowInstalled {
				t.Errorf("got %+v", res)
			}
			if res.Partial == 0 || res.Partial > 5*3*40/10 {
				t.Errorf("%d partial responses, want a few", res.Partial)
			}
		})
		t.Run("demo units are marked in code and name", func(t *testing.T) {
			u, err := db.FindUnitByCode(ctx, "DEMO-SAMSAT-SBY")
			if err != nil || u.Name != "Samsat Surabaya (demo)" || u.AgencyCode != "DEMO-BAPENDA" {
				t.Errorf("got %+v, %v", u, err)
			}
			if v, err := db.Setting(ctx, storage.DemoSetting); err != nil || v == "" {
				t.Errorf("setting %q, %v", v, err)
			}
		})
		t.Run("the answers are plausible: mostly 3 and 4, a grade between C and A", func(t *testing.T) {
			var tally scoring.Tally
			n, high := 0, 0
			err := db.EachResponse(ctx, storage.ExportFilter{FromDay: 20260901, ToDay: 20261126}, func(r storage.ResponseRow) error {
				n++
				if r.UnitCode[:5] != "DEMO-" || r.ServiceName == "" || r.Usia != nil && (*r.Usia < 17 || *r.Usia > 75) {
					t.Errorf("row %+v", r)
				}
				for _, s := range r.Scores {
					if s >= 3 {
						high++
					}
				}
				return tally.AddResponse(r.Scores)
			})
			if err != nil || n != res.Complete {
				t.Fatalf("%d rows (want %d), %v", n, res.Complete, err)
			}
			if float64(high)/float64(9*n) < 0.6 {
				t.Errorf("only %d of %d answers are 3 or 4", high, 9*n)
			}
			ikm := scoring.Compute(tally, scoring.Bands2017).IKM
			if ikm < 6500 || ikm > 9500 {
				t.Errorf("IKM %s", ikm)
			}
		})
		t.Run("a second seed reuses the demo units and adds responses", func(t *testing.T) {
			again, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 5, Months: 1, Responses: 2, Seed: 8, Now: now})
			if err != nil || again.Units != 5 || again.FlowInstalled || again.Complete+again.Partial != 10 {
				t.Errorf("got %+v, %v", again, err)
			}
		})
	})
}

// The README's first survey is answered on the unit DEMO that the first start makes: its
// responses are a try, not real data, and do not stop a demo seed after it.
func TestSeedDemoAfterATryOnTheDemoUnit(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO", Name: "Unit Layanan Contoh", Population: 1000})
		if err != nil {
			t.Fatal(err)
		}
		three := 3
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			rid, err := tx.Respondent("coba", 1000)
			if err != nil {
				return err
			}
			sid, err := tx.CreateSession(storage.Session{Channel: "web", ChatID: "coba", RespondentID: rid, UnitID: u.ID,
				FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: 1000, UpdatedAt: 1000, ExpiresAt: 2000})
			if err != nil {
				return err
			}
			return tx.InsertResponse(storage.Response{SessionID: sid, RespondentID: rid, UnitID: u.ID, FlowID: "skm", FlowVersion: 1,
				Status: storage.ResponseComplete, FinishedAt: 1000, LocalDay: 20261207, Scores: [9]*int{&three}})
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 2, Months: 1, Responses: 2, Now: time.Now()}); err != nil {
			t.Errorf("a demo seed after a try on DEMO: %v", err)
		}
	})
}

func TestSeedDemoRefusesRealData(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		exportFixture(t, db)
		opts := storage.DemoOptions{Units: 2, Months: 1, Responses: 3, Now: time.Now()}
		t.Run("a database with real responses is refused and left unchanged", func(t *testing.T) {
			_, err := db.SeedDemo(ctx, opts)
			if !errors.Is(err, storage.ErrRealData) {
				t.Fatalf("got %v, want ErrRealData", err)
			}
			if _, err := db.FindUnitByCode(ctx, "DEMO-SAMSAT-SBY"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("a demo unit was created: %v", err)
			}
		})
		t.Run("force seeds anyway", func(t *testing.T) {
			opts.Force = true
			res, err := db.SeedDemo(ctx, opts)
			if err != nil || res.Units != 2 || res.FlowInstalled {
				t.Errorf("got %+v, %v", res, err)
			}
		})
	})
}

// Subscribers get digests and alerts: a demo seeded beside them would reach them as if it
// were real, so it is refused without --force.
func TestSeedDemoRefusesADatabaseWithSubscribers(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.CreateSubscriber(ctx, storage.NewSubscriber{Channel: "telegram", Address: "42", Schedule: "0 7 * * 1", Language: "id", Alerts: true}); err != nil {
			t.Fatal(err)
		}
		_, err := db.SeedDemo(ctx, storage.DemoOptions{Units: 2, Months: 1, Responses: 3, Now: time.Now()})
		if !errors.Is(err, storage.ErrRealData) || !strings.Contains(err.Error(), "1 subscribers") {
			t.Fatalf("got %v, want ErrRealData naming the subscribers", err)
		}
		if _, err := db.FindUnitByCode(ctx, "DEMO-SAMSAT-SBY"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a demo unit was created: %v", err)
		}
	})
}
