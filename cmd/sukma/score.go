package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"sukma/scoring"
)

// runScore is `sukma score --csv FILE|- [--json] [--population N]`, the
// offline IKM calculator. Exit 0 on success, 1 when the file cannot be read
// or scored (one line on stderr), 2 on a usage error.
func runScore(_ context.Context, args []string, io stdio) int {
	flags := flag.NewFlagSet("sukma score", flag.ContinueOnError)
	flags.SetOutput(io.err)
	path := flags.String("csv", "", "berkas CSV `FILE` (- untuk stdin): satu baris per responden, kolom U1…U9 atau nama unsur")
	asJSON := flags.Bool("json", false, "cetak hasil sebagai JSON")
	population := flags.Int64("population", 0, "`N` pengguna layanan setahun (populasi unit), untuk memeriksa sampel minimal")
	flagsUsage(flags, "Penggunaan: sukma score --csv FILE|- [--json] [--population N]")
	if code, done := parseFlags(flags, args); done {
		return code
	}
	popSet := false
	flags.Visit(func(f *flag.Flag) { popSet = popSet || f.Name == "population" })
	switch {
	case *path == "":
		return scoreUsage(io, flags, "--csv wajib diisi")
	case flags.NArg() > 0:
		return scoreUsage(io, flags, fmt.Sprintf("argumen tidak dikenal %q", flags.Arg(0)))
	case popSet && *population <= 0:
		return scoreUsage(io, flags, "--population harus lebih dari 0")
	}

	name, tally, err := readTally(*path, io.in)
	if err != nil {
		fmt.Fprintf(io.err, "sukma score: %s: %v\n", name, err)
		return 1
	}
	res := scoring.Compute(tally, scoring.Bands2017)
	if !res.Answered {
		fmt.Fprintf(io.err, "sukma score: %s: tidak ada jawaban unsur U1…U9, IKM tidak dapat dihitung\n", name)
		return 1
	}
	rep := scoring.NewReport(res)
	if popSet {
		s := scoring.NewSample(*population, res.Respondents)
		rep.Sample = &s
	}
	if *asJSON {
		enc := json.NewEncoder(io.out)
		enc.SetEscapeHTML(false)
		err = enc.Encode(rep)
	} else {
		err = printScore(io.out, res, rep.Sample)
	}
	if err != nil {
		fmt.Fprintf(io.err, "sukma score: %v\n", err)
		return 1
	}
	return 0
}

func scoreUsage(io stdio, flags *flag.FlagSet, msg string) int {
	fmt.Fprintf(io.err, "sukma score: %s\n", msg)
	flags.Usage()
	return 2
}

// readTally reads the CSV at path, or stdin for "-", and returns the name to
// show in messages with the tally.
func readTally(path string, stdin io.Reader) (string, scoring.Tally, error) {
	if path == "-" {
		t, err := scoring.ReadCSV(stdin)
		return "stdin", t, err
	}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return path, scoring.Tally{}, errors.New("berkas tidak ditemukan")
	case err != nil:
		return path, scoring.Tally{}, fmt.Errorf("berkas tidak dapat dibuka: %w", err)
	}
	defer f.Close()
	t, err := scoring.ReadCSV(f)
	return path, t, err
}

// printScore writes the per-element table and the IKM the Indonesian way,
// with decimal commas.
func printScore(w io.Writer, r scoring.Result, sample *scoring.Sample) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Survei Kepuasan Masyarakat: %d responden\n\n", r.Respondents)
	fmt.Fprintf(&b, "%-4s  %-39s  %7s  %6s  %5s  %9s  %s\n", "Kode", "Unsur", "Jumlah", "n", "NRR", "IKM unsur", "Mutu")
	var unanswered []string
	for _, e := range r.Elements {
		if !e.Answered {
			fmt.Fprintf(&b, "%-4s  %-39s  %7d  %6d  %5s  %9s  %s\n", e.Code, e.Name, e.Sum, e.N, "-", "-", "-")
			unanswered = append(unanswered, e.Code)
			continue
		}
		fmt.Fprintf(&b, "%-4s  %-39s  %7d  %6d  %5s  %9s  %s\n", e.Code, e.Name, e.Sum, e.N, e.NRR.Comma(), e.IKM.Comma(), e.Grade.Mutu)
	}
	b.WriteByte('\n')
	if len(unanswered) > 0 {
		fmt.Fprintf(&b, "Catatan: %s tidak dijawab satu responden pun; IKM dihitung dari %d unsur.\n", strings.Join(unanswered, ", "), r.K)
	}
	fmt.Fprintf(&b, "Nilai indeks: %s (rata-rata NRR %d unsur, skala 1–4)\n", strings.Replace(r.Indeks.FloatString(4), ".", ",", 1), r.K)
	fmt.Fprintf(&b, "IKM: %s, mutu %s (%s)\n", r.IKM.Comma(), r.Grade.Mutu, r.Grade.Kinerja)
	if sample != nil {
		met := "belum memenuhi"
		if sample.Met {
			met = "memenuhi"
		}
		fmt.Fprintf(&b, "Sampel: %s (populasi %d, minimal %d responden, terkumpul %d)\n", met, sample.Population, sample.Required, r.Respondents)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
