package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"sukma/flows"
)

// FlowVersion is one published, immutable version of a flow: its YAML source.
type FlowVersion struct {
	ID          string `db:"id"`
	Version     int    `db:"version"`
	Source      string `db:"source"`
	PublishedBy string `db:"published_by"`
	PublishedAt int64  `db:"published_at"`
}

// MaxFlowVersion is the largest version number a flow can have: flows.version is a 32-bit
// INTEGER in PostgreSQL, which refuses a larger number in a query with an error.
const MaxFlowVersion = math.MaxInt32

// FindFlowVersion returns a published version, or ErrNotFound (also for a version outside
// 1..MaxFlowVersion, which no flow has).
func (db *DB) FindFlowVersion(ctx context.Context, id string, version int) (FlowVersion, error) {
	return findFlowVersion(ctx, db.Q("find-flow-version"), id, version)
}

// FindFlowVersion returns a published version within the transaction, or ErrNotFound.
func (tx *Tx) FindFlowVersion(id string, version int) (FlowVersion, error) {
	return findFlowVersion(tx.ctx, tx.Q("find-flow-version"), id, version)
}

func findFlowVersion(ctx context.Context, q getter, id string, version int) (FlowVersion, error) {
	var f FlowVersion
	if version < 1 || version > MaxFlowVersion {
		return f, fmt.Errorf("flow %s v%d: %w", id, version, ErrNotFound)
	}
	err := q.GetContext(ctx, &f, id, version)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("flow %s v%d: %w", id, version, ErrNotFound)
	}
	return f, wrap(err, "flow %s v%d", id, version)
}

// FindLatestFlow returns the newest published version of a flow, or ErrNotFound.
func (db *DB) FindLatestFlow(ctx context.Context, id string) (FlowVersion, error) {
	return findLatestFlow(ctx, db.Q("find-latest-flow"), id)
}

// FindLatestFlow returns the newest published version within the transaction, or ErrNotFound.
func (tx *Tx) FindLatestFlow(id string) (FlowVersion, error) {
	return findLatestFlow(tx.ctx, tx.Q("find-latest-flow"), id)
}

func findLatestFlow(ctx context.Context, q getter, id string) (FlowVersion, error) {
	var f FlowVersion
	err := q.GetContext(ctx, &f, id)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("flow %s: %w", id, ErrNotFound)
	}
	return f, wrap(err, "flow %s", id)
}

// FindFlowVersions returns every published version of a flow, oldest first.
func (db *DB) FindFlowVersions(ctx context.Context, id string) ([]FlowVersion, error) {
	var fs []FlowVersion
	err := db.Q("find-flow-versions").SelectContext(ctx, &fs, id)
	return fs, wrap(err, "flow %s versions", id)
}

// PublishFlow stores f as the next version of flow id (f.ID, or a preview's "~"+f.ID),
// renumbered in its source, and returns the number; version numbers never repeat.
func (db *DB) PublishFlow(ctx context.Context, id string, f *flows.Flow, by string) (int, error) {
	version, _, err := db.publishFlow(ctx, id, f, by, false)
	return version, err
}

// PublishChangedFlow is PublishFlow for an editor's publish button: f is not published
// when, renumbered as the newest version of flow id, its source is that version's byte for
// byte. It returns the version f is (the newest, or the one published), and whether it
// published one.
func (db *DB) PublishChangedFlow(ctx context.Context, id string, f *flows.Flow, by string) (int, bool, error) {
	return db.publishFlow(ctx, id, f, by, true)
}

func (db *DB) publishFlow(ctx context.Context, id string, f *flows.Flow, by string, onlyChanged bool) (int, bool, error) {
	var version int
	published := false
	err := db.InTx(ctx, func(tx *Tx) error {
		// Two replicas publishing at once would both read the newest version before either
		// commits (READ COMMITTED on PostgreSQL): both would find the text new, and the second
		// would number its copy after the first's. They take turns on the flow's id instead.
		if err := tx.lockCode(ctx, "flow", id); err != nil {
			return err
		}
		if onlyChanged {
			same, err := isLatestFlow(tx, id, f)
			if err != nil || same > 0 {
				version = same
				return err
			}
		}
		published = true
		if err := tx.Q("latest-flow-version").GetContext(ctx, &version, id); err != nil {
			return err
		}
		version++
		numbered, err := f.WithVersion(version)
		if err != nil {
			return err
		}
		_, err = tx.Q("insert-flow-version").ExecContext(ctx, id, version, string(numbered.Source), by, db.Now().UnixMilli())
		if isUniqueViolation(err) {
			return fmt.Errorf("flow %s: published concurrently, try again: %w", id, ErrConflict)
		}
		return err
	})
	if err != nil {
		published = false
	}
	return version, published, wrap(err, "publish flow %s", id)
}

// isLatestFlow returns the newest version of flow id if f, renumbered as it, is its text
// byte for byte; else 0.
func isLatestFlow(tx *Tx, id string, f *flows.Flow) (int, error) {
	latest, err := tx.FindLatestFlow(id)
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	renumbered, err := f.WithVersion(latest.Version)
	if err != nil || trimmedLines(string(renumbered.Source)) != trimmedLines(latest.Source) {
		return 0, err
	}
	return latest.Version, nil
}

// trimmedLines is a flow's text without the blanks at the end of its lines and of the text,
// which change nothing: text differing only in them is the same version.
func trimmedLines(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// wrap adds context to an error, keeping nil nil and sentinel errors matchable.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("storage: "+format+": %w", append(args, err)...)
}
