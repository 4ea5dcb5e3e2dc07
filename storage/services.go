package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
)

// Service is one service a unit gives (a licence renewal, a birth certificate); a visit may
// name it so results can be read per service.
type Service struct {
	ID        int64  `db:"id" json:"-"`
	UnitID    int64  `db:"unit_id" json:"-"`
	Code      string `db:"code" json:"code"`
	Name      string `db:"name" json:"name"`
	RetiredAt *int64 `db:"retired_at" json:"-"`
	CreatedAt int64  `db:"created_at" json:"-"`
}

// Retired reports whether the service no longer takes new visits.
func (s Service) Retired() bool { return s.RetiredAt != nil }

// NewService is what CreateService needs.
type NewService struct {
	UnitID     int64
	Code, Name string
}

// CreateService stores a service of a unit. It returns ErrConflict if the unit already has a
// service with the code.
func (db *DB) CreateService(ctx context.Context, n NewService) (Service, error) {
	var s Service
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockCode(ctx, fmt.Sprint("service:", n.UnitID), n.Code); err != nil {
			return err
		}
		var taken string
		err := tx.Q("find-service-code-folded").GetContext(ctx, &taken, n.UnitID, n.Code)
		if err == nil {
			return &CodeTakenError{Service: true, Code: taken}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		err = tx.Q("insert-service").GetContext(ctx, &s, n.UnitID, n.Code, n.Name, db.Now().UnixMilli())
		if isUniqueViolation(err) {
			return &CodeTakenError{Service: true, Code: n.Code}
		}
		return err
	})
	if errors.Is(err, ErrConflict) {
		return Service{}, err
	}
	if err != nil {
		return Service{}, fmt.Errorf("storage: create service %s: %w", n.Code, err)
	}
	return s, nil
}

// FindServices returns every service of a unit, retired ones included, ordered by code.
func (db *DB) FindServices(ctx context.Context, unitID int64) ([]Service, error) {
	ss := []Service{}
	if err := db.Q("find-services").SelectContext(ctx, &ss, unitID); err != nil {
		return nil, fmt.Errorf("storage: services of unit %d: %w", unitID, err)
	}
	return ss, nil
}

// ActiveServices returns the services of a unit that take visits, ordered by code.
func (tx *Tx) ActiveServices(unitID int64) ([]Service, error) {
	var ss []Service
	if err := tx.Q("find-services").SelectContext(tx.ctx, &ss, unitID); err != nil {
		return nil, fmt.Errorf("storage: services of unit %d: %w", unitID, err)
	}
	return slices.DeleteFunc(ss, Service.Retired), nil
}

// FindServiceByCode returns the unit's service with the code in any case, retired or not, or
// ErrNotFound.
func (db *DB) FindServiceByCode(ctx context.Context, unitID int64, code string) (Service, error) {
	var s Service
	err := db.Q("find-service-by-code").GetContext(ctx, &s, unitID, code)
	if errors.Is(err, sql.ErrNoRows) {
		// Codes ignore case, as CreateService compares them.
		var folded string
		if db.Q("find-service-code-folded").GetContext(ctx, &folded, unitID, code) == nil && folded != code {
			err = db.Q("find-service-by-code").GetContext(ctx, &s, unitID, folded)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Service{}, fmt.Errorf("service %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Service{}, fmt.Errorf("storage: service %s: %w", code, err)
	}
	return s, nil
}

// RetireService stops a service from taking new visits; its past responses stay counted.
// Retiring a retired service keeps the first date. It returns ErrNotFound if no service has
// the id.
func (db *DB) RetireService(ctx context.Context, id int64) error {
	res, err := db.Q("retire-service").ExecContext(ctx, db.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("storage: retire service %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("service %d: %w", id, ErrNotFound)
	}
	return nil
}

// RestoreService undoes RetireService: the service takes new visits again. It returns
// ErrNotFound if no service has the id.
func (db *DB) RestoreService(ctx context.Context, id int64) error {
	res, err := db.Q("restore-service").ExecContext(ctx, id)
	if err != nil {
		return fmt.Errorf("storage: restore service %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("service %d: %w", id, ErrNotFound)
	}
	return nil
}
