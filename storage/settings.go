package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Setting returns a value Sukma keeps for itself (a generated secret, say), or ErrNotFound.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.Q("get-setting").GetContext(ctx, &v, key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("storage: setting %s: %w", key, err)
	}
	return v, nil
}

// EnsureSetting returns the stored value of key; if there is none it stores generate()'s value
// first. Replicas racing on the first start all get the one value that won. created reports
// whether this call stored it.
func (db *DB) EnsureSetting(ctx context.Context, key string, generate func() string) (value string, created bool, err error) {
	if v, err := db.Setting(ctx, key); err == nil {
		return v, false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return "", false, err
	}
	candidate := generate()
	if _, err := db.Q("insert-setting-if-absent").ExecContext(ctx, key, candidate); err != nil {
		return "", false, fmt.Errorf("storage: store setting %s: %w", key, err)
	}
	v, err := db.Setting(ctx, key)
	return v, err == nil && v == candidate, err
}

// PutSetting stores value under key, replacing what was there: state that every replica must
// see, such as a WhatsApp pairing in progress.
func (db *DB) PutSetting(ctx context.Context, key, value string) error {
	if _, err := db.Q("put-setting").ExecContext(ctx, key, value); err != nil {
		return fmt.Errorf("storage: store setting %s: %w", key, err)
	}
	return nil
}

// DeleteSetting removes key and its value, if there is one.
func (db *DB) DeleteSetting(ctx context.Context, key string) error {
	if _, err := db.Q("delete-setting").ExecContext(ctx, key); err != nil {
		return fmt.Errorf("storage: delete setting %s: %w", key, err)
	}
	return nil
}
