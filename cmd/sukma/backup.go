package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"sukma/redact"
	"sukma/storage"
)

const backupUsage = `Penggunaan: sukma backup [--config sukma.yaml] FILE
  tulis salinan utuh basis data SQLite (SUKMA_DATABASE_URL) ke berkas baru FILE, juga saat
  sukma serve berjalan. Untuk PostgreSQL pakai pg_dump.`

// runBackup is "sukma backup FILE": a consistent copy of the SQLite database while the
// server runs. Copying the database file is not one: what is still in its -wal file is lost.
func runBackup(ctx context.Context, args []string, io stdio) int {
	flags := flag.NewFlagSet("sukma backup", flag.ContinueOnError)
	flags.SetOutput(io.err)
	configPath := configFlag(flags)
	flagsUsage(flags, backupUsage)
	if code, done := parseFlags(flags, args); done {
		return code
	}
	if flags.NArg() != 1 {
		fmt.Fprintln(io.err, "sukma backup: sebutkan satu berkas tujuan, misalnya: sukma backup sukma-"+time.Now().Format("2006-01-02")+".db")
		return 2
	}
	file := flags.Arg(0)
	cfg, err := loadConfig(*configPath)
	if err != nil {
		reportConfig(io.err, err)
		return 1
	}
	// Known from the setting alone: no need to reach a PostgreSQL server to say so.
	if !strings.HasPrefix(cfg.DatabaseURL, "sqlite:") {
		fmt.Fprintln(io.err, "sukma backup: SUKMA_DATABASE_URL menunjuk PostgreSQL, yang dicadangkan dengan alatnya sendiri:\n"+
			"  pg_dump --format=custom --file=sukma.dump \"$SUKMA_DATABASE_URL\"\n"+
			"dan dipulihkan dengan pg_restore. sukma backup hanya untuk SQLite.")
		return 1
	}
	if _, err := os.Lstat(file); err == nil {
		fmt.Fprintf(io.err, "sukma backup: %s sudah ada: pilih nama berkas lain (cadangan tidak menimpa berkas)\n", file)
		return 1
	}
	// The database as it is: a backup made before an upgrade, with the new binary, must not
	// upgrade it first.
	db, err := storage.OpenToBackup(ctx, cfg.DatabaseURL)
	switch {
	case errors.Is(err, storage.ErrNoDatabase):
		fmt.Fprintln(io.err, noDatabase("backup", err))
		return 1
	case err != nil:
		fmt.Fprintf(io.err, "sukma backup: SUKMA_DATABASE_URL (database_url): basis data tidak dapat dibuka: %v\n", err)
		return 1
	}
	defer db.Close()
	start := time.Now()
	err = db.Backup(ctx, file)
	switch {
	case errors.Is(err, fs.ErrExist):
		fmt.Fprintf(io.err, "sukma backup: %s sudah ada: pilih nama berkas lain (cadangan tidak menimpa berkas)\n", file)
		return 1
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(io.err, "sukma backup: folder %s tidak ada: buat dulu, atau pilih folder lain\n", filepath.Dir(file))
		return 1
	case storage.IsDiskFull(err):
		fmt.Fprintf(io.err, "sukma backup: disk tujuan %s penuh: kosongkan ruang atau pilih disk lain [%v]\n", file, err)
		return 1
	case errors.Is(err, fs.ErrPermission):
		fmt.Fprintf(io.err, "sukma backup: tidak ada izin menulis %s: pilih folder yang boleh ditulis\n", file)
		return 1
	case err != nil:
		fmt.Fprintf(io.err, "sukma backup: cadangan tidak dapat ditulis ke %s: %v\n", file, err)
		return 1
	}
	size := ""
	if info, err := os.Stat(file); err == nil {
		size = ", " + megabytes(info.Size())
	}
	fmt.Fprintf(io.out, "Cadangan %s ditulis ke %s (%s%s).\n", redact.URL(cfg.DatabaseURL), file, time.Since(start).Round(time.Millisecond), size)
	fmt.Fprintln(io.out, "Memulihkan: hentikan sukma serve, hapus berkas -wal dan -shm basis data bila ada, ganti berkas basis data dengan cadangan ini, lalu jalankan lagi.")
	return 0
}

// megabytes writes a size the Indonesian way, with a decimal comma.
func megabytes(n int64) string {
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/1e6), ".", ",", 1)
}
