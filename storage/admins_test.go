package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestAdmins(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		unit, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT1", Name: "Samsat 1", Agency: "BAPENDA", AgencyName: "Bapenda"})
		if err != nil {
			t.Fatal(err)
		}
		agencies, err := db.ListAgencies(ctx)
		if err != nil || len(agencies) != 1 || agencies[0].Code != "BAPENDA" {
			t.Fatalf("agencies %+v, %v", agencies, err)
		}
		agency := agencies[0].ID

		t.Run("the first admin is created and found by name", func(t *testing.T) {
			if n, err := db.CountAdmins(ctx); err != nil || n != 0 {
				t.Fatalf("count %d, %v", n, err)
			}
			a, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "admin", PasswordHash: "h1", Role: storage.RoleProvince, MustChangePassword: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.FindAdminByUsername(ctx, "admin")
			if err != nil || got != a || !got.MustChangePassword || got.AgencyID != nil || got.CreatedAt != now.UnixMilli() {
				t.Errorf("found %+v, %v; want %+v", got, err, a)
			}
		})
		t.Run("a taken username is a conflict", func(t *testing.T) {
			_, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "admin", PasswordHash: "h", Role: storage.RoleProvince})
			if !errors.Is(err, storage.ErrConflict) {
				t.Errorf("got %v", err)
			}
		})
		t.Run("a unit admin needs an agency and knows its code", func(t *testing.T) {
			if _, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "x", PasswordHash: "h", Role: storage.RoleUnit}); err == nil {
				t.Error("created a unit admin without an agency")
			}
			a, err := db.CreateAdmin(ctx, storage.NewAdmin{Username: "bapenda", PasswordHash: "h", Role: storage.RoleUnit, AgencyID: &agency})
			if err != nil || a.AgencyCode != "BAPENDA" || a.AgencyName != "Bapenda" {
				t.Errorf("created %+v, %v", a, err)
			}
		})
		t.Run("a password change clears the must-change flag", func(t *testing.T) {
			a, _ := db.FindAdminByUsername(ctx, "admin")
			if err := db.SetAdminPassword(ctx, a.ID, "h2", false); err != nil {
				t.Fatal(err)
			}
			got, _ := db.FindAdminByID(ctx, a.ID)
			if got.PasswordHash != "h2" || got.MustChangePassword {
				t.Errorf("after change %+v", got)
			}
			if err := db.SetAdminPassword(ctx, 9999, "h", false); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("unknown admin: %v", err)
			}
		})
		t.Run("a session is found until it expires and not after logout", func(t *testing.T) {
			a, _ := db.FindAdminByUsername(ctx, "bapenda")
			if err := db.CreateAdminSession(ctx, "hash1", a.ID, "csrf1", now.Add(time.Hour).UnixMilli()); err != nil {
				t.Fatal(err)
			}
			s, err := db.FindAdminSession(ctx, "hash1")
			if err != nil || s.ID != a.ID || s.CSRFToken != "csrf1" || s.AgencyCode != "BAPENDA" {
				t.Errorf("session %+v, %v", s, err)
			}
			now = now.Add(2 * time.Hour)
			if _, err := db.FindAdminSession(ctx, "hash1"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("expired session: %v", err)
			}
			if n, err := db.PurgeAdminSessions(ctx); err != nil || n != 1 {
				t.Errorf("purged %d, %v", n, err)
			}
			db.CreateAdminSession(ctx, "hash2", a.ID, "csrf2", now.Add(time.Hour).UnixMilli())
			db.CreateAdminSession(ctx, "hash3", a.ID, "csrf3", now.Add(time.Hour).UnixMilli())
			if err := db.DeleteOtherAdminSessions(ctx, a.ID, "hash3"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.FindAdminSession(ctx, "hash2"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("other session kept: %v", err)
			}
			if err := db.DeleteAdminSession(ctx, "hash3"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.FindAdminSession(ctx, "hash3"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("logged out session: %v", err)
			}
		})
		t.Run("deleting an admin deletes its sessions", func(t *testing.T) {
			a, _ := db.FindAdminByUsername(ctx, "bapenda")
			db.CreateAdminSession(ctx, "hash4", a.ID, "c", now.Add(time.Hour).UnixMilli())
			if err := db.DeleteAdmin(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := db.FindAdminSession(ctx, "hash4"); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("session of a deleted admin: %v", err)
			}
			all, err := db.FindAdmins(ctx)
			if err != nil || len(all) != 1 || all[0].Username != "admin" {
				t.Errorf("admins %+v, %v", all, err)
			}
		})
		t.Run("a unit is edited, retired and restored but keeps its code", func(t *testing.T) {
			err := db.UpdateUnit(ctx, unit.ID, storage.UnitUpdate{Name: "Samsat Kota", Agency: "DISHUB", AgencyName: "Dinas Perhubungan", Population: 500})
			if err != nil {
				t.Fatal(err)
			}
			u, _ := db.FindUnitByCode(ctx, "SAMSAT1")
			if u.Name != "Samsat Kota" || u.AgencyCode != "DISHUB" || u.Population != 500 {
				t.Errorf("updated %+v", u)
			}
			if err := db.RetireUnit(ctx, unit.ID); err != nil {
				t.Fatal(err)
			}
			if u, _ := db.FindUnitByCode(ctx, "SAMSAT1"); u.RetiredAt == nil {
				t.Error("not retired")
			}
			if err := db.RestoreUnit(ctx, unit.ID); err != nil {
				t.Fatal(err)
			}
			if u, _ := db.FindUnitByCode(ctx, "SAMSAT1"); u.RetiredAt != nil {
				t.Error("not restored")
			}
			if err := db.UpdateUnit(ctx, 9999, storage.UnitUpdate{Name: "x"}); !errors.Is(err, storage.ErrNotFound) {
				t.Errorf("unknown unit: %v", err)
			}
		})
		t.Run("an agency keeps its name when a unit names only its code", func(t *testing.T) {
			name := func() string {
				t.Helper()
				u, err := db.FindUnitByCode(ctx, "SAMSAT1")
				if err != nil {
					t.Fatal(err)
				}
				return u.AgencyName
			}
			if err := db.UpdateUnit(ctx, unit.ID, storage.UnitUpdate{Name: "Samsat Kota", Agency: "DISHUB", Population: 600}); err != nil {
				t.Fatal(err)
			}
			if got := name(); got != "Dinas Perhubungan" {
				t.Errorf("after an edit without agency name: %q, want %q", got, "Dinas Perhubungan")
			}
			if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DISHUB2", Name: "Terminal", Agency: "DISHUB"}); err != nil {
				t.Fatal(err)
			}
			if got := name(); got != "Dinas Perhubungan" {
				t.Errorf("after a new unit of the agency without its name: %q, want %q", got, "Dinas Perhubungan")
			}
			if err := db.UpdateUnit(ctx, unit.ID, storage.UnitUpdate{Name: "Samsat Kota", Agency: "DISHUB", AgencyName: "Dishub Provinsi", Population: 600}); err != nil {
				t.Fatal(err)
			}
			if got := name(); got != "Dishub Provinsi" {
				t.Errorf("after a rename: %q, want %q", got, "Dishub Provinsi")
			}
		})
		t.Run("the latest suggestions come newest first and only from the chosen units", func(t *testing.T) {
			other, _ := db.CreateUnit(ctx, storage.NewUnit{Code: "OTHER", Name: "Other"})
			seedResponse(t, db, unit.ID, 20261101, "lama")
			seedResponse(t, db, unit.ID, 20261102, "baru")
			seedResponse(t, db, other.ID, 20261103, "lain")
			seedResponse(t, db, unit.ID, 20261104, "")
			seedOpenAnswers(t, db, unit.ID, 20261105, "", "antrean terlalu panjang") // what to improve only
			got, err := db.LatestSuggestions(ctx, storage.Filter{UnitIDs: []int64{unit.ID}, FromDay: 20261001, ToDay: 20261231}, 10)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].Perbaikan != "antrean terlalu panjang" || got[0].Text != "" ||
				got[1].Text != "baru" || got[2].Text != "lama" || got[1].UnitCode != "SAMSAT1" {
				t.Errorf("suggestions %+v", got)
			}
		})
	})
}

