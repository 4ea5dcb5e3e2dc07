package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"

	"sukma/digest"
)

const digestUsage = "Penggunaan: sukma digest send [--now] [--period YYYY-MM-DD..YYYY-MM-DD] [--config sukma.yaml]"

// runDigest is "sukma digest send [--now] [--period FROM..TO]": it writes the digests that are
// due (or, with --now, every subscriber's digest at once) to the outbox; a running
// "sukma serve" delivers them.
func runDigest(ctx context.Context, args []string, io stdio) int {
	args, ok := onlySubcommand(args, "send")
	if !ok {
		fmt.Fprintln(io.err, digestUsage)
		return 2
	}
	fs := flag.NewFlagSet("sukma digest send", flag.ContinueOnError)
	fs.SetOutput(io.err)
	now := fs.Bool("now", false, "kirim ringkasan setiap pelanggan sekarang, juga bila sudah terkirim (kirim ulang)")
	period := fs.String("period", "", "periode `YYYY-MM-DD..YYYY-MM-DD` (kedua tanggal termasuk); bila tidak diisi, periode yang baru berakhir menurut jadwal")
	configPath := configFlag(fs)
	flagsUsage(fs, digestUsage)
	if code, done := parseFlags(fs, args[1:]); done {
		return code
	}
	if extraArgs(fs) {
		return 2
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		reportConfig(io.err, err)
		return 1
	}
	var p *digest.Period
	if *period != "" {
		pp, err := digest.ParsePeriod(*period, cfg.Location)
		if err != nil {
			fmt.Fprintf(io.err, "sukma digest send: --period: %v\n", err)
			return 2
		}
		p = &pp
	}
	logger := newLogger(cfg, io.err)
	db, ok := openExistingDatabase(ctx, "digest send", cfg, io)
	if !ok {
		return 1
	}
	defer db.Close()
	d := &digest.Service{DB: db, Location: cfg.Location, PublicURL: cfg.PublicURL, Logger: logger}
	var n int
	switch {
	case *now:
		n, err = d.SendNow(ctx, db.Now(), p)
	case p != nil:
		n, err = d.SendPeriod(ctx, db.Now(), *p)
	default:
		n, err = d.Tick(ctx, db.Now())
	}
	if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
		fmt.Fprintf(io.err, "sukma digest send: %s\n", problem)
		return 1
	}
	if err != nil {
		logger.Error("sukma digest send", slog.Any("err", err))
		return 1
	}
	fmt.Fprintf(io.out, "%d ringkasan masuk antrean kirim; sukma serve yang berjalan mengirimkannya.\n", n)
	switch {
	case n == 0 && p != nil && !*now:
		fmt.Fprintln(io.out, "Ringkasan periode ini sudah terkirim ke setiap pelanggan (atau belum ada pelanggan). Untuk mengirimnya lagi, tambahkan --now.")
	case n == 0 && !*now:
		fmt.Fprintln(io.out, "Belum ada ringkasan yang jatuh tempo menurut jadwal pelanggan. Untuk mengirim sekarang, tambahkan --now.")
	}
	return 0
}
