package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// FlowDraft is the unpublished YAML an admin is editing; one per flow.
type FlowDraft struct {
	ID        string `db:"id"`
	Source    string `db:"source"`
	UpdatedBy string `db:"updated_by"`
	UpdatedAt int64  `db:"updated_at"`
}

// SaveFlowDraft stores (or replaces) the draft of flow id. The source need not be valid:
// a half-done edit must survive a closed browser.
func (db *DB) SaveFlowDraft(ctx context.Context, id, source, by string) error {
	_, err := db.Q("upsert-flow-draft").ExecContext(ctx, id, source, by, db.Now().UnixMilli())
	return wrap(err, "save draft of flow %s", id)
}

// ErrDraftChanged means the draft was saved with other text since the edit being saved
// started from it (SaveFlowDraftFrom): storing the edit would overwrite that text unseen.
var ErrDraftChanged = errors.New("draft saved with other text since")

// DraftSum is the checksum by which an editor names the text its edit started from (the
// base of SaveFlowDraftFrom): the draft's text, or the published text it showed for none.
func DraftSum(source string) string {
	sum := sha256.Sum256([]byte(source))
	return hex.EncodeToString(sum[:])
}

// SaveFlowDraftFrom stores source as the draft of flow id, as SaveFlowDraft does, if the
// draft stored now is the one the edit started from: base is DraftSum of that text. A draft
// saved since with other text (by another admin, or in another tab) is not overwritten: the
// stored draft is returned with ErrDraftChanged, and nothing is written; so is a version
// published since, when there is no draft (as a draft, its publisher's). No draft with the
// newest version the edit's base (or no version yet), or a draft holding source already, is no
// conflict.
// Otherwise it returns the draft as saved.
//
// The text decides, not the time, as in DeleteFlowDraft: two saves may share a millisecond,
// and a draft saved again with the same text loses nothing when it is replaced. The check
// and the write are atomic: the write is conditional on the text judged (and on SQLite the
// transaction holds the one writer), so a save committed in between is read and judged.
func (db *DB) SaveFlowDraftFrom(ctx context.Context, id, source, by, base string) (FlowDraft, error) {
	saved := FlowDraft{ID: id, Source: source, UpdatedBy: by, UpdatedAt: db.Now().UnixMilli()}
	var stored FlowDraft
	err := db.InTx(ctx, func(tx *Tx) error {
		for range 3 { // each retry means another save committed in between: judge it
			var d FlowDraft
			var res sql.Result
			err := tx.Q("find-flow-draft").GetContext(ctx, &d, id)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				// No draft: the edit started from the newest version. One published since the
				// page opened (its text neither the edit's base nor the edit) is not replaced
				// unseen either: publishing the edit would drop its changes.
				v, lerr := tx.FindLatestFlow(id)
				if lerr == nil && v.Source != source && DraftSum(v.Source) != base {
					stored = FlowDraft{ID: id, Source: v.Source, UpdatedBy: v.PublishedBy, UpdatedAt: v.PublishedAt}
					return ErrDraftChanged
				} else if lerr != nil && !errors.Is(lerr, ErrNotFound) {
					return lerr
				}
				res, err = tx.Q("insert-flow-draft-if-none").ExecContext(ctx, id, source, by, saved.UpdatedAt)
			case err != nil:
				return err
			case d.Source != source && DraftSum(d.Source) != base:
				stored = d
				return ErrDraftChanged
			default:
				res, err = tx.Q("replace-flow-draft-if-source").ExecContext(ctx, source, by, saved.UpdatedAt, id, d.Source)
			}
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 1 {
				return err
			}
		}
		return errors.New("the draft kept changing")
	})
	if errors.Is(err, ErrDraftChanged) {
		return stored, wrap(err, "save draft of flow %s", id)
	}
	return saved, wrap(err, "save draft of flow %s", id)
}

