package storage

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// ExportFilter selects the complete responses of an export.
type ExportFilter struct {
	UnitID *int64 // nil: every unit
	// ServiceID keeps only that service's responses; it needs UnitID, the service's unit
	// (which lets the query use the index by unit and day).
	ServiceID *int64
	// FromDay and ToDay are inclusive local days, YYYYMMDD in SUKMA_TIMEZONE.
	FromDay, ToDay int
}

// ResponseRow is one complete response as the exports show it.
type ResponseRow struct {
	ID                       int64
	FinishedAt               int64 // unix milliseconds
	LocalDay                 int   // YYYYMMDD
	UnitCode, UnitName       string
	ServiceCode, ServiceName string // empty when the visit named no service
	// Scores are the answers to U1…U9: 1–4, or 0 when the element was not answered.
	Scores                      [9]int
	JenisKelamin, Pendidikan    string // empty when not answered
	Pekerjaan, Perbaikan, Saran string
	Lainnya                     string // the other answers, as Response.Lainnya; empty when none
	// Usia is nil when not answered. An age of 0, which a custom flow may allow, is an answer:
	// the profile query bands it "<15", and the exports must agree.
	Usia *int
}

// EachResponse calls fn for every complete response matching f, oldest first (by
// finished_at, then id). Rows are read through a cursor, one at a time, so an export of a
// million responses never holds them all in memory. It stops at the first error of fn and
// returns it unwrapped. A ServiceID without a UnitID is an error.
func (db *DB) EachResponse(ctx context.Context, f ExportFilter, fn func(ResponseRow) error) error {
	var (
		rows *sqlx.Rows
		err  error
	)
	switch {
	case f.ServiceID != nil && f.UnitID == nil:
		return fmt.Errorf("storage: export responses: a service filter needs its unit")
	case f.ServiceID != nil:
		rows, err = db.Q("export-responses-of-service").QueryxContext(ctx, f.FromDay, f.ToDay, *f.UnitID, *f.ServiceID)
	case f.UnitID != nil:
		rows, err = db.Q("export-responses-of-unit").QueryxContext(ctx, f.FromDay, f.ToDay, *f.UnitID)
	default:
		rows, err = db.Q("export-responses").QueryxContext(ctx, f.FromDay, f.ToDay)
	}
	if err != nil {
		return fmt.Errorf("storage: export responses: %w", err)
	}
	defer rows.Close()
	var (
		r      ResponseRow
		scores [9]sql.NullInt64
		usia   sql.NullInt64
	)
	dest := []any{&r.ID, &r.FinishedAt, &r.LocalDay, &r.UnitCode, &r.UnitName, &r.ServiceCode, &r.ServiceName}
	for i := range scores {
		dest = append(dest, &scores[i])
	}
	dest = append(dest, &r.JenisKelamin, &usia, &r.Pendidikan, &r.Pekerjaan, &r.Perbaikan, &r.Saran, &r.Lainnya)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("storage: export responses: %w", err)
		}
		for i, s := range scores {
			r.Scores[i] = int(s.Int64) // 0 when NULL
		}
		r.Usia = nil
		if usia.Valid {
			v := int(usia.Int64)
			r.Usia = &v // a new int per row: fn may keep the row
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("storage: export responses: %w", err)
	}
	return nil
}
