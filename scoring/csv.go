package scoring

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// A CSVError is a problem in a survey CSV, worded in Indonesian for the clerk
// who made the file and located so that it can be fixed.
type CSVError struct {
	Row    int    // spreadsheet row (header = 1), or 0 when the message locates itself
	Column string // element code ("U3") when the problem is one cell, else ""
	Msg    string
}

func (e *CSVError) Error() string {
	switch {
	case e.Row > 0 && e.Column != "":
		return fmt.Sprintf("baris %d, kolom %s: %s", e.Row, e.Column, e.Msg)
	case e.Row > 0:
		return fmt.Sprintf("baris %d: %s", e.Row, e.Msg)
	}
	return e.Msg
}

// ReadCSV reads a per-respondent survey sheet and returns its tally.
//
// The first non-blank row is the header. Element columns are recognised by
// code or name, ignoring case, spaces and punctuation: "U3", "u 3",
// "Waktu Penyelesaian", "WAKTU PENYELESAIAN", "U3 Waktu Penyelesaian",
// "U3. Waktu Penyelesaian" and "Waktu Penyelesaian (U3)" all name U3. Other
// columns ("Nama", "Tanggal", "Saran") are ignored. All nine element columns
// must be present, each once.
//
// Every other row is one respondent; element cells hold 1–4, or are empty
// (spaces allowed) when not answered. A row whose element cells are all empty
// is not a respondent (Scored) and is skipped. The separator is detected from the
// header: comma, semicolon (Indonesian Excel) or tab. The file is UTF-8; a
// BOM is skipped, and a UTF-16 file is refused with advice to re-save it.
//
// Errors are *CSVError values naming the spreadsheet row (header = 1, blank
// lines counted, a quoted cell spanning lines counted once) and the element,
// e.g. `baris 7, kolom U3: nilai "5" di luar 1–4`; for a file that is not
// valid CSV, the line of the file where the broken record starts. Reading
// stops at the first error. Errors of r itself are returned wrapped.
func ReadCSV(r io.Reader) (Tally, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte("\uFEFF")):
		br.Discard(3)
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		// Excel's "Unicode Text" export.
		return Tally{}, &CSVError{Msg: "berkas berformat UTF-16: simpan ulang sebagai \"CSV UTF-8\""}
	}
	head, err := br.Peek(br.Size())
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return Tally{}, fmt.Errorf("scoring: baca CSV: %w", err)
	}
	cr := csv.NewReader(br)
	cr.Comma = detectComma(head)
	cr.FieldsPerRecord = -1 // checked here, with a row number a clerk can use

	var rows rowCounter
	var header []string
	for header == nil {
		rec, err := cr.Read()
		if err == io.EOF {
			return Tally{}, &CSVError{Msg: "file kosong: tidak ada baris judul"}
		}
		if err != nil {
			return Tally{}, readError(err)
		}
		rows.next(cr, rec)
		if !blank(rec) {
			header = rec
		}
	}
	cols, err := elementColumns(header)
	if err != nil {
		return Tally{}, err
	}

	var t Tally
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return Tally{}, readError(err)
		}
		row := rows.next(cr, rec)
		if blank(rec) {
			continue
		}
		if len(rec) != len(header) {
			return Tally{}, &CSVError{Row: row, Msg: fmt.Sprintf("ada %d kolom, padahal baris judul %d kolom", len(rec), len(header))}
		}
		var scores [9]int
		for i, j := range cols {
			v := strings.TrimSpace(rec[j])
			if v == "" {
				continue
			}
			s, err := strconv.Atoi(v)
			switch {
			case err != nil:
				return Tally{}, &CSVError{Row: row, Column: Elements[i].Code, Msg: fmt.Sprintf("nilai %q bukan angka 1–4", v)}
			case s < 1 || s > 4:
				return Tally{}, &CSVError{Row: row, Column: Elements[i].Code, Msg: fmt.Sprintf("nilai %q di luar 1–4", v)}
			}
			scores[i] = s
		}
		t.AddResponse(scores) // cannot fail: every score is 0–4; a row with none is skipped
	}
}

