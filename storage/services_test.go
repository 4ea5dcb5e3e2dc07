package storage_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func newUnit(t *testing.T, db *storage.DB, code string) storage.Unit {
	t.Helper()
	u, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: code, Name: "Unit " + code})
	if err != nil {
		t.Fatalf("create unit %s: %v", code, err)
	}
	return u
}

func TestServices(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a, b := newUnit(t, db, "A"), newUnit(t, db, "B")

		t.Run("a created service is found by its unit and code", func(t *testing.T) {
			s, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KTP", Name: "Kartu Tanda Penduduk"})
			if err != nil {
				t.Fatal(err)
			}
			if s.ID == 0 || s.UnitID != a.ID || s.Code != "KTP" || s.Name != "Kartu Tanda Penduduk" || s.Retired() || s.CreatedAt == 0 {
				t.Errorf("created %+v", s)
			}
			got, err := db.FindServiceByCode(ctx, a.ID, "KTP")
			if err != nil || got != s {
				t.Errorf("found %+v, %v; want %+v", got, err, s)
			}
		})
		t.Run("the same code in the same unit is a conflict", func(t *testing.T) {
			_, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KTP", Name: "again"})
			if !errors.Is(err, storage.ErrConflict) {
				t.Errorf("err = %v, want ErrConflict", err)
			}
		})
		t.Run("the same code in another unit is another service", func(t *testing.T) {
			if _, err := db.CreateService(ctx, storage.NewService{UnitID: b.ID, Code: "KTP", Name: "KTP B"}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("an unknown code is not found", func(t *testing.T) {
			_, err := db.FindServiceByCode(ctx, a.ID, "SIM")
			if !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("a unit's services are listed by code, and only its own", func(t *testing.T) {
			if _, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "AKTA", Name: "Akta"}); err != nil {
				t.Fatal(err)
			}
			ss, err := db.FindServices(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ss) != 2 || ss[0].Code != "AKTA" || ss[1].Code != "KTP" {
				t.Errorf("services of A = %+v, want AKTA, KTP", ss)
			}
		})
		t.Run("a unit without services lists an empty slice, not nil", func(t *testing.T) {
			ss, err := db.FindServices(ctx, newUnit(t, db, "C").ID)
			if err != nil || ss == nil || len(ss) != 0 {
				t.Errorf("services = %#v, %v", ss, err)
			}
		})
		t.Run("a retired service keeps its first retirement date", func(t *testing.T) {
			s, _ := db.FindServiceByCode(ctx, a.ID, "AKTA")
			if err := db.RetireService(ctx, s.ID); err != nil {
				t.Fatal(err)
			}
			first, _ := db.FindServiceByCode(ctx, a.ID, "AKTA")
			if !first.Retired() {
				t.Fatal("not retired")
			}
			if err := db.RetireService(ctx, s.ID); err != nil {
				t.Fatal(err)
			}
			again, _ := db.FindServiceByCode(ctx, a.ID, "AKTA")
			if *again.RetiredAt != *first.RetiredAt {
				t.Errorf("retired at %d, then %d", *first.RetiredAt, *again.RetiredAt)
			}
		})
		t.Run("retiring an unknown service is not found", func(t *testing.T) {
			if err := db.RetireService(ctx, 999999); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("a retired service is restored", func(t *testing.T) {
			s, _ := db.FindServiceByCode(ctx, a.ID, "AKTA")
			if err := db.RestoreService(ctx, s.ID); err != nil {
				t.Fatal(err)
			}
			if again, _ := db.FindServiceByCode(ctx, a.ID, "AKTA"); again.Retired() {
				t.Error("still retired")
			}
			if err := db.RestoreService(ctx, 999999); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("an unknown service: err = %v, want ErrNotFound", err)
			}
		})
	})
}

func TestStandingTokens(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u := newUnit(t, db, "S")
		n := 0
		gen := func() string { n++; return fmt.Sprintf("tok-%d", n) }

		t.Run("the first call stores a generated token", func(t *testing.T) {
			tok, err := db.EnsureStandingToken(ctx, u.ID, gen)
			if err != nil || tok != "tok-1" {
				t.Errorf("token = %q, %v; want tok-1", tok, err)
			}
		})
		t.Run("later calls return the stored token", func(t *testing.T) {
			tok, err := db.EnsureStandingToken(ctx, u.ID, gen)
			if err != nil || tok != "tok-1" {
				t.Errorf("token = %q, %v; want tok-1", tok, err)
			}
		})
		t.Run("the unit is found by its token", func(t *testing.T) {
			got, err := db.FindUnitByStandingToken(ctx, "tok-1")
			if err != nil || got.ID != u.ID || got.StandingToken != "tok-1" {
				t.Errorf("unit = %+v, %v", got, err)
			}
		})
		t.Run("unknown and empty tokens are not found", func(t *testing.T) {
			for _, tok := range []string{"nope", ""} {
				if _, err := db.FindUnitByStandingToken(ctx, tok); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("token %q: err = %v, want ErrNotFound", tok, err)
				}
			}
		})
		t.Run("a token taken by another unit is drawn again", func(t *testing.T) {
			other := newUnit(t, db, "T")
			draws := []string{"tok-1", "fresh"}
			tok, err := db.EnsureStandingToken(ctx, other.ID, func() string { d := draws[0]; draws = draws[1:]; return d })
			if err != nil || tok != "fresh" {
				t.Errorf("token = %q, %v; want fresh", tok, err)
			}
		})
		t.Run("an unknown unit is not found", func(t *testing.T) {
			if _, err := db.EnsureStandingToken(ctx, 999999, gen); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("err = %v, want ErrNotFound", err)
			}
		})
		t.Run("concurrent callers all get the same token", func(t *testing.T) {
			unit := newUnit(t, db, "U")
			var wg sync.WaitGroup
			toks := make([]string, 8)
			errs := make([]error, 8)
			for i := range toks {
				wg.Go(func() {
					toks[i], errs[i] = db.EnsureStandingToken(ctx, unit.ID, func() string { return fmt.Sprintf("c-%d", i) })
				})
			}
			wg.Wait()
			for i := range toks {
				if errs[i] != nil || toks[i] != toks[0] {
					t.Errorf("caller %d: %q, %v; caller 0: %q", i, toks[i], errs[i], toks[0])
				}
			}
		})
	})
}

