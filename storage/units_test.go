package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A new unit names its agency by code; a name given with it names a new agency, and must be
// the name an existing agency has: otherwise one new unit would rename the agency of all its
// units. The JSON API renames on purpose (RenameAgency), as it documents.
func TestANewUnitDoesNotRenameItsAgency(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD-1", Name: "RSUD 1", Agency: "DEMO-RSUD", AgencyName: "RSUD Dr. Soetomo"}); err != nil {
			t.Fatal(err)
		}
		agencyName := func() string {
			t.Helper()
			a, err := db.FindAgencyByCode(ctx, "DEMO-RSUD")
			if err != nil {
				t.Fatal(err)
			}
			return a.Name
		}
		_, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD-2", Name: "RSUD 2", Agency: "DEMO-RSUD", AgencyName: "Dinas Kesehatan"})
		var named *storage.AgencyNameError
		if !errors.As(err, &named) || named.Code != "DEMO-RSUD" || named.Name != "RSUD Dr. Soetomo" {
			t.Fatalf("a new unit naming the agency otherwise: err = %v, want an AgencyNameError with its name", err)
		}
		if got := agencyName(); got != "RSUD Dr. Soetomo" {
			t.Errorf("after the refusal the agency is named %q", got)
		}
		if _, err := db.FindUnitByCode(ctx, "RSUD-2"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the refused unit was stored: %v", err)
		}
		for _, name := range []string{"", "RSUD Dr. Soetomo"} {
			code := "RSUD-3" + name[:min(len(name), 1)]
			if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: code, Name: "RSUD 3", Agency: "DEMO-RSUD", AgencyName: name}); err != nil {
				t.Errorf("a new unit with the agency's name %q: %v", name, err)
			}
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD-4", Name: "RSUD 4", Agency: "DEMO-RSUD", AgencyName: "RSUD Provinsi", RenameAgency: true}); err != nil {
			t.Fatal(err)
		}
		if got := agencyName(); got != "RSUD Provinsi" {
			t.Errorf("with RenameAgency the agency is named %q, want it renamed", got)
		}
	})
}

// A unit's code is one code whatever its case: pkm-kepanjen is taken by PKM-KEPANJEN, retired
// or not, and an agency's code likewise; two at once, on two connections, make one unit.
func TestCodesDifferingOnlyInCaseAreOneCode(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "PKM-KEPANJEN", Name: "Puskesmas Kepanjen", Agency: "DINKES", AgencyName: "Dinas Kesehatan"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.RetireUnit(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		var taken *storage.CodeTakenError
		for _, code := range []string{"pkm-kepanjen", "Pkm-Kepanjen", "PKM-KEPANJEN"} {
			_, err := db.CreateUnit(ctx, storage.NewUnit{Code: code, Name: "Puskesmas"})
			if !errors.As(err, &taken) || taken.Agency || taken.Code != "PKM-KEPANJEN" || !errors.Is(err, storage.ErrConflict) {
				t.Errorf("unit %s: err = %v, want ErrConflict naming PKM-KEPANJEN", code, err)
			}
		}
		_, err = db.CreateUnit(ctx, storage.NewUnit{Code: "PKM-2", Name: "Puskesmas 2", Agency: "dinkes"})
		if !errors.As(err, &taken) || !taken.Agency || taken.Code != "DINKES" {
			t.Errorf("agency dinkes: err = %v, want a CodeTakenError naming DINKES", err)
		}
		if _, err := db.FindUnitByCode(ctx, "PKM-2"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("the unit of a refused agency was stored: %v", err)
		}
		if err := db.UpdateUnit(ctx, u.ID, storage.UnitUpdate{Name: "Puskesmas Kepanjen", Agency: "Dinkes"}); !errors.As(err, &taken) || !taken.Agency {
			t.Errorf("an edit to agency Dinkes: err = %v, want a CodeTakenError", err)
		}
		var agencies int
		if err := db.Get(&agencies, "SELECT COUNT(*) FROM agencies"); err != nil || agencies != 1 {
			t.Errorf("%d agencies, %v: want DINKES alone", agencies, err)
		}

		// Six at once: units of one code in six spellings, and six units of one new agency
		// code in six spellings. One of each is made.
		spellings := []string{"BARU-X", "baru-x", "Baru-X", "BARU-x", "bARU-X", "baru-X"}
		for _, tt := range []struct {
			name string
			unit func(i int) storage.NewUnit
		}{
			{"one unit code", func(i int) storage.NewUnit { return storage.NewUnit{Code: spellings[i], Name: "Baru"} }},
			{"one agency code", func(i int) storage.NewUnit {
				return storage.NewUnit{Code: fmt.Sprintf("UNIT-%d", i), Name: "Unit", Agency: "AG-" + spellings[i]}
			}},
		} {
			errs := make(chan error, len(spellings))
			for i := range spellings {
				go func() {
					_, err := db.CreateUnit(ctx, tt.unit(i))
					errs <- err
				}()
			}
			made := 0
			for range spellings {
				if err := <-errs; err == nil {
					made++
				} else if !errors.Is(err, storage.ErrConflict) {
					t.Errorf("%s at once: %v", tt.name, err)
				}
			}
			var agencies int
			if err := db.Get(&agencies, "SELECT COUNT(*) FROM agencies WHERE lower(code) = 'ag-baru-x'"); err != nil {
				t.Fatal(err)
			}
			if made != 1 {
				t.Errorf("%s six times at once made %d units, want 1", tt.name, made)
			}
			if tt.name == "one agency code" && agencies != 1 {
				t.Errorf("%s six times at once made %d agencies, want 1", tt.name, agencies)
			}
		}
	})
}

// Codes ignore case when a unit or a service is made; so they do when one is looked up: a
// queue system that writes "samsat-sby" finds SAMSAT-SBY, its service "pkb" finds PKB.
func TestUnitsAndServicesAreFoundByTheirCodeInAnyCase(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		u, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT-SBY", Name: "Samsat Surabaya"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateService(ctx, storage.NewService{UnitID: u.ID, Code: "PKB", Name: "Pajak kendaraan"}); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindUnitByCode(ctx, "samsat-Sby"); err != nil || got.ID != u.ID || got.Code != "SAMSAT-SBY" {
			t.Errorf("samsat-Sby: %+v, %v", got, err)
		}
		if got, err := db.FindServiceByCode(ctx, u.ID, "pkb"); err != nil || got.Code != "PKB" {
			t.Errorf("pkb: %+v, %v", got, err)
		}
		if _, err := db.FindUnitByCode(ctx, "samsat"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a code that is not one in any case: %v, want ErrNotFound", err)
		}
	})
}

// An agency's code is found in any case too, as the units' are: a head subscribed to
// "demo-rsud" follows DEMO-RSUD, named as stored.
func TestAgenciesAreFoundByTheirCodeInAnyCase(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD-1", Name: "RSUD 1", Agency: "DEMO-RSUD", AgencyName: "RSUD Dr. Soetomo"}); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"DEMO-RSUD", "demo-rsud", "Demo-Rsud"} {
			if a, err := db.FindAgencyByCode(ctx, code); err != nil || a.Code != "DEMO-RSUD" || a.Name != "RSUD Dr. Soetomo" {
				t.Errorf("%s: %+v, %v; want DEMO-RSUD", code, a, err)
			}
		}
		if _, err := db.FindAgencyByCode(ctx, "demo"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("a code that is not one in any case: %v, want ErrNotFound", err)
		}
	})
}
