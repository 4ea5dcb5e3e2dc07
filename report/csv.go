package report

import (
	"strconv"
	"strings"
	"time"

	"sukma/storage"
)

// CSVHeader is the first row of the responses CSV (GET /api/v1/responses.csv and the admin's
// download). U1…U9 make the file readable by `sukma score --csv` as it is.
var CSVHeader = []string{"waktu", "unit", "nama_unit", "layanan", "jenis_kelamin", "usia", "pendidikan", "pekerjaan",
	"U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "perbaikan", "saran", "lainnya"}

// AppendCSV appends the fields of one complete response to rec, in CSVHeader's order: the
// time in loc (RFC 3339), the unit and service, the profile, U1…U9 (an unanswered element is
// an empty field), the two open answers, and the answers to the questions an agency added to
// its flow ("question_id: value", one a line, as stored: a value's line breaks are escaped).
//
// Citizens type the open answers, and a spreadsheet opening the file runs a cell that starts
// with "=", "+", "-" or "@" as a formula (=HYPERLINK(…) sends data away; older Excel ran
// commands). Such a text gets a leading apostrophe, which spreadsheets show as text; so do
// the names, which admins type.
func AppendCSV(rec []string, row storage.ResponseRow, loc *time.Location) []string {
	rec = append(rec, time.UnixMilli(row.FinishedAt).In(loc).Format(time.RFC3339),
		asText(row.UnitCode), asText(row.UnitName), asText(row.ServiceName), asText(row.JenisKelamin),
		age(row.Usia), asText(row.Pendidikan), asText(row.Pekerjaan))
	for _, v := range row.Scores {
		rec = append(rec, optional(v))
	}
	return append(rec, asText(row.Perbaikan), asText(row.Saran), asText(row.Lainnya))
}

// asText keeps a spreadsheet from reading s as a formula (OWASP's "CSV injection"): a text
// starting with a formula character, a tab or a carriage return gets a leading apostrophe.
func asText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// age formats an age, nil being "not answered": an empty field; 0 is an age like any other.
func age(v *int) string {
	if v == nil {
		return ""
	}
	return strconv.Itoa(*v)
}

// optional formats a score, 0 being "not answered": an empty field.
func optional(v int) string {
	if v == 0 {
		return ""
	}
	return strconv.Itoa(v)
}
