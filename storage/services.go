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

// CreateService stores a service of a unit. It returns a *CodeTakenError if the unit already
// has a service with the code (in any case), and a *ServiceNameTakenError if one of its
// services in use has the name.
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
		if err := tx.serviceNameFree(ctx, n.UnitID, n.Name, 0); err != nil {
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

// ServiceNameTakenError refuses a name another of the unit's services in use has, in any case:
// two services of one name would be one choice twice for the citizen, in the dashboard's
// filter and in the exports.
type ServiceNameTakenError struct{ Code, Name string } // the service that has it

func (e *ServiceNameTakenError) Error() string {
	return fmt.Sprintf("service name %q is service %s's: %s", e.Name, e.Code, ErrConflict)
}

// Is makes a ServiceNameTakenError an ErrConflict.
func (e *ServiceNameTakenError) Is(target error) bool { return target == ErrConflict }

// serviceNameFree returns a *ServiceNameTakenError if a service of the unit in use, other than
// the service except, has the name in any case. The unit's services are locked first, so that
// two saves of one name cannot both find it free.
func (tx *Tx) serviceNameFree(ctx context.Context, unitID int64, name string, except int64) error {
	if err := tx.lockCode(ctx, fmt.Sprint("service-name:", unitID), name); err != nil {
		return err
	}
	var taken ServiceNameTakenError
	err := tx.Q("find-service-name-folded").GetContext(ctx, &taken, unitID, name, except)
	if err == nil {
		return &taken
	} else if !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return nil
}

// RenameService gives a service a new name; its code, visits and responses stay as they are
// (the exports name a response's service as it is named when exported). It returns a
// *ServiceNameTakenError if another of the unit's services in use has the name, and
// ErrNotFound if no service has the id.
func (db *DB) RenameService(ctx context.Context, id int64, name string) error {
	err := db.InTx(ctx, func(tx *Tx) error {
		var unitID int64
		if err := tx.Q("find-service-unit").GetContext(ctx, &unitID, id); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("service %d: %w", id, ErrNotFound)
		} else if err != nil {
			return err
		}
		if err := tx.serviceNameFree(ctx, unitID, name, id); err != nil {
			return err
		}
		_, err := tx.Q("rename-service").ExecContext(ctx, name, id)
		return err
	})
	if err != nil && !errors.Is(err, ErrConflict) && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("storage: rename service %d: %w", id, err)
	}
	return err
}
