package admin

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"sukma/storage"
)

// maxCode is the longest code codeShape takes.
const maxCode = 32

// codeProblem says, in the language of tr, what is wrong with a unit, service or agency code
// (what names the field: "Kode layanan"), or "" when codeShape takes it: which characters it
// may hold, and which of them it holds that it may not, or how long it is past maxCode.
func codeProblem(tr func(string) string, what, code, example string) string {
	if codeShape.MatchString(code) {
		return ""
	}
	if code == "" {
		return fmt.Sprintf(tr("%s wajib diisi: huruf A–Z atau a–z, angka 0–9, - dan _, paling panjang 32 karakter (misalnya %s)."), tr(what), example)
	}
	var bad []string
	for _, r := range code {
		var name string
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			continue
		case r == ' ':
			name = tr("spasi")
		case r < ' ' || r == 0x7f:
			name = fmt.Sprintf("U+%04X", r)
		default:
			name = "“" + string(r) + "”"
		}
		if !contains(bad, name) {
			bad = append(bad, name)
		}
	}
	var msgs []string
	if len(bad) > 0 {
		msgs = append(msgs, fmt.Sprintf(tr("%s hanya boleh berisi huruf A–Z atau a–z tanpa tanda aksen, angka 0–9, - dan _; yang ditulis memuat %s."),
			tr(what), strings.Join(bad, ", ")))
	}
	if n := utf8.RuneCountInString(code); n > maxCode {
		msgs = append(msgs, fmt.Sprintf(tr("%s paling panjang 32 karakter; yang ditulis %d karakter."), tr(what), n))
	}
	return strings.Join(msgs, " ")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// nameProblemText says, in the language of tr, what is wrong with a unit's or service's name
// (what names the field: "Nama layanan") that storage.CheckName found, or "" for none.
func nameProblemText(tr func(string) string, what, name string, p storage.NameProblem) string {
	switch p {
	case storage.NameDirection:
		return tr(directionProblem)
	case storage.NameEmpty:
		return fmt.Sprintf(tr("%s wajib diisi (paling panjang 200 karakter)."), tr(what))
	case storage.NameTooLong:
		return fmt.Sprintf(tr("%s paling panjang 200 karakter; yang ditulis %d karakter."), tr(what), utf8.RuneCountInString(name))
	}
	return ""
}

// parsePopulation reads a unit's yearly population as an admin types it: a whole number, its
// thousands grouped as Indonesian writes them (45.000, 45 000) or not at all (45000), and on
// the English pages also with commas (45,000). Anything else is refused with problem saying
// why, in the page's language: "45,5" (a decimal comma) and "4.50" (a dot that groups no
// thousands) are not whole numbers, and a number past storage.MaxPopulation is too large.
func parsePopulation(s, lang string) (n int64, problem string) {
	tr := view{Lang: lang}.T
	seps := ". \u00a0\u202f" // a dot, a space, a no-break space, a narrow no-break space
	if lang == "en" {
		seps += ","
	}
	tooLarge := fmt.Sprintf(tr("Populasi harus bilangan bulat dari 0 sampai %s (jumlah pengguna layanan setahun)."), thousands(storage.MaxPopulation, lang))
	digits, ok := ungroup(s, seps)
	if !ok {
		if strings.HasPrefix(s, "-") {
			return 0, tooLarge
		}
		return 0, fmt.Sprintf(tr("Populasi “%s” bukan bilangan bulat: tulis jumlah orang tanpa desimal, dengan titik atau spasi sebagai pemisah ribuan bila perlu, misalnya 45000, 45.000 atau 45 000."), s)
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n > storage.MaxPopulation {
		return 0, tooLarge
	}
	return n, ""
}

// ungroup returns the digits of s, a whole number written with its thousands grouped by any
// of the separators seps, or without: a first group of one to three digits, then groups of
// exactly three ("45.000", "1 200 000"). ok is false for anything else ("4.50", "45,5",
// "45..000", "12a").
func ungroup(s, seps string) (digits string, ok bool) {
	var groups []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			groups = append(groups, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	groups = append(groups, s[start:])
	for i, g := range groups {
		if g == "" || strings.Trim(g, "0123456789") != "" || i > 0 && len(g) != 3 || i == 0 && len(groups) > 1 && len(g) > 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

// thousands writes n with its thousands grouped as the page's language does: 1.000.000 in
// Indonesian, 1,000,000 in English.
func thousands(n int64, lang string) string {
	sep := "."
	if lang == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	return s
}
