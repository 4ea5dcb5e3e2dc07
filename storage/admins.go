package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// Admin roles: a province admin (Biro Organisasi) sees and edits everything; a unit admin
// only the units of their agency.
const (
	RoleProvince = "province"
	RoleUnit     = "unit"
)

// Admin is an account of the admin web UI.
type Admin struct {
	ID           int64  `db:"id"`
	Username     string `db:"username"`
	PasswordHash string `db:"password_hash"`
	Role         string `db:"role"`
	AgencyID     *int64 `db:"agency_id"` // set for unit admins
	AgencyCode   string `db:"agency_code"`
	AgencyName   string `db:"agency_name"`
	// MustChangePassword is set on an account whose password someone else chose (the
	// first admin's is the admin token); the UI asks for a new one before anything else.
	MustChangePassword bool  `db:"must_change_password"`
	CreatedAt          int64 `db:"created_at"`
}

// NewAdmin is what CreateAdmin stores. PasswordHash is a bcrypt hash; the caller hashes.
type NewAdmin struct {
	Username, PasswordHash, Role string
	AgencyID                     *int64
	MustChangePassword           bool
}

// CountAdmins returns how many admin accounts exist.
func (db *DB) CountAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := db.Q("count-admins").GetContext(ctx, &n)
	return n, wrap(err, "count admins")
}

// UsernameTakenError is ErrConflict (errors.Is) naming the account whose username is taken.
// Usernames are one name whatever their case, as signing in finds them: ADMIN is taken by
// admin. As with unit codes (CodeTakenError), the database has no unique index on the folded
// name, since one may already hold two that differ only in case; CreateAdmin checks under a
// lock instead.
type UsernameTakenError struct {
	Username string // as stored, which may differ from the name given in case
}

func (e *UsernameTakenError) Error() string {
	return fmt.Sprintf("admin %s: %s", e.Username, ErrConflict)
}

// Is makes a UsernameTakenError an ErrConflict.
func (e *UsernameTakenError) Is(target error) bool { return target == ErrConflict }

// CreateAdmin stores an account. It returns a *UsernameTakenError if an account has the
// username in any case, and an error if the role is unknown or a unit admin has no agency.
func (db *DB) CreateAdmin(ctx context.Context, n NewAdmin) (Admin, error) {
	switch {
	case n.Role != RoleProvince && n.Role != RoleUnit:
		return Admin{}, fmt.Errorf("storage: admin %s: role must be %s or %s", n.Username, RoleProvince, RoleUnit)
	case n.Role == RoleUnit && n.AgencyID == nil:
		return Admin{}, fmt.Errorf("storage: admin %s: a unit admin needs an agency", n.Username)
	case n.Role == RoleProvince:
		n.AgencyID = nil
	}
	var id int64
	err := db.InTx(ctx, func(tx *Tx) error {
		if err := tx.lockCode(ctx, "admin", n.Username); err != nil {
			return err
		}
		var taken []string
		if err := tx.Q("find-admin-usernames-folded").SelectContext(ctx, &taken, n.Username); err != nil {
			return wrap(err, "admin %s", n.Username)
		}
		if len(taken) > 0 {
			return &UsernameTakenError{Username: taken[0]}
		}
		err := tx.Q("insert-admin").GetContext(ctx, &id, n.Username, n.PasswordHash, n.Role, n.AgencyID, boolInt(n.MustChangePassword), db.Now().UnixMilli())
		if isUniqueViolation(err) {
			return &UsernameTakenError{Username: n.Username}
		}
		return wrap(err, "create admin %s", n.Username)
	})
	if err != nil {
		return Admin{}, err
	}
	return db.FindAdminByID(ctx, id)
}

