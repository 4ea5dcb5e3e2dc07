package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

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

// period is a reporting period of the dashboard: a quarter or a year.
type period struct {
	Key, Label     string
	FromDay, ToDay int
}

// periods lists the choices of the period filter: the last eight quarters, newest first,
// then this year and last year.
func periods(now time.Time) []period {
	var out []period
	q := (int(now.Month()) - 1) / 3
	y := now.Year()
	for range 8 {
		from := time.Date(y, time.Month(3*q+1), 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 3, -1)
		out = append(out, period{Key: fmt.Sprintf("%d-Q%d", y, q+1), Label: fmt.Sprintf("Triwulan %s %d", romawi[q], y),
			FromDay: day(from), ToDay: day(to)})
		if q--; q < 0 {
			q, y = 3, y-1
		}
	}
	for _, y := range []int{now.Year(), now.Year() - 1} {
		out = append(out, period{Key: strconv.Itoa(y), Label: fmt.Sprintf("Tahun %d", y), FromDay: y*10000 + 101, ToDay: y*10000 + 1231})
	}
	return out
}

var romawi = []string{"I", "II", "III", "IV"}

func day(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// findPeriod returns the period with the key, or the first (the current quarter).
func findPeriod(ps []period, key string) period {
	for _, p := range ps {
		if p.Key == key {
			return p
		}
	}
	return ps[0]
}
