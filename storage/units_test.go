package storage_test

import (
	"context"
	"errors"
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
