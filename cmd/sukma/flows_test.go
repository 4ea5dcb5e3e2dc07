package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sukma/flows"
)

func runFlowsWith(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = runFlows(context.Background(), args, stdio{in: strings.NewReader(""), out: &out, err: &errb})
	return code, out.String(), errb.String()
}

// flowsVersionProblem is what flows.Parse says of a version it could not renumber.
const flowsVersionProblem = `version harus ditulis sebagai angka biasa, misalnya version: 1 (atau "version": 1 di JSON): ` +
	`nomornya diganti saat alur diterbitkan, dan bentuk ini tidak dapat diganti`

func TestFlowsValidate(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good := write("good.yaml", string(flows.BuiltinSource()))
	bad := write("bad.yaml", "id: x\nversion: 1\ntitle: T\nwarna: biru\nquestions: []\n")
	broken := write("broken.yaml", "id: x\ntitle: \"T\n")
	missing := filepath.Join(dir, "missing.yaml")
	json := write("json.yaml", `{"id":"fjson","version":1,"title":"T","questions":[{"id":"s","kind":"text","prompt":"Saran"}]}`)
	escaped := write("escaped.yaml", "id: x\ntitle: T\nversion: !!int \"\\x31\"\nquestions: [{id: s, kind: text, prompt: Saran}]\n")
	short := write("short.yaml", "id: x\nversion: 1\ntitle: T\nquestions:\n  - id: puas\n    kind: scale\n    element: U1\n    prompt: Puas?\n    labels: [a, b, c, d]\n")

	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantOut    string
		wantErrors []string
	}{
		{
			name:     "a valid file exits 0 with a short OK",
			args:     []string{"validate", good},
			wantCode: 0,
			wantOut:  "OK: 1 berkas alur valid\n",
		},
		{
			name:     "a valid file without all nine elements exits 0 with a warning that names them",
			args:     []string{"validate", short},
			wantCode: 0,
			wantOut:  "OK: 1 berkas alur valid\n",
			wantErrors: []string{
				short + `: peringatan: alur tidak mengukur unsur U2, U3, U4, U5, U6, U7, U8, U9: IKM-nya tidak memenuhi PermenPANRB 14/2017, yang mewajibkan sembilan unsur (U1–U9)`,
			},
		},
		{
			name:     "a flow in JSON is valid, and one whose version publishing cannot renumber is not",
			args:     []string{"validate", json, escaped},
			wantCode: 1,
			wantErrors: []string{
				json + `: peringatan: alur tidak mengukur unsur U1, U2, U3, U4, U5, U6, U7, U8, U9: IKM-nya tidak memenuhi PermenPANRB 14/2017, yang mewajibkan sembilan unsur (U1–U9)`,
				escaped + `:3:10: ` + flowsVersionProblem,
			},
		},
		{
			name:     "every problem of an invalid file is one line on stderr",
			args:     []string{"validate", bad},
			wantCode: 1,
			wantErrors: []string{
				bad + `:4:1: kunci "warna" tidak dikenal di alur (yang boleh: id, version, title, languages, expire_after, intro, closing, questions)`,
				bad + `:5:12: alur tidak memiliki pertanyaan: questions harus berupa daftar yang tidak kosong`,
			},
		},
		{
			name:     "problems of every file are reported, good files stay silent",
			args:     []string{"validate", broken, good, missing},
			wantCode: 1,
			wantErrors: []string{
				broken + `:2:8: sintaks YAML salah: berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup`,
				missing + `:1:1: tidak dapat dibaca: berkas tidak ada`,
			},
		},
		{
			name:       "a directory is reported as unreadable",
			args:       []string{"validate", dir},
			wantCode:   1,
			wantErrors: []string{dir + `:1:1: tidak dapat dibaca: ini direktori, bukan berkas`},
		},
		{
			name:       "validate without files is a usage error",
			args:       []string{"validate"},
			wantCode:   2,
			wantErrors: []string{"sukma flows validate: sebutkan paling sedikit satu berkas alur"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runFlowsWith(tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr: %s)", code, tt.wantCode, stderr)
			}
			if stdout != tt.wantOut {
				t.Errorf("stdout = %q, want %q", stdout, tt.wantOut)
			}
			var lines []string
			if stderr != "" {
				lines = strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			}
			if strings.Join(lines, "\n") != strings.Join(tt.wantErrors, "\n") {
				t.Errorf("stderr lines:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(tt.wantErrors, "\n"))
			}
		})
	}
}

func TestFlowsShow(t *testing.T) {
	t.Run("show prints the embedded SKM flow, comments and all", func(t *testing.T) {
		for _, args := range [][]string{{"show"}, {"show", "skm"}} {
			code, stdout, stderr := runFlowsWith(args...)
			if code != 0 || stderr != "" {
				t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
			}
			if stdout != string(flows.BuiltinSource()) || !strings.HasPrefix(stdout, "# Survei Kepuasan Masyarakat") {
				t.Errorf("%v: stdout is not the embedded file:\n%.200s", args, stdout)
			}
			if _, err := flows.Parse("show.yaml", []byte(stdout)); err != nil {
				t.Errorf("%v: the shown flow does not validate: %v", args, err)
			}
		}
	})
	t.Run("an unknown id is a clear error with exit 1", func(t *testing.T) {
		code, stdout, stderr := runFlowsWith("show", "kepuasan")
		want := "sukma flows show: tidak ada alur bawaan dengan id \"kepuasan\" (yang ada: skm)\n"
		if code != 1 || stdout != "" || stderr != want {
			t.Errorf("exit %d, stdout %q, stderr %q; want 1, \"\", %q", code, stdout, stderr, want)
		}
	})
}

func TestFlowsUsage(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
	}{
		{"no subcommand prints the usage", nil, 2},
		{"an unknown subcommand prints the usage", []string{"publish"}, 2},
		{"help prints the usage to stdout", []string{"help"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runFlowsWith(tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if !strings.Contains(stdout+stderr, "sukma flows validate FILE…") {
				t.Errorf("no usage printed: stdout %q stderr %q", stdout, stderr)
			}
		})
	}
}
