package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"syscall"

	"sukma/flows"
)

const flowsUsage = `Penggunaan:
  sukma flows validate FILE…   periksa berkas alur; satu baris per masalah: FILE:BARIS:KOLOM: pesan
  sukma flows show [ID]        cetak YAML alur bawaan (bawaan: skm) sebagai titik awal`

// runFlows runs "sukma flows validate FILE…" and "sukma flows show [ID]".
func runFlows(_ context.Context, args []string, io stdio) int {
	if len(args) == 0 {
		fmt.Fprintln(io.err, flowsUsage)
		return 2
	}
	switch {
	case isHelp(args[0]) || helpAmong(args[1:]):
		fmt.Fprintln(io.out, flowsUsage)
		return 0
	case args[0] == "validate":
		return validateFlows(args[1:], io)
	case args[0] == "show":
		return showFlow(args[1:], io)
	}
	fmt.Fprintf(io.err, "sukma flows: subperintah tidak dikenal %q\n%s\n", args[0], flowsUsage)
	return 2
}

// helpAmong reports whether -h or --help is among args before a "--", after which every
// argument is a file name.
func helpAmong(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "--help" {
			return true
		}
	}
	return false
}

// validateFlows checks every file and reports every problem of every file.
func validateFlows(files []string, io stdio) int {
	if i := slices.Index(files, "--"); i >= 0 {
		files = slices.Delete(slices.Clone(files), i, i+1)
	}
	if len(files) == 0 {
		fmt.Fprintln(io.err, "sukma flows validate: sebutkan paling sedikit satu berkas alur")
		return 2
	}
	bad := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			// At 1:1, so that editors and scripts that read FILE:LINE:COL take it too.
			fmt.Fprintf(io.err, "%s:1:1: tidak dapat dibaca: %s\n", name, readProblem(err))
			bad++
			continue
		}
		f, err := flows.Parse(name, src)
		if err != nil {
			fmt.Fprintln(io.err, err)
			bad++
		} else if w := f.MissingElementsWarning(); w != "" {
			fmt.Fprintf(io.err, "%s: peringatan: %s\n", name, w) // valid all the same
		}
	}
	if bad > 0 {
		return 1
	}
	fmt.Fprintf(io.out, "OK: %d berkas alur valid\n", len(files))
	return 0
}

// readProblem describes why a file could not be read, without the path that os errors
// repeat, since the line already starts with it.
func readProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "berkas tidak ada"
	case errors.Is(err, fs.ErrPermission):
		return "tidak ada izin membaca berkas ini"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, syscall.EISDIR) {
		return "ini direktori, bukan berkas"
	}
	return err.Error()
}

// showFlow prints the YAML of a built-in flow, comments and all.
func showFlow(args []string, io stdio) int {
	id := flows.BuiltinID
	switch len(args) {
	case 0:
	case 1:
		id = args[0]
	default:
		fmt.Fprintln(io.err, "sukma flows show: paling banyak satu ID")
		return 2
	}
	if id != flows.BuiltinID {
		fmt.Fprintf(io.err, "sukma flows show: tidak ada alur bawaan dengan id %q (yang ada: %s)\n", id, flows.BuiltinID)
		return 1
	}
	if _, err := io.out.Write(flows.BuiltinSource()); err != nil {
		fmt.Fprintf(io.err, "sukma flows show: %v\n", err)
		return 1
	}
	return 0
}
