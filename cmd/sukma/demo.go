package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"sukma/storage"
	"time"
)

const demoUsage = `Penggunaan:
  sukma demo seed [--units N] [--months M] [--responses R] [--seed S] [--force] [--config FILE]
      isi basis data (SUKMA_DATABASE_URL, seperti sukma serve) dengan data contoh bertanda demo:
      unit berkode DEMO-… bernama "(demo)", R respons per unit per bulan selama M bulan terakhir.`

// runDemo runs "sukma demo seed".
func runDemo(ctx context.Context, args []string, io stdio) int {
	args, ok := onlySubcommand(args, "seed")
	if !ok {
		fmt.Fprintln(io.err, demoUsage)
		return 2
	}
	fs := flag.NewFlagSet("sukma demo seed", flag.ContinueOnError)
	fs.SetOutput(io.err)
	configPath := configFlag(fs)
	units := fs.Int("units", 8, "`N` unit demo")
	months := fs.Int("months", 12, "`M` bulan terakhir, sampai bulan ini")
	responses := fs.Int("responses", 200, "`R` respons per unit per bulan")
	seed := fs.Uint64("seed", 1, "benih acak `S`: benih yang sama pada hari yang sama memberi data yang sama")
	force := fs.Bool("force", false, "isi juga bila basis data berisi respons nyata (bukan demo)")
	flagsUsage(fs, demoUsage)
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	if fs.NArg() > 0 || *units < 1 || *months < 1 || *responses < 0 {
		fmt.Fprintln(io.err, "sukma demo seed: --units dan --months minimal 1, --responses minimal 0, tanpa argumen lain")
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		reportConfig(io.err, err)
		return 1
	}
	// A relative SQLite path run from another folder than serve's makes a database of its
	// own: the output names it, and says when it is new.
	fresh := storage.SQLiteMissing(cfg.DatabaseURL) != nil
	db, ok := openDatabase(ctx, cfg, io)
	if !ok {
		return 1
	}
	defer db.Close()
	start := time.Now()
	res, err := db.SeedDemo(ctx, storage.DemoOptions{Units: *units, Months: *months, Responses: *responses,
		Seed: *seed, Force: *force, Now: db.Now(), Location: cfg.Location})
	if errors.Is(err, storage.ErrRealData) {
		fmt.Fprintf(io.err, "sukma demo seed: ditolak: basis data ini berisi data nyata (%v).\n"+
			"Data demo akan tercampur dengan hasil survei yang sebenarnya, juga dalam ringkasan dan\n"+
			"peringatan pelanggan. Gunakan basis data lain, atau tambahkan --force bila Anda yakin.\n", err)
		return 1
	}
	if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
		fmt.Fprintf(io.err, "sukma demo seed: %s\n", problem)
		return 1
	}
	if err != nil {
		fmt.Fprintf(io.err, "sukma demo seed: data demo tidak dapat dibuat [%v]\n", err)
		return 1
	}
	if res.FlowInstalled {
		fmt.Fprintf(io.out, "Alur bawaan %s versi %d dipasang.\n", res.FlowID, res.FlowVersion)
	}
	fmt.Fprintf(io.out, "Data demo dibuat: %d unit, %d layanan, %d respons lengkap dan %d respons tidak lengkap (%s).\n",
		res.Units, res.Services, res.Complete, res.Partial, time.Since(start).Round(time.Millisecond))
	fmt.Fprintln(io.out, "Unit demo berkode DEMO-… dan bernama \"(demo)\"; penanda tersimpan di pengaturan demo_seeded.")
	fmt.Fprintf(io.out, "Basis data: %s\n", databaseShown(cfg.DatabaseURL))
	if fresh {
		fmt.Fprintln(io.out, "Berkas basis data ini baru dibuat: sukma serve melihat datanya hanya dengan SUKMA_DATABASE_URL yang sama (jalur relatif dibaca dari folder tempat perintah dijalankan).")
	}
	return 0
}