// seedResponse stores one complete response with every element scored 4.
func seedResponse(t *testing.T, db *storage.DB, unitID int64, day int, saran string) {
	t.Helper()
	seedOpenAnswers(t, db, unitID, day, saran, "")
}

// seedOpenAnswers stores one complete response with every element scored 4 and the open
// answers given ("" for none).
func seedOpenAnswers(t *testing.T, db *storage.DB, unitID int64, day int, saran, perbaikan string) {
	t.Helper()
	ctx := context.Background()
	finished := time.Date(day/10000, time.Month(day/100%100), day%100, 10, 0, 0, 0, time.UTC).UnixMilli()
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO flows (id, version, source, published_by, published_at)
			SELECT 'seed', 1, '', 'test', 0 WHERE NOT EXISTS (SELECT 1 FROM flows WHERE id = 'seed')`)); err != nil {
			return err
		}
		resp, err := tx.Respondent("p"+saran+perbaikan+time.UnixMilli(finished).String(), finished)
		if err != nil {
			return err
		}
		sid, err := tx.CreateSession(storage.Session{Channel: "web", ChatID: "c", RespondentID: resp, UnitID: unitID, FlowID: "seed", FlowVersion: 1, Language: "id", State: "active", StartedAt: finished, UpdatedAt: finished, ExpiresAt: finished + 1})
		if err != nil {
			return err
		}
		if err := tx.EndSession(sid, "completed", finished); err != nil {
			return err
		}
		r := storage.Response{SessionID: sid, RespondentID: resp, UnitID: unitID, FlowID: "seed", FlowVersion: 1, Status: "complete", FinishedAt: finished, LocalDay: day}
		for i := range r.Scores {
			four := 4
			r.Scores[i] = &four
		}
		if saran != "" {
			r.Saran = &saran
		}
		if perbaikan != "" {
			r.Perbaikan = &perbaikan
		}
		return tx.InsertResponse(r)
	})
	if err != nil {
		t.Fatalf("seed response: %v", err)
	}
}
