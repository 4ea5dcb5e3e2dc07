//go:build !unix

package main

// lockServe takes no lock where flock is unknown (Windows): run one server per SQLite file.
func lockServe(dbPath string) (release func(), err error) { return func() {}, nil }
