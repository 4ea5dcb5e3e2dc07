package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"sukma/storage"
)

// units returns the units the admin may see: every unit for a province admin, their
// agency's for a unit admin; never the hidden preview unit.
func (s *Server) units(ctx context.Context, a *storage.AdminSession) ([]storage.Unit, error) {
	all, err := s.DB.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, u := range all {
		if u.Code != storage.PreviewUnitCode && canSee(a, u) {
			out = append(out, u)
		}
	}
	return out, nil
}

// canSee reports whether the admin may see and edit the unit.
func canSee(a *storage.AdminSession, u storage.Unit) bool {
	if u.Code == storage.PreviewUnitCode {
		return false
	}
	return a.Role == storage.RoleProvince || (a.AgencyCode != "" && u.AgencyCode == a.AgencyCode)
}

// unitFromPath finds the unit {code} if the admin may see it; otherwise it answers 404 (the
// same for a unit of another agency as for none: a unit admin learns nothing of others) and
// returns false.
func (s *Server) unitFromPath(w http.ResponseWriter, r *http.Request) (storage.Unit, bool) {
	code := r.PathValue("code")
	u, err := s.DB.FindUnitByCode(r.Context(), code)
	if err == nil && !canSee(current(r), u) {
		err = storage.ErrNotFound
	}
	if errors.Is(err, storage.ErrNotFound) {
		s.notFound(w, r, fmt.Sprintf("Unit %q tidak ditemukan, atau bukan unit instansi Anda.", code))
		return u, false
	}
	if err != nil {
		s.fail(w, r, err)
		return u, false
	}
	return u, true
}
