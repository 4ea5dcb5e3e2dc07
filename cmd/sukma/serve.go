package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"sukma/config"
	"sukma/storage"
)

func runServe(ctx context.Context, args []string, io stdio) int {
	fs := flag.NewFlagSet("sukma serve", flag.ContinueOnError)
	fs.SetOutput(io.err)
	configPath := configFlag(fs)
	flagsUsage(fs, "Penggunaan: sukma serve [--config sukma.yaml]")
	if code, done := parseFlags(fs, args); done {
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
	logger := newLogger(cfg, io.err)
	slog.SetDefault(logger)
	for _, name := range config.UnknownEnv(os.Environ()) {
		logger.Warn("unknown setting in the environment, ignored: check its spelling", slog.String("variable", name))
	}
	if idle := idleTelegramSettings(cfg); len(idle) > 0 {
		logger.Warn("pengaturan Telegram tanpa SUKMA_TELEGRAM_TOKEN tidak berpengaruh: Telegram tidak aktif sampai tokennya diisi",
			slog.String("settings", strings.Join(idle, ", ")))
	}
	app, err := Open(ctx, cfg, logger, io.out)
	if err != nil {
		if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
			fmt.Fprintf(io.err, "sukma: %s\n", problem)
		} else {
			fmt.Fprintf(io.err, "sukma: %v\n", err)
		}
		return 1
	}
	if err := app.Run(ctx); err != nil {
		logger.Error("sukma stopped with an error", slog.Any("err", err))
		return 1
	}
	return 0
}

// idleTelegramSettings names the Telegram settings given without a bot token, which then do
// nothing: an operator who set telegram_mode webhook and forgot the token hears why no
// update comes.
func idleTelegramSettings(cfg config.Config) []string {
	if cfg.TelegramToken != "" {
		return nil
	}
	var idle []string
	if cfg.TelegramMode == "webhook" {
		idle = append(idle, "SUKMA_TELEGRAM_MODE=webhook")
	}
	if cfg.TelegramWebhookSecret != "" {
		idle = append(idle, "SUKMA_TELEGRAM_WEBHOOK_SECRET")
	}
	if cfg.TelegramAPIEndpoint != "" {
		idle = append(idle, "SUKMA_TELEGRAM_API_ENDPOINT")
	}
	return idle
}

// loadConfig reads the settings file and the environment and validates them. The error has
// every problem, one per line: a value that could not be read does not hide the others.
func loadConfig(path string) (config.Config, error) {
	cfg, err := config.Load(path, os.LookupEnv)
	return cfg, errors.Join(err, cfg.Validate())
}

// reportConfig writes the problems of loadConfig's error, one line each, as "sukma: problem".
func reportConfig(w io.Writer, err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		fmt.Fprintf(w, "sukma: %s\n", line)
	}
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// configFlag adds --config, the settings file every command that opens the database reads.
func configFlag(fs *flag.FlagSet) *string {
	return fs.String("config", os.Getenv("SUKMA_CONFIG"), "berkas pengaturan `sukma.yaml` (juga lewat SUKMA_CONFIG)")
}

// openDatabase opens (and migrates) the configured database for a command, or says on
// io.err which setting is wrong and reports false.
func openDatabase(ctx context.Context, cfg config.Config, io stdio) (*storage.DB, bool) {
	db, err := storage.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		if problem, ok := databaseProblem(cfg.DatabaseURL, err); ok {
			fmt.Fprintf(io.err, "sukma: %s\n", problem)
		} else {
			fmt.Fprintf(io.err, "sukma: SUKMA_DATABASE_URL (database_url): basis data tidak dapat dibuka: %v\n", err)
		}
		return nil, false
	}
	return db, true
}

// openExistingDatabase is openDatabase for a command that works on the server's database
// (digest send, whatsapp pair): an SQLite file that is not there is refused, not created, as
// when the command runs in another folder than the server or without its settings.
func openExistingDatabase(ctx context.Context, cmd string, cfg config.Config, io stdio) (*storage.DB, bool) {
	if err := storage.SQLiteMissing(cfg.DatabaseURL); err != nil {
		fmt.Fprintln(io.err, noDatabase(cmd, err))
		return nil, false
	}
	return openDatabase(ctx, cfg, io)
}

// noDatabase says that the SQLite file err names (storage.ErrNoDatabase) is not there.
func noDatabase(cmd string, err error) string {
	path, _, _ := strings.Cut(err.Error(), ": "+storage.ErrNoDatabase.Error())
	return fmt.Sprintf("sukma %s: basis data %s tidak ada. Jalankan perintah ini dengan pengaturan sukma serve "+
		"(SUKMA_DATABASE_URL atau --config); jalur relatif dibaca dari folder tempat perintah dijalankan.", cmd, path)
}

// databaseProblem says what err means for an operator when it is something to fix on the
// machine, a full disk or a database Sukma may not write, naming the setting, with the
// error itself in brackets. ok is false for any other error.
func databaseProblem(databaseURL string, err error) (problem string, ok bool) {
	path, sqlite := strings.CutPrefix(databaseURL, "sqlite:")
	var noSchema *storage.NoSchemaError
	switch {
	case errors.As(err, &noSchema):
		problem = "skema PostgreSQL " + noSchema.Schema() + " yang disebut search_path tidak ada: buat dulu, misalnya dengan psql: CREATE SCHEMA " +
			noSchema.Schema() + "; (atau perbaiki search_path di URL)"
	case storage.IsDiskFull(err) && sqlite:
		problem = "disk tempat berkas basis data " + path + " penuh: kosongkan ruang disk lalu coba lagi"
	case storage.IsDiskFull(err):
		problem = "disk server PostgreSQL penuh: minta pengelolanya menambah ruang lalu coba lagi"
	case storage.IsCorrupt(err) && sqlite:
		problem = "berkas basis data " + path + " rusak atau bukan basis data SQLite. Bila baru memulihkan cadangan: hentikan Sukma, hapus " +
			path + "-wal dan " + path + "-shm, salin cadangannya lagi, lalu mulai. Bila tidak, pulihkan dari cadangan terakhir"
	case storage.IsReadOnly(err) && sqlite:
		problem = "berkas basis data " + path + " atau foldernya tidak dapat ditulis oleh pengguna yang menjalankan Sukma: periksa pemilik dan izin aksesnya"
	case storage.IsReadOnly(err):
		problem = "server PostgreSQL ini hanya dapat dibaca (replika siaga?): arahkan ke server utama"
	default:
		return "", false
	}
	// Errors of storage.Open come named already.
	cause := strings.TrimPrefix(err.Error(), "SUKMA_DATABASE_URL (database_url): ")
	return "SUKMA_DATABASE_URL (database_url): " + problem + " [" + cause + "]", true
}