// detectComma picks the separator under which the header line names the most
// elements (ties: more fields, then comma first). Counting separators alone
// fails on semicolon files, whose element names contain commas.
func detectComma(head []byte) rune {
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, bestMatch, bestFields := ',', -1, 0
	for _, c := range []rune{',', ';', '\t'} {
		cr := csv.NewReader(bytes.NewReader(head))
		cr.Comma, cr.LazyQuotes = c, true
		rec, _ := cr.Read()
		match := 0
		for _, h := range rec {
			if _, ok := headerIndex[normalize(h)]; ok {
				match++
			}
		}
		if match > bestMatch || match == bestMatch && len(rec) > bestFields {
			best, bestMatch, bestFields = c, match, len(rec)
		}
	}
	return best
}

// headerIndex maps every accepted normalised header to its element index.
var headerIndex = func() map[string]int {
	m := make(map[string]int)
	for i, e := range Elements {
		code, name := normalize(e.Code), normalize(e.Name)
		for _, k := range []string{code, name, code + name, name + code} {
			m[k] = i
		}
	}
	return m
}()

// normalize lower-cases s and keeps only its letters and digits.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// elementColumns returns, for each element, the index of its header column.
func elementColumns(header []string) ([9]int, error) {
	var cols [9]int
	for i := range cols {
		cols[i] = -1
	}
	for j, h := range header {
		i, ok := headerIndex[normalize(h)]
		if !ok {
			continue
		}
		if cols[i] >= 0 {
			return cols, &CSVError{Msg: fmt.Sprintf("kolom %s (%s) muncul dua kali di baris judul: kolom %s dan %s",
				Elements[i].Code, Elements[i].Name, columnLetter(cols[i]), columnLetter(j))}
		}
		cols[i] = j
	}
	var missing []string
	for i, j := range cols {
		if j < 0 {
			missing = append(missing, fmt.Sprintf("%s (%s)", Elements[i].Code, Elements[i].Name))
		}
	}
	switch {
	case len(missing) == len(cols):
		return cols, &CSVError{Msg: "baris judul tidak memuat satu pun kolom unsur: baris pertama harus berisi judul kolom U1…U9 atau nama unsurnya"}
	case len(missing) > 0:
		list := missing[0]
		if n := len(missing); n > 1 {
			list = strings.Join(missing[:n-1], ", ") + " dan " + missing[n-1]
		}
		return cols, &CSVError{Msg: fmt.Sprintf("kolom %s tidak ditemukan di baris judul", list)}
	}
	return cols, nil
}

// columnLetter names a zero-based column as a spreadsheet does: A, B, …, Z, AA.
func columnLetter(j int) string {
	var b []byte
	for j++; j > 0; j = (j - 1) / 26 {
		b = append([]byte{byte('A' + (j-1)%26)}, b...)
	}
	return string(b)
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// readError turns an error of csv.Reader into a CSVError or a wrapped I/O error.
func readError(err error) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("scoring: baca CSV: %w", err)
	}
	msg := pe.Err.Error()
	switch {
	case errors.Is(pe.Err, csv.ErrQuote):
		msg = `tanda kutip (") tidak ditutup, atau diikuti karakter selain pemisah`
	case errors.Is(pe.Err, csv.ErrBareQuote):
		msg = `tanda kutip (") di tengah nilai yang tidak diapit tanda kutip`
	}
	return &CSVError{Msg: fmt.Sprintf("format CSV rusak pada baris %d file: %s", pe.StartLine, msg)}
}

// rowCounter turns csv.Reader positions into spreadsheet row numbers: blank
// lines, which csv.Reader skips, are rows in a spreadsheet; a quoted cell
// spanning several lines is one row.
type rowCounter struct {
	row     int // spreadsheet row of the last record
	endLine int // file line where the last record ended
}

func (c *rowCounter) next(cr *csv.Reader, rec []string) int {
	start, _ := cr.FieldPos(0)
	c.row += start - c.endLine
	last := len(rec) - 1
	line, _ := cr.FieldPos(last)
	c.endLine = line + strings.Count(rec[last], "\n")
	return c.row
}
