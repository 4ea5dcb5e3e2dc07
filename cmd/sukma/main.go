// Command sukma is the Sukma survey collector: one binary with subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// stdio is what a subcommand reads and writes; tests pass buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}

// A command runs with its arguments (after the command name) and returns the exit code.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, io stdio) int
}

var commands = map[string]command{
	"serve":    {"jalankan server (HTTP, kanal, pengirim, penjadwal)", runServe},
	"version":  {"cetak versi", runVersion},
	"flows":    {"validate FILE… | show [ID]: periksa atau tampilkan alur pertanyaan", runFlows},
	"score":    {"--csv FILE|- [--json] [--population N]: hitung IKM dari CSV", runScore},
	"digest":   {"send [--now] [--period FROM..TO]: kirim ringkasan yang jatuh tempo", runDigest},
	"whatsapp": {"pair [--phone 62…]: tautkan akun WhatsApp", runWhatsApp},
	"loadtest": {"[--serve] [--mode polling|webhook|web] [--citizens N] [--surveys K|--duration D]: uji beban dengan warga simulasi", runLoadtest},
	"demo":     {"seed [--units N] [--months M] [--responses R]: isi data contoh", runDemo},
	"backup":   {"FILE: salin basis data SQLite ke FILE selagi server berjalan (PostgreSQL: pg_dump)", runBackup},
}

// gcPercent is the garbage collector's target unless GOGC is set: 400. Sessions live in the
// database, so the live heap is a few megabytes, and at Go's default (100) the collector ran
// every few megabytes allocated: 11–15% of the server's CPU under load, for about 25 MB more
// memory (BENCHMARKS.md, section 2, change 9).
func gcPercent(getenv func(string) string) (percent int, set bool) {
	if getenv("GOGC") != "" {
		return 0, false
	}
	return 400, true
}

func main() {
	if p, ok := gcPercent(os.Getenv); ok {
		debug.SetGCPercent(p)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr})
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		usage(io.err)
		return 2
	}
	if isHelp(args[0]) {
		usage(io.out)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(io.err, "sukma: perintah tidak dikenal %q\n\n", args[0])
		usage(io.err)
		return 2
	}
	return cmd.run(ctx, args[1:], io)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Penggunaan: sukma PERINTAH [ARGUMEN]\n\nPerintah:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
}

// isHelp reports whether arg asks for the usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// parseFlags parses a command's flags. done is true when the command must stop with code:
// 0 after -h or --help (the flag set printed its usage), 2 after a wrong flag (it printed
// what is wrong).
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0, true
	case err != nil:
		return 2, true
	}
	return 0, false
}

// extraArgs reports, and says on the flag set's output, whether arguments are left after
// the flags of a command that takes none.
func extraArgs(fs *flag.FlagSet) bool {
	if fs.NArg() == 0 {
		return false
	}
	fmt.Fprintf(fs.Output(), "%s: argumen tidak dikenal %q\n", fs.Name(), fs.Arg(0))
	return true
}

// flagsUsage makes a flag set's usage the line given, then its flags.
func flagsUsage(fs *flag.FlagSet, line string) {
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), line)
		fs.PrintDefaults()
	}
}

func runVersion(_ context.Context, _ []string, io stdio) int {
	fmt.Fprintf(io.out, "sukma %s\n", version)
	return 0
}
