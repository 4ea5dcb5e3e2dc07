package storage_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"sukma/flows"
	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// exportFixture stores complete and partial responses of two units and returns the units.
func exportFixture(t *testing.T, db *storage.DB) (a, b storage.Unit, svc storage.Service) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
		t.Fatal(err)
	}
	var err error
	if a, err = db.CreateUnit(ctx, storage.NewUnit{Code: "EXA", Name: "Unit A"}); err != nil {
		t.Fatal(err)
	}
	if b, err = db.CreateUnit(ctx, storage.NewUnit{Code: "EXB", Name: "Unit B"}); err != nil {
		t.Fatal(err)
	}
	if svc, err = db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KTP", Name: "KTP-el"}); err != nil {
		t.Fatal(err)
	}
	four, two := 4, 2
	usia, zero := 35, 0
	text := func(s string) *string { return &s }
	rows := []struct {
		unit    storage.Unit
		svc     *int64
		at      int64
		day     int
		status  string
		scores  [9]*int
		jk      *string
		usia    *int
		perbaik *string
	}{
		{a, &svc.ID, 3000, 20260102, storage.ResponseComplete, [9]*int{&four, &two, &four, &four, &four, &four, &four, &four, nil}, text("P"), &usia, text("Lebih cepat")},
		{a, nil, 1000, 20260101, storage.ResponseComplete, [9]*int{&four, &four, &four, &four, &four, &four, &four, &four, &four}, nil, nil, nil},
		{b, nil, 2000, 20260101, storage.ResponseComplete, [9]*int{&two, &two, &two, &two, &two, &two, &two, &two, &two}, text("L"), &zero, nil},
		{a, nil, 2500, 20260101, storage.ResponsePartial, [9]*int{&four}, nil, nil, nil},
		{a, nil, 9000, 20260301, storage.ResponseComplete, [9]*int{&four}, nil, nil, nil},
	}
	for i, r := range rows {
		err := db.InTx(ctx, func(tx *storage.Tx) error {
			rid, err := tx.Respondent(fmt.Sprintf("export-%d", i), r.at)
			if err != nil {
				return err
			}
			sid, err := tx.CreateSession(storage.Session{Channel: "web", ChatID: fmt.Sprint(i), RespondentID: rid, UnitID: r.unit.ID,
				ServiceID: r.svc, FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: r.at, UpdatedAt: r.at, ExpiresAt: r.at + 1})
			if err != nil {
				return err
			}
			return tx.InsertResponse(storage.Response{SessionID: sid, RespondentID: rid, UnitID: r.unit.ID, ServiceID: r.svc,
				FlowID: "skm", FlowVersion: 1, Status: r.status, FinishedAt: r.at, LocalDay: r.day, Scores: r.scores,
				JenisKelamin: r.jk, Usia: r.usia, Perbaikan: r.perbaik})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return a, b, svc
}

func TestEachResponse(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		a, b, svc := exportFixture(t, db)
		collect := func(f storage.ExportFilter) []storage.ResponseRow {
			var got []storage.ResponseRow
			if err := db.EachResponse(context.Background(), f, func(r storage.ResponseRow) error {
				got = append(got, r)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return got
		}
		t.Run("all units give the complete responses of the period oldest first", func(t *testing.T) {
			got := collect(storage.ExportFilter{FromDay: 20260101, ToDay: 20260131})
			if len(got) != 3 || got[0].FinishedAt != 1000 || got[1].UnitCode != "EXB" || got[2].FinishedAt != 3000 {
				t.Fatalf("got %+v", got)
			}
			usia := 35
			want := storage.ResponseRow{ID: got[2].ID, FinishedAt: 3000, LocalDay: 20260102, UnitCode: "EXA", UnitName: "Unit A",
				ServiceCode: "KTP", ServiceName: "KTP-el", Scores: [9]int{4, 2, 4, 4, 4, 4, 4, 4, 0},
				JenisKelamin: "P", Usia: &usia, Perbaikan: "Lebih cepat"}
			if !reflect.DeepEqual(got[2], want) {
				t.Errorf("got  %+v\nwant %+v", got[2], want)
			}
		})
		t.Run("an age of 0 is an answer and a missing age is nil, as the profile query tells them apart", func(t *testing.T) {
			got := collect(storage.ExportFilter{FromDay: 20260101, ToDay: 20260131})
			if got[0].Usia != nil || got[1].Usia == nil || *got[1].Usia != 0 {
				t.Errorf("ages %v, %v: want nil (not answered) and 0", got[0].Usia, got[1].Usia)
			}
			p, err := db.Profile(context.Background(), storage.Filter{UnitIDs: []int64{b.ID}})
			if err != nil {
				t.Fatal(err)
			}
			if p.Usia[0] != (storage.Count{Key: scoring.AgeUnder15, Count: 1}) {
				t.Errorf("the profile query bands %+v, want age 0 under 15", p.Usia)
			}
		})
		t.Run("a unit filter keeps only that unit", func(t *testing.T) {
			got := collect(storage.ExportFilter{UnitID: &a.ID, FromDay: 20260101, ToDay: 20261231})
			if len(got) != 3 || got[0].UnitCode != "EXA" || got[2].FinishedAt != 9000 {
				t.Errorf("got %+v", got)
			}
		})
		t.Run("a service filter keeps only that service's responses of its unit", func(t *testing.T) {
			got := collect(storage.ExportFilter{UnitID: &a.ID, ServiceID: &svc.ID, FromDay: 20260101, ToDay: 20261231})
			if len(got) != 1 || got[0].ServiceCode != "KTP" || got[0].FinishedAt != 3000 {
				t.Errorf("got %+v", got)
			}
			err := db.EachResponse(context.Background(), storage.ExportFilter{ServiceID: &svc.ID, ToDay: 20261231},
				func(storage.ResponseRow) error { return nil })
			if err == nil {
				t.Error("a service without its unit is not refused")
			}
		})
		t.Run("an error of the callback stops the walk and is returned", func(t *testing.T) {
			stop := errors.New("stop")
			n := 0
			err := db.EachResponse(context.Background(), storage.ExportFilter{FromDay: 0, ToDay: 99999999}, func(storage.ResponseRow) error {
				n++
				return stop
			})
			if !errors.Is(err, stop) || n != 1 {
				t.Errorf("err %v after %d rows", err, n)
			}
		})
	})
}

func TestAResponseOfASessionIDPast32BitsIsStored(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
			t.Fatal(err)
		}
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "BIG", Name: "Unit Besar"})
		if err != nil {
			t.Fatal(err)
		}
		const big = int64(3_000_000_000) // past the 2,147,483,647 of a 32-bit column
		err = db.InTx(ctx, func(tx *storage.Tx) error {
			rid, err := tx.Respondent("big-id", 1000)
			if err != nil {
				return err
			}
			sid, err := tx.CreateSession(storage.Session{Channel: "web", ChatID: "big", RespondentID: rid, UnitID: u.ID,
				FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: 1000, UpdatedAt: 1000, ExpiresAt: 2000})
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, db.Rebind("UPDATE sessions SET id = ? WHERE id = ?"), big, sid); err != nil {
				return err
			}
			four := 4
			return tx.InsertResponse(storage.Response{SessionID: big, RespondentID: rid, UnitID: u.ID, FlowID: "skm", FlowVersion: 1,
				Status: storage.ResponseComplete, FinishedAt: 1500, LocalDay: 20260101, Scores: [9]*int{&four, &four, &four, &four, &four, &four, &four, &four, &four}})
		})
		if err != nil {
			t.Fatalf("storing the response of session %d: %v", big, err)
		}
		var got []storage.ResponseRow
		if err := db.EachResponse(ctx, storage.ExportFilter{FromDay: 20260101, ToDay: 20260101}, func(r storage.ResponseRow) error {
			got = append(got, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].UnitCode != "BIG" {
			t.Fatalf("responses = %+v, want the one of unit BIG", got)
		}
	})
}
