package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const (
	fixture    = "../../scoring/testdata/responden.csv"
	fixtureBad = "../../scoring/testdata/nilai_salah.csv"
)

func score(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runScore(context.Background(), args, stdio{strings.NewReader(stdin), &out, &errb})
	return code, out.String(), errb.String()
}

func TestScoreText(t *testing.T) {
	code, out, stderr := score(t, "", "--csv", fixture, "--population", "1000")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{
		"4 responden",
		"U1    Persyaratan",
		"U8    Penanganan Pengaduan, Saran dan Masukan        8       3   2,67      66,67  C",
		"Nilai indeks: 3,3519",
		"IKM: 83,80, mutu B (Baik)",
		"Sampel: belum memenuhi (populasi 1000, minimal 278 responden, terkumpul 4)",
	} {
		t.Run("the text output shows "+want, func(t *testing.T) {
			if !strings.Contains(out, want) {
				t.Errorf("missing %q in\n%s", want, out)
			}
		})
	}
}

func TestScoreJSON(t *testing.T) {
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"a file prints the contract JSON", "", []string{"--csv", fixture, "--json"},
			`"unsur":[{"code":"U1","name":"Persyaratan","sum":14,"n":4,"nrr":3.50},`},
		{"stdin prints the same JSON", string(data), []string{"--json", "--csv", "-"},
			`"ikm":83.80,"mutu":"B","kinerja":"Baik"}` + "\n"},
		{"a population adds the sample", string(data), []string{"--json", "--csv=-", "--population=3"},
			`"ikm":83.80,"mutu":"B","kinerja":"Baik","sample":{"population":3,"required":3,"met":true}}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := score(t, tt.stdin, tt.args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if !strings.HasPrefix(out, `{"respondents":4,"unsur":[`) || !strings.Contains(out, tt.want) {
				t.Errorf("got %s\nwant it to contain %s", out, tt.want)
			}
			var v struct {
				IKM  float64 `json:"ikm"`
				Mutu string  `json:"mutu"`
			}
			if err := json.Unmarshal([]byte(out), &v); err != nil || v.IKM != 83.80 || v.Mutu != "B" {
				t.Errorf("decoded %+v, %v", v, err)
			}
		})
	}
}

func TestScoreErrors(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"a bad value names the file, row and column", "", []string{"--csv", fixtureBad},
			1, "sukma score: " + fixtureBad + `: baris 8, kolom U3: nilai "5" di luar 1–4` + "\n"},
		{"a bad value on stdin names stdin", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4,x,4\n", []string{"--csv", "-"},
			1, `sukma score: stdin: baris 2, kolom U8: nilai "x" bukan angka 1–4` + "\n"},
		{"a missing file is named", "", []string{"--csv", "tidak-ada.csv"},
			1, "sukma score: tidak-ada.csv: berkas tidak ditemukan\n"},
		{"an empty file is reported", "", []string{"--csv", "-"},
			1, "sukma score: stdin: file kosong: tidak ada baris judul\n"},
		{"a file without answers has no IKM", "U1,U2,U3,U4,U5,U6,U7,U8,U9\n", []string{"--csv", "-", "--json"},
			1, "sukma score: stdin: tidak ada jawaban unsur U1…U9, IKM tidak dapat dihitung\n"},
		{"no --csv is a usage error", "", nil, 2, "sukma score: --csv wajib diisi\n"},
		{"an extra argument is a usage error", "", []string{"--csv", fixture, "lagi.csv"}, 2, `sukma score: argumen tidak dikenal "lagi.csv"` + "\n"},
		{"a zero population is a usage error", "", []string{"--csv", fixture, "--population", "0"}, 2, "sukma score: --population harus lebih dari 0\n"},
		{"an unknown flag is a usage error", "", []string{"--csv", fixture, "--xlsx"}, 2, "sukma score: opsi -xlsx tidak dikenal\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := score(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			first, _, _ := strings.Cut(stderr, "Penggunaan:")
			if first != tt.stderr {
				t.Errorf("stderr\n got %q\nwant %q", first, tt.stderr)
			}
			if tt.code == 2 && !strings.Contains(stderr, "Penggunaan: sukma score --csv FILE|-") {
				t.Errorf("usage error without usage: %q", stderr)
			}
		})
	}
}

func TestScoreHelp(t *testing.T) {
	t.Run("--help prints the usage and succeeds", func(t *testing.T) {
		code, _, stderr := score(t, "", "--help")
		if code != 0 || !strings.Contains(stderr, "-population") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}
