package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Unit is a service unit (a Samsat office, a Dukcapil counter, a hospital ward).
type Unit struct {
	ID            int64  `db:"id" json:"-"`
	Code          string `db:"code" json:"code"`
	Name          string `db:"name" json:"name"`
	AgencyCode    string `db:"agency_code" json:"agency"`
	AgencyName    string `db:"agency_name" json:"agency_name"`
	Population    int64  `db:"population" json:"population"`
	StandingToken string `db:"standing_token" json:"-"`
	RetiredAt     *int64 `db:"retired_at" json:"-"`
	CreatedAt     int64  `db:"created_at" json:"-"`
}

// MaxPopulation is the largest yearly population of service users a unit may give: more
// than all of Indonesia, far from overflowing a sum over every unit.
const MaxPopulation = 1_000_000_000

// NewUnit is what CreateUnit needs. Agency is an agency code; it is created if new, with
// AgencyName (or the code) as its name. An existing agency keeps its name when AgencyName is
// empty or the same; another AgencyName renames it only with RenameAgency (the JSON API's
// documented "agency_name"), and is refused otherwise: a new unit would rename the agency of
// every unit it has.
type NewUnit struct {
	Code, Name, Agency, AgencyName string
	Population                     int64
	RenameAgency                   bool
}

// AgencyNameError is CreateUnit's refusal of an agency code given with another name than
// the agency has (without NewUnit.RenameAgency). Name is the agency's name now.
type AgencyNameError struct{ Code, Name string }

func (e *AgencyNameError) Error() string {
	return fmt.Sprintf("storage: agency %s is already named %q", e.Code, e.Name)
}

// CodeTakenError is ErrConflict (errors.Is) naming the code that has it. Unit and agency
// codes are one code whatever their case: PKM-KEPANJEN takes pkm-kepanjen too. The database
// has no unique index on the folded code, since a deployment may already hold two codes that
// differ only in case; CreateUnit and UpdateUnit check under a lock instead.
type CodeTakenError struct {
	Agency  bool   // an agency's code, not a unit's
	Service bool   // a service's code in its unit (CreateService)
	Code    string // as stored, which may differ from the code given in case
}

func (e *CodeTakenError) Error() string {
	what := "unit"
	switch {
	case e.Agency:
		what = "agency"
	case e.Service:
		what = "service"
	}
	return fmt.Sprintf("%s %s: %s", what, e.Code, ErrConflict)
}

// Is makes a CodeTakenError an ErrConflict.
func (e *CodeTakenError) Is(target error) bool { return target == ErrConflict }

// CreateUnit stores a unit. It returns a *CodeTakenError if a unit (retired ones included)
// has the code in any case, or the agency's code is another's in another case, and an
// *AgencyNameError if the agency exists with another name (see NewUnit).
func (db *DB) CreateUnit(ctx context.Context, n NewUnit) (Unit, error) {
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockCode(ctx, "unit", n.Code); err != nil {
			return err
		}
		var taken string
		err := tx.Q("find-unit-code-folded").GetContext(ctx, &taken, n.Code)
		if err == nil {
			return &CodeTakenError{Code: taken}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("storage: unit %s: %w", n.Code, err)
		}
		agencyID, err := tx.agency(ctx, n.Agency, n.AgencyName, n.RenameAgency)
		if err != nil {
			return err
		}
		var id int64
		err = tx.Q("insert-unit").GetContext(ctx, &id, n.Code, n.Name, agencyID, n.Population, db.Now().UnixMilli())
		if isUniqueViolation(err) {
			return &CodeTakenError{Code: n.Code}
		}
		return err
	})
	if err != nil {
		return Unit{}, err
	}
	return db.FindUnitByCode(ctx, n.Code)
}

// lockCode holds, until the transaction ends, a lock on a unit's or an agency's code (or an
// admin's username, or a flow's id) folded to lower case, so that two transactions creating
// PKM-1 and pkm-1 at once do not both find it free (PostgreSQL; SQLite has one writer at a
// time anyway).
func (tx *Tx) lockCode(ctx context.Context, kind, code string) error {
	if _, err := tx.Q("lock-code").ExecContext(ctx, kind+":"+strings.ToLower(code)); err != nil {
		return fmt.Errorf("storage: lock %s %s: %w", kind, code, err)
	}
	return nil
}

// agency returns the id of the agency with the code (nil for no code), creating it if new,
// named name or else its code. An existing agency is renamed only when a name is given and
// rename is true (otherwise another name is an *AgencyNameError): a unit saved with just its
// agency's code leaves the agency's name as it is. A code that is an agency's in another
// case is a *CodeTakenError.
func (tx *Tx) agency(ctx context.Context, code, name string, rename bool) (*int64, error) {
	if code == "" {
		return nil, nil
	}
	if err := tx.lockCode(ctx, "agency", code); err != nil {
		return nil, err
	}
	var cur Agency
	err := tx.Q("find-agency-code-folded").GetContext(ctx, &cur, code, code)
	switch {
	case err == nil && cur.Code != code:
		return nil, &CodeTakenError{Agency: true, Code: cur.Code}
	case err == nil && name != "" && cur.Name != name && !rename:
		return nil, &AgencyNameError{Code: cur.Code, Name: cur.Name}
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("storage: agency %s: %w", code, err)
	}
	q := "upsert-agency"
	if name == "" {
		q, name = "ensure-agency", code
	}
	var id int64
	if err := tx.Q(q).GetContext(ctx, &id, code, name); err != nil {
		return nil, fmt.Errorf("storage: agency %s: %w", code, err)
	}
	return &id, nil
}

// FindUnits returns every unit, ordered by code, but the internal preview unit.
func (db *DB) FindUnits(ctx context.Context) ([]Unit, error) {
	var us []Unit
	if err := db.Q("find-units").SelectContext(ctx, &us); err != nil {
		return nil, fmt.Errorf("storage: units: %w", err)
	}
	return us, nil
}

// FindUnitByCode returns the unit with the code in any case, or ErrNotFound.
func (db *DB) FindUnitByCode(ctx context.Context, code string) (Unit, error) {
	var u Unit
	err := db.Q("find-unit-by-code").GetContext(ctx, &u, code)
	if errors.Is(err, sql.ErrNoRows) {
		// Codes ignore case, as CreateUnit compares them: "samsat-sby" finds SAMSAT-SBY.
		var folded string
		if db.Q("find-unit-code-folded").GetContext(ctx, &folded, code) == nil && folded != code {
			err = db.Q("find-unit-by-code").GetContext(ctx, &u, folded)
		}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("unit %s: %w", code, ErrNotFound)
	}
	if err != nil {
		return Unit{}, fmt.Errorf("storage: unit %s: %w", code, err)
	}
	return u, nil
}

// FindUnit returns, within the transaction, the unit with the id, or ErrNotFound.
func (tx *Tx) FindUnit(id int64) (Unit, error) {
	var u Unit
	err := tx.Q("find-unit").GetContext(tx.ctx, &u, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, fmt.Errorf("unit %d: %w", id, ErrNotFound)
	}
	return u, wrap(err, "unit")
}