// FindAdminByUsername returns the account named username in any case ("Admin" finds admin):
// the one spelled exactly so, else the one whose name differs from it in case only. It
// returns ErrNotFound if there is none, and also if there are several such (accounts made
// before usernames ignored case, ADMIN beside admin): each of those is found by its own
// spelling only.
func (db *DB) FindAdminByUsername(ctx context.Context, username string) (Admin, error) {
	a, err := db.findAdmin(ctx, "find-admin-by-username", username)
	if !errors.Is(err, ErrNotFound) {
		return a, err
	}
	var folded []string
	if err := db.Q("find-admin-usernames-folded").SelectContext(ctx, &folded, username); err != nil {
		return Admin{}, wrap(err, "admin %s", username)
	}
	switch len(folded) {
	case 0:
		return Admin{}, fmt.Errorf("admin %s: %w", username, ErrNotFound)
	case 1:
		return db.findAdmin(ctx, "find-admin-by-username", folded[0])
	}
	return Admin{}, fmt.Errorf("admin %s: %d accounts differ from it in case only (%s), and none is spelled so: %w",
		username, len(folded), strings.Join(folded, ", "), ErrNotFound)
}

// FindAdminByID returns the account, or ErrNotFound.
func (db *DB) FindAdminByID(ctx context.Context, id int64) (Admin, error) {
	return db.findAdmin(ctx, "find-admin-by-id", id)
}

func (db *DB) findAdmin(ctx context.Context, query string, key any) (Admin, error) {
	var a Admin
	err := db.Q(query).GetContext(ctx, &a, key)
	if errors.Is(err, sql.ErrNoRows) {
		return Admin{}, fmt.Errorf("admin %v: %w", key, ErrNotFound)
	}
	return a, wrap(err, "admin %v", key)
}

// FindAdmins returns every account, ordered by username.
func (db *DB) FindAdmins(ctx context.Context) ([]Admin, error) {
	as := []Admin{}
	err := db.Q("find-admins").SelectContext(ctx, &as)
	return as, wrap(err, "admins")
}

// SetAdminPassword replaces an account's password hash. It returns ErrNotFound if no
// account has the id.
func (db *DB) SetAdminPassword(ctx context.Context, id int64, hash string, mustChange bool) error {
	res, err := db.Q("set-admin-password").ExecContext(ctx, hash, boolInt(mustChange), id)
	return affected(res, err, "admin %d: set password", id)
}

// DeleteAdmin removes an account and its sessions. It returns ErrNotFound if no account has
// the id.
func (db *DB) DeleteAdmin(ctx context.Context, id int64) error {
	// Its sessions go with it (ON DELETE CASCADE).
	res, err := db.Q("delete-admin").ExecContext(ctx, id)
	return affected(res, err, "delete admin %d", id)
}

// AdminSession is a signed-in admin: the account and the session's CSRF token.
type AdminSession struct {
	Admin
	CSRFToken string `db:"csrf_token"`
	ExpiresAt int64  `db:"expires_at"`
}

// CreateAdminSession stores a session by the hash of its cookie value.
func (db *DB) CreateAdminSession(ctx context.Context, idHash string, adminID int64, csrf string, expiresAt int64) error {
	_, err := db.Q("insert-admin-session").ExecContext(ctx, idHash, adminID, csrf, db.Now().UnixMilli(), expiresAt)
	return wrap(err, "create admin session")
}

// FindAdminSession returns the unexpired session with the hash, or ErrNotFound.
func (db *DB) FindAdminSession(ctx context.Context, idHash string) (AdminSession, error) {
	var s AdminSession
	err := db.Q("find-admin-session").GetContext(ctx, &s, idHash, db.Now().UnixMilli())
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("admin session: %w", ErrNotFound)
	}
	return s, wrap(err, "admin session")
}

// DeleteAdminSession ends a session (logout); ending an unknown session is no error.
func (db *DB) DeleteAdminSession(ctx context.Context, idHash string) error {
	_, err := db.Q("delete-admin-session").ExecContext(ctx, idHash)
	return wrap(err, "delete admin session")
}

// DeleteOtherAdminSessions ends every session of the admin but the one kept (after a
// password change, other browsers must sign in again).
func (db *DB) DeleteOtherAdminSessions(ctx context.Context, adminID int64, keepHash string) error {
	_, err := db.Q("delete-admin-sessions-of").ExecContext(ctx, adminID, keepHash)
	return wrap(err, "delete sessions of admin %d", adminID)
}

// PurgeAdminSessions deletes the sessions expired at now and returns how many.
func (db *DB) PurgeAdminSessions(ctx context.Context) (int64, error) {
	res, err := db.Q("purge-admin-sessions").ExecContext(ctx, db.Now().UnixMilli())
	if err != nil {
		return 0, wrap(err, "purge admin sessions")
	}
	return res.RowsAffected()
}

