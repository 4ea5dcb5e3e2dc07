//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// lockServe takes the lock of `sukma serve` on a SQLite database file: one server per file.
// Two would both poll Telegram and send each other's outbox; replicas need PostgreSQL. The
// lock is the operating system's, on a file beside the database, so it ends with the process
// however it ends. The commands that run beside a server (backup, digest, demo) take none.
func lockServe(dbPath string) (release func(), err error) {
	if err := os.MkdirAll(filepath.Dir(dbPath), 0o750); err != nil { // a first start: no folder yet
		return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): folder basis data tidak dapat dibuat: %w", err)
	}
	// Beside the file itself, wherever a link to it or to its folder leads.
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(dbPath)); err == nil {
		dbPath = filepath.Join(dir, filepath.Base(dbPath))
	}
	path := dbPath + ".serve.lock"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): berkas kunci %s tidak dapat dibuat: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): %s sudah dilayani oleh sukma serve lain; jalankan satu saja per berkas SQLite, atau pakai PostgreSQL untuk beberapa replika", dbPath)
		}
		return nil, fmt.Errorf("SUKMA_DATABASE_URL (database_url): berkas kunci %s: %w", path, err)
	}
	return func() { f.Close() }, nil
}
