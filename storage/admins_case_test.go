package storage_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// A username is one name whatever its case, as a unit's code is: ADMIN is taken by admin,
// "Admin" finds admin, and six spellings made at once on several connections make one
// account. Two accounts from before, differing only in case, both stay, each found by its
// own spelling only.
func TestUsernamesDifferingOnlyInCaseAreOneName(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		admin, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "admin", PasswordHash: "h", Role: storage.RoleProvince})
		if err != nil {
			t.Fatal(err)
		}
		var taken *storage.UsernameTakenError
		for _, name := range []string{"ADMIN", "Admin", "admin"} {
			_, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: name, PasswordHash: "h", Role: storage.RoleProvince})
			if !errors.As(err, &taken) || taken.Username != "admin" || !errors.Is(err, storage.ErrConflict) {
				t.Errorf("account %s: err = %v, want a conflict naming admin", name, err)
			}
			if got, err := db.FindAdminByUsername(ctx, name); err != nil || got.ID != admin.ID {
				t.Errorf("%s finds %+v, %v; want admin", name, got, err)
			}
		}
		if _, err := db.FindAdminByUsername(ctx, "admin2"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("an unknown name: %v", err)
		}

		spellings := []string{"KEPALA-DINAS", "kepala-dinas", "Kepala-Dinas", "KEPALA-dinas", "kEPALA-DINAS", "kepala-DINAS"}
		errs := make(chan error, len(spellings))
		for _, name := range spellings {
			go func() {
				_, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: name, PasswordHash: "h", Role: storage.RoleProvince})
				errs <- err
			}()
		}
		made := 0
		for range spellings {
			if err := <-errs; err == nil {
				made++
			} else if !errors.Is(err, storage.ErrConflict) {
				t.Errorf("at once: %v", err)
			}
		}
		if made != 1 {
			t.Errorf("six spellings at once made %d accounts, want 1", made)
		}

		// A database from before: two accounts whose names differ in case only.
		for _, name := range []string{"kepala", "KEPALA"} {
			if _, err := db.Exec(db.Rebind("INSERT INTO admins (username, password_hash, role, must_change_password, created_at) VALUES (?, 'h', 'province', 0, 0)"), name); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"kepala", "KEPALA"} {
			if got, err := db.FindAdminByUsername(ctx, name); err != nil || got.Username != name {
				t.Errorf("%s finds %+v, %v; want the account spelled so", name, got, err)
			}
		}
		if got, err := db.FindAdminByUsername(ctx, "Kepala"); !errors.Is(err, storage.ErrNotFound) {
			t.Errorf("Kepala, which is both, finds %+v, %v; want neither", got, err)
		}
		if _, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "kePala", PasswordHash: "h", Role: storage.RoleProvince}); !errors.As(err, &taken) ||
			!slices.Contains([]string{"kepala", "KEPALA"}, taken.Username) {
			t.Errorf("a third spelling: err = %v, want a conflict naming one of the two", err)
		}
	})
}
