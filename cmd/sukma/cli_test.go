package main

import (
	"bytes"
	"context"
	"os"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCommandLineUsage runs the commands' argument checks. A wrong setting makes any command
// that got past them stop at once, so that none of them serves or touches a database here.
func TestCommandLineUsage(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	t.Setenv("SUKMA_HTTP_ADDR", "nonsense")
	t.Setenv("SUKMA_ADMIN_TOKEN", "") // restored afterwards; unset meanwhile
	os.Unsetenv("SUKMA_ADMIN_TOKEN")
	tests := []struct {
		name string
		args []string
		code int
		// out and err must each be contained in stdout and stderr.
		out, err string
	}{
		{"sukma alone prints the usage and fails", nil, 2, "", "Penggunaan: sukma PERINTAH"},
		{"sukma --help prints the usage and succeeds", []string{"--help"}, 0, "Penggunaan: sukma PERINTAH", ""},
		{"sukma help prints the usage and succeeds", []string{"help"}, 0, "Penggunaan: sukma PERINTAH", ""},
		{"sukma help says how to get one command's usage", []string{"help"}, 0, "sukma help PERINTAH", ""},
		{"sukma help --help prints the usage", []string{"help", "--help"}, 0, "Penggunaan: sukma PERINTAH", ""},
		{"sukma help serve prints serve's usage", []string{"help", "serve"}, 0, "", "Penggunaan: sukma serve [--config sukma.yaml]\n  -config"},
		{"sukma help demo seed prints its flags", []string{"help", "demo", "seed"}, 0, "", "-responses R"},
		{"sukma help digest prints send's usage and flags", []string{"help", "digest"}, 0, "", "Penggunaan: sukma digest send [--now]"},
		{"sukma help digest names the flags", []string{"help", "digest"}, 0, "", "-period"},
		{"sukma help admin prints reset-password's usage and flags", []string{"help", "admin"}, 0, "", "Penggunaan: sukma admin reset-password"},
		{"sukma help admin names the flags", []string{"help", "admin"}, 0, "", "-config"},
		{"admin alone prints its usage and fails", []string{"admin"}, 2, "", "sukma admin reset-password"},
		{"admin reset-password needs one name", []string{"admin", "reset-password"}, 2, "", "sebutkan satu nama akun"},
		{"sukma help flows prints its usage", []string{"help", "flows"}, 0, "sukma flows validate FILE…", ""},
		{"sukma help version prints its usage", []string{"help", "version"}, 0, "Penggunaan: sukma version", ""},
		{"sukma help of an unknown command fails", []string{"help", "ekspor"}, 2, "", `sukma: perintah tidak dikenal "ekspor"`},
		{"serve refuses an extra argument", []string{"serve", "extra"}, 2, "", `sukma serve: argumen tidak dikenal "extra"`},
		{"serve refuses an unknown flag", []string{"serve", "--port", "80"}, 2, "", "sukma serve: opsi -port tidak dikenal\nPenggunaan: sukma serve"},
		{"a flag without its value is named", []string{"demo", "seed", "--units"}, 2, "", "sukma demo seed: opsi -units memerlukan nilai\n"},
		{"a flag with a wrong value is named", []string{"demo", "seed", "--units", "delapan"}, 2, "", `sukma demo seed: nilai "delapan" untuk -units tidak sah` + "\n"},
		{"a flag with too large a value is named", []string{"score", "--csv", "-", "--population", "99999999999999999999"}, 2, "", `sukma score: nilai "99999999999999999999" untuk -population terlalu besar` + "\n"},
		{"a switch with a value other than true or false is named", []string{"demo", "seed", "--force=ya"}, 2, "", `sukma demo seed: nilai "ya" untuk -force harus true atau false` + "\n"},
		{"a flag of three dashes is named", []string{"backup", "---x"}, 2, "", "sukma backup: penulisan opsi salah: ---x\n"},
		{"serve --help prints its flags and succeeds", []string{"serve", "--help"}, 0, "", "Penggunaan: sukma serve [--config sukma.yaml]"},
		{"serve -h prints its flags and succeeds", []string{"serve", "-h"}, 0, "", "-config"},
		{"digest --help prints send's flags and succeeds", []string{"digest", "--help"}, 0, "", "-now"},
		{"digest send --help prints its flags and succeeds", []string{"digest", "send", "--help"}, 0, "", "-period"},
		{"digest send refuses an extra argument", []string{"digest", "send", "now"}, 2, "", `sukma digest send: argumen tidak dikenal "now"`},
		{"whatsapp --help prints pair's flags and succeeds", []string{"whatsapp", "--help"}, 0, "", "-phone"},
		{"whatsapp pair --help prints its flags and succeeds", []string{"whatsapp", "pair", "--help"}, 0, "", "-phone"},
		{"whatsapp pair refuses an extra argument", []string{"whatsapp", "pair", "extra"}, 2, "", `sukma whatsapp pair: argumen tidak dikenal "extra"`},
		{"whatsapp pair refuses a phone number with letters", []string{"whatsapp", "pair", "--phone", "abc"}, 2, "", "sukma whatsapp pair: --phone harus nomor dalam bentuk internasional, angka saja, seperti 6281234567890 (tertulis abc)"},
		{"whatsapp pair refuses a phone number too short", []string{"whatsapp", "pair", "--phone", "6281"}, 2, "", "--phone harus nomor dalam bentuk internasional, angka saja"},
		{"whatsapp pair takes a national phone number as the API does (on to the settings, here wrong)", []string{"whatsapp", "pair", "--phone", "0812 3456 7890"}, 1, "", "http_addr"},
		{"flows validate --help prints the usage and succeeds", []string{"flows", "validate", "--help"}, 0, "sukma flows validate FILE…", ""},
		{"flows validate -h prints the usage and succeeds", []string{"flows", "validate", "a.yaml", "-h"}, 0, "sukma flows validate FILE…", ""},
		{"flows validate -- takes what follows as files", []string{"flows", "validate", "--", "--help"}, 1, "", "--help:1:1: tidak dapat dibaca: berkas tidak ada"},
		{"flows show --help prints the usage and succeeds", []string{"flows", "show", "--help"}, 0, "sukma flows show [ID]", ""},
		{"demo seed --help prints its flags and succeeds", []string{"demo", "seed", "--help"}, 0, "", "-responses"},
		{"loadtest --help prints its flags and succeeds", []string{"loadtest", "--help"}, 0, "", "-citizens"},
		{"loadtest refuses an extra argument", []string{"loadtest", "extra"}, 2, "", `sukma loadtest: argumen tidak dikenal "extra"`},
		{"score --help prints its flags and succeeds", []string{"score", "--help"}, 0, "", "-population"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), tt.args, stdio{strings.NewReader(""), &out, &errb})
			if code != tt.code || !strings.Contains(out.String(), tt.out) || !strings.Contains(errb.String(), tt.err) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q", code, out.String(), errb.String(), tt.code, tt.out, tt.err)
			}
		})
	}
}

