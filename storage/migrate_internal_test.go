package storage

// MigrationSQL is the source of one migration, for a test that runs it again on data the
// schema since refuses (storage_test is this package's outside).
func MigrationSQL(d Dialect, version int) (string, error) {
	ms, err := migrations(d)
	if err != nil {
		return "", err
	}
	return ms[version-1].sql, nil
}