// AgencyListing is an agency as the admin UI lists it.
type AgencyListing struct {
	ID   int64  `db:"id"`
	Code string `db:"code"`
	Name string `db:"name"`
}

// ListAgencies returns every agency, ordered by code.
func (db *DB) ListAgencies(ctx context.Context) ([]AgencyListing, error) {
	as := []AgencyListing{}
	err := db.Q("find-agencies").SelectContext(ctx, &as)
	return as, wrap(err, "agencies")
}

// UnitUpdate is what UpdateUnit changes. Agency is an agency code, created if new (with
// AgencyName, or the code, as its name) and renamed if AgencyName is given; empty leaves the
// unit without an agency.
type UnitUpdate struct {
	Name, Agency, AgencyName string
	Population               int64
}

// UpdateUnit changes a unit's name, agency and population; its code never changes, since
// printed QR codes and exports name it. It returns ErrNotFound if no unit has the id.
func (db *DB) UpdateUnit(ctx context.Context, id int64, u UnitUpdate) error {
	return db.InTx(ctx, func(tx *Tx) error {
		agencyID, err := tx.agency(ctx, u.Agency, u.AgencyName, true)
		if err != nil {
			return err
		}
		res, err := tx.Q("update-unit").ExecContext(ctx, u.Name, agencyID, u.Population, id)
		return affected(res, err, "update unit %d", id)
	})
}

// RetireUnit stops a unit from taking new visits and feedback; its past responses stay
// counted. Retiring a retired unit keeps the first date. It returns ErrNotFound if no unit
// has the id.
func (db *DB) RetireUnit(ctx context.Context, id int64) error {
	res, err := db.Q("retire-unit").ExecContext(ctx, db.Now().UnixMilli(), id)
	return affected(res, err, "retire unit %d", id)
}

// RestoreUnit undoes RetireUnit. It returns ErrNotFound if no unit has the id.
func (db *DB) RestoreUnit(ctx context.Context, id int64) error {
	res, err := db.Q("restore-unit").ExecContext(ctx, id)
	return affected(res, err, "restore unit %d", id)
}

// AdminSuggestion is one citizen's open answers of a complete response: what to improve
// (perbaikan, asked of a citizen who rated an element 1 or 2) and the suggestion (saran);
// either may be empty, not both.
type AdminSuggestion struct {
	FinishedAt int64  `db:"finished_at"`
	UnitCode   string `db:"unit_code"`
	UnitName   string `db:"unit_name"`
	Text       string `db:"saran"`
	Perbaikan  string `db:"perbaikan"`
}

// LatestSuggestions returns up to limit open answers of the complete responses f selects,
// newest first.
func (db *DB) LatestSuggestions(ctx context.Context, f Filter, limit int) ([]AdminSuggestion, error) {
	text, err := queryText(db.Dialect, "admin-latest-suggestions")
	if err != nil {
		return nil, err
	}
	to := f.ToDay
	if to == 0 {
		to = 99991231
	}
	args := []any{f.FromDay, to}
	var cond strings.Builder
	if len(f.UnitIDs) > 0 {
		cond.WriteString(" AND r.unit_id IN (?)")
		args = append(args, f.UnitIDs)
	}
	if f.ServiceID != nil {
		cond.WriteString(" AND r.service_id = ?")
		args = append(args, *f.ServiceID)
	}
	args = append(args, limit)
	q, args, err := sqlx.In(strings.Replace(text, "/*filter*/", cond.String(), 1), args...)
	if err != nil {
		return nil, wrap(err, "suggestions")
	}
	out := []AdminSuggestion{}
	err = db.SelectContext(ctx, &out, db.Rebind(q), args...)
	return out, wrap(err, "suggestions")
}

// affected turns an update's result into ErrNotFound when no row changed.
func affected(res sql.Result, err error, format string, args ...any) error {
	if err != nil {
		return wrap(err, format, args...)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf(fmt.Sprintf(format, args...)+": %w", ErrNotFound)
	}
	return nil
}