func TestTheCollectorTargetIsRaisedUnlessGOGCIsSet(t *testing.T) {
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if p, ok := gcPercent(getenv); !ok || p != 400 {
		t.Errorf("GOGC unset: %d, %v; want 400, true", p, ok)
	}
	env["GOGC"] = "100"
	if _, ok := gcPercent(getenv); ok {
		t.Errorf("GOGC=100 set by the operator was overridden")
	}
}

// TestFlagHelpIsIndonesian reads every command's --help but the load test's (a developer
// tool): none of the flag package's English may show, in a usage or a type name.
func TestFlagHelpIsIndonesian(t *testing.T) {
	t.Setenv("SUKMA_CONFIG", "")
	english := []string{"(default ", "settings file", " string\n", " int\n", " int64\n", " uint64\n", " value\n", "number of", " per unit per month"}
	for _, args := range [][]string{{"serve"}, {"demo", "seed"}, {"whatsapp", "pair"}, {"digest", "send"}, {"score"}, {"backup"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append(args, "--help"), stdio{strings.NewReader(""), &out, &errb})
			help := errb.String()
			if code != 0 || !strings.HasPrefix(help, "Penggunaan:") || !strings.Contains(help, "berkas") {
				t.Fatalf("exit %d, help %q", code, help)
			}
			for _, word := range english {
				if strings.Contains(help, word) {
					t.Errorf("%q in the help:\n%s", word, help)
				}
			}
		})
	}
	var out, errb bytes.Buffer
	run(context.Background(), []string{"demo", "seed", "--help"}, stdio{strings.NewReader(""), &out, &errb})
	if want := "  -units N\n    \tN unit demo (bawaan 8)\n"; !strings.Contains(errb.String(), want) {
		t.Errorf("demo seed --help has no line %q:\n%s", want, errb.String())
	}
}

func TestTheVersionOfABuildWithoutOneNamesItsCommit(t *testing.T) {
	vcs := func(settings ...string) *debug.BuildInfo {
		info := &debug.BuildInfo{}
		for i := 0; i+1 < len(settings); i += 2 {
			info.Settings = append(info.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return info
	}
	const rev = "98302827f6a3b1c0d9e8f7a6b5c4d3e2f1a0b9c8"
	tests := []struct {
		name, version string
		info          *debug.BuildInfo
		want          string
	}{
		{"a release names its version only", "1.4.0", vcs("vcs.revision", rev, "vcs.modified", "true"), "sukma 1.4.0"},
		{"go build of a clean checkout names the commit", "dev", vcs("vcs.revision", rev, "vcs.modified", "false"), "sukma dev (9830282)"},
		{"go build with changed files says so", "dev", vcs("vcs.revision", rev, "vcs.modified", "true"), "sukma dev (9830282, berubah)"},
		{"a build without version control is dev", "dev", vcs("-buildmode", "exe"), "sukma dev"},
		{"no build information is dev", "dev", nil, "sukma dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := versionText(tt.version, tt.info); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