// FindFlowDraft returns the draft of flow id, or ErrNotFound.
func (db *DB) FindFlowDraft(ctx context.Context, id string) (FlowDraft, error) {
	var d FlowDraft
	err := db.Q("find-flow-draft").GetContext(ctx, &d, id)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("draft of flow %s: %w", id, ErrNotFound)
	}
	return d, wrap(err, "draft of flow %s", id)
}

// DeleteFlowDraft drops the draft of flow id after publishing it, if the draft still holds
// source, the YAML just published. A draft saved meanwhile with other text (by another
// admin, say) is newer than what was published, and kept. No draft is no error.
//
// The text decides, not the time: a draft saved and published within one millisecond (one
// request does both) has the same updated_at as the publish began.
func (db *DB) DeleteFlowDraft(ctx context.Context, id, source string) error {
	_, err := db.Q("delete-flow-draft").ExecContext(ctx, id, source)
	return wrap(err, "delete draft of flow %s", id)
}

// FlowSummary is a published flow and its newest version.
type FlowSummary struct {
	ID          string `db:"id"`
	Version     int    `db:"version"`
	PublishedBy string `db:"published_by"`
	PublishedAt int64  `db:"published_at"`
}

// FindFlowSummaries returns every published flow with its newest version, by id. Preview
// copies (see PreviewFlowID) are left out.
func (db *DB) FindFlowSummaries(ctx context.Context) ([]FlowSummary, error) {
	fs := []FlowSummary{}
	err := db.Q("find-flow-summaries").SelectContext(ctx, &fs)
	return fs, wrap(err, "flows")
}

// PreviewFlowID is the id under which admin publishes a draft of flow id for a preview in the
// web chat: it never replaces the flow citizens get, and each admin's is their own, so that
// one admin's preview does not end or change another's.
func PreviewFlowID(id string, admin int64) string { return fmt.Sprintf("~%s~%d", id, admin) }

// IsPreviewFlowID reports whether id is a preview copy's id: the engine runs it like any flow, but
// its answers never become a response.
func IsPreviewFlowID(id string) bool { return strings.HasPrefix(id, "~") }

// PreviewUnitCode is the code of the hidden, retired unit that preview visits belong to.
const PreviewUnitCode = "~PRATINJAU"

// PreviewUnit returns the hidden unit of preview visits, creating it (retired, so that it
// takes no real visit and is on no public page) if new.
func (db *DB) PreviewUnit(ctx context.Context) (Unit, error) {
	u, err := db.FindUnitByCode(ctx, PreviewUnitCode)
	if errors.Is(err, ErrNotFound) {
		u, err = db.CreateUnit(ctx, NewUnit{Code: PreviewUnitCode, Name: "Pratinjau alur (bukan unit layanan)"})
		if errors.Is(err, ErrConflict) {
			u, err = db.FindUnitByCode(ctx, PreviewUnitCode)
		}
		if err == nil && u.RetiredAt == nil {
			err = db.RetireUnit(ctx, u.ID)
		}
	}
	return u, err
}

// ResetPreviews ends the open sessions of the preview flow flowID (one admin's, see
// PreviewFlowID), so that a new preview of theirs starts afresh while other admins' go on, and
// deletes any response on the preview unit, so that a test run of a draft never counts.
func (db *DB) ResetPreviews(ctx context.Context, previewUnitID int64, flowID string) error {
	return db.InTx(ctx, func(tx *Tx) error {
		var ids []int64
		if err := tx.Q("find-active-sessions-of-unit-flow").SelectContext(ctx, &ids, previewUnitID, flowID); err != nil {
			return wrap(err, "preview sessions")
		}
		for _, id := range ids {
			if err := tx.EndSession(id, "cancelled", db.Now().UnixMilli()); err != nil {
				return err
			}
		}
		_, err := tx.Q("delete-preview-responses").ExecContext(ctx, previewUnitID)
		return wrap(err, "delete preview responses")
	})
}
