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
	"regexp"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
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
	"admin":    {"reset-password NAMA: kata sandi pertama baru untuk admin yang lupa kata sandinya", runAdmin},
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

// shutdownSignals stop a command as Ctrl-C does: serve finishes the requests under way and
// closes the database. SIGHUP is among them: it is what a server started in a terminal gets
// when the terminal (an SSH session) closes, and by default it would kill it on the spot.
var shutdownSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func main() {
	if p, ok := gcPercent(os.Getenv); ok {
		debug.SetGCPercent(p)
	}
	ctx, stop := signal.NotifyContext(context.Background(), shutdownSignals...)
	code := run(ctx, os.Args[1:], stdio{os.Stdin, os.Stdout, os.Stderr})
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		usage(io.err)
		return 2
	}
	if isHelp(args[0]) && (len(args) == 1 || isHelp(args[1])) {
		usage(io.out)
		return 0
	}
	if isHelp(args[0]) {
		// sukma help CMD [SUB] is sukma CMD [SUB] --help.
		args = append(slices.Clone(args[1:]), "--help")
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
	fmt.Fprintln(w, "\nPenggunaan satu perintah: sukma help PERINTAH (atau sukma PERINTAH --help).")
}

// onlySubcommand reads the arguments of a command that has one subcommand, sub: its help
// (`sukma digest --help`, `sukma help digest`) is the subcommand's, flags and all. ok is false
// when args do not name sub.
func onlySubcommand(args []string, sub string) (_ []string, ok bool) {
	if len(args) > 0 && isHelp(args[0]) {
		return []string{sub, "--help"}, true
	}
	return args, len(args) > 0 && args[0] == sub
}

// isHelp reports whether arg asks for the usage.
func isHelp(arg string) bool { return arg == "-h" || arg == "--help" || arg == "help" }

// parseFlags parses a command's flags. done is true when the command must stop with code:
// 0 after -h or --help (the usage printed), 2 after a wrong flag (what is wrong printed, in
// Indonesian, and the usage).
func parseFlags(fs *flag.FlagSet, args []string) (code int, done bool) {
	// The flag package says what is wrong in English: it is kept quiet, and said here.
	usage, out := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.Usage = usage
	fs.SetOutput(out)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.Usage()
		return 0, true
	case err != nil:
		fmt.Fprintf(out, "%s: %s\n", fs.Name(), flagProblem(err))
		fs.Usage()
		return 2, true
	}
	return 0, false
}

// flagErrors are the flag package's errors (Go 1.26, flag.go) and what they say in Indonesian.
var flagErrors = []struct {
	english *regexp.Regexp
	format  string
}{
	{regexp.MustCompile(`^flag provided but not defined: (-.*)$`), "opsi %s tidak dikenal"},
	{regexp.MustCompile(`^flag needs an argument: (-.*)$`), "opsi %s memerlukan nilai"},
	{regexp.MustCompile(`^invalid boolean value (".*") for (-[^:]*): `), "nilai %s untuk %s harus true atau false"},
	{regexp.MustCompile(`^invalid value (".*") for flag (-[^:]*): value out of range$`), "nilai %s untuk %s terlalu besar"},
	{regexp.MustCompile(`^invalid value (".*") for flag (-[^:]*): `), "nilai %s untuk %s tidak sah"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "penulisan opsi salah: %s"},
}

// flagProblem is a flag parsing error in Indonesian; one it does not know, as it is.
func flagProblem(err error) string {
	for _, e := range flagErrors {
		if m := e.english.FindStringSubmatch(err.Error()); m != nil {
			args := make([]any, len(m)-1)
			for i, s := range m[1:] {
				args[i] = s
			}
			return fmt.Sprintf(e.format, args...)
		}
	}
	return err.Error()
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
		printFlags(fs)
	}
}

// printFlags is fs.PrintDefaults in Indonesian: "(bawaan 8)" for "(default 8)". Every flag
// names its value in its usage (`N`), or PrintDefaults's English type name would show.
func printFlags(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		if len(line) <= 4 { // a one-letter flag: its usage on the same line, as PrintDefaults does
			line += "\t"
		} else {
			line += "\n    \t"
		}
		line += strings.ReplaceAll(usage, "\n", "\n    \t")
		if d := f.DefValue; d != "" && d != "0" && d != "false" {
			if _, text := f.Value.(flag.Getter).Get().(string); text {
				d = strconv.Quote(d)
			}
			line += " (bawaan " + d + ")"
		}
		fmt.Fprintln(fs.Output(), line)
	})
}

func runVersion(_ context.Context, args []string, io stdio) int {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(io.out, "Penggunaan: sukma version\n  cetak versi build ini; tanpa versi rilis, juga commit git-nya")
		return 0
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(io.out, versionText(version, info))
	return 0
}

// versionText is "sukma VERSION". A build without a version (-ldflags "-X main.version=…"),
// such as go build or go run in a checkout, adds the commit it was built from and whether
// the files differed from it, which Go records (-buildvcs): "sukma dev (9830282, berubah)".
func versionText(version string, info *debug.BuildInfo) string {
	text := "sukma " + version
	if version != "dev" || info == nil {
		return text
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		return text
	}
	text += " (" + revision[:min(7, len(revision))]
	if modified == "true" {
		text += ", berubah"
	}
	return text + ")"
}