// A unit's services in use have names of their own, in any case: two of one name would be one
// choice twice for the citizen and in the dashboard's filter. A retired service's name may be
// taken again, and a service may be renamed, to a name no other has.
func TestServiceNamesAreTheirUnitsOwn(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a, b := newUnit(t, db, "A"), newUnit(t, db, "B")
		akta, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "AKTA", Name: "Akta Kelahiran"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "AKTA2", Name: "akta kelahiran"})
		var taken *storage.ServiceNameTakenError
		if !errors.As(err, &taken) || taken.Code != "AKTA" || !errors.Is(err, storage.ErrConflict) {
			t.Fatalf("a second service named Akta Kelahiran: %v, want the name taken by AKTA", err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: b.ID, Code: "AKTA", Name: "Akta Kelahiran"}); err != nil {
			t.Errorf("another unit's service of the name: %v", err)
		}
		kk, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KK", Name: "Kartu Keluarga"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RenameService(ctx, kk.ID, "AKTA KELAHIRAN"); !errors.As(err, &taken) || taken.Code != "AKTA" {
			t.Errorf("renamed to another's name: %v", err)
		}
		if err := db.RenameService(ctx, akta.ID, "Akta Kelahiran Anak"); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.FindServiceByCode(ctx, a.ID, "AKTA"); got.Name != "Akta Kelahiran Anak" {
			t.Errorf("renamed: %q", got.Name)
		}
		if err := db.RenameService(ctx, akta.ID, "akta kelahiran anak"); err != nil {
			t.Errorf("a service renamed in another case of its own name: %v", err)
		}
		if err := db.RetireService(ctx, kk.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KK2", Name: "Kartu Keluarga"}); err != nil {
			t.Errorf("a retired service's name taken again: %v", err)
		}
		if err := db.RenameService(ctx, 987654, "X"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("an unknown service renamed: %v", err)
		}
	})
}
