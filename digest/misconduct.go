package digest

import (
	"strings"
	"unicode"
)

// misconductTerms are words and phrases with which a citizen reports serious misconduct:
// illegal fees and bribes (pungli, suap, calo), and rough, threatening or discriminating
// treatment. A saran or perbaikan text naming one raises an alert at once, whatever the
// scores; a mild suggestion ("tambah kursi") waits for the digest.
//
// Each is matched case-insensitively on whole words (see Misconduct), so every affixed form
// that matters is listed: "calo" must not match "calon", nor "suap" "suapan". Lowercase,
// words separated by one space.
//
// A negation is not recognised: "tidak ada pungutan" and "semoga bebas pungli" alert too. A
// head reads a false alarm in seconds, and telling a negation from a report is not safe with
// word lists ("katanya bebas pungli, tapi saya diminta uang"): a missed bribery report costs
// far more than a needless alert.
var misconductTerms = []string{
	// illegal fees, bribes, brokers
	"pungli", "pungutan liar", "pungutan", "punglinya",
	"suap", "disuap", "menyuap", "suapnya",
	"sogok", "sogokan", "disogok", "menyogok",
	"calo", "calonya", "percaloan",
	"gratifikasi", "pemerasan", "diperas", "memeras",
	"uang rokok", "uang pelicin", "uang kopi", "uang terima kasih", "uang tambahan",
	"minta uang", "meminta uang", "diminta uang", "dimintai uang", "dimintain uang",
	"bayar lebih", "membayar lebih", "disuruh bayar",
	// rough, threatening or discriminating treatment
	"kasar", "bentak", "membentak", "dibentak", "bentakan",
	"ancam", "mengancam", "diancam", "ancaman", "intimidasi", "diintimidasi",
	"maki", "memaki", "dimaki", "makian", "dicaci",
	"kekerasan", "dipukul", "memukul",
	"pelecehan", "dilecehkan", "melecehkan",
	"diskriminasi", "diskriminatif", "dibeda bedakan",
}

// Misconduct reports whether text names serious misconduct: one of misconductTerms as whole
// words, case and punctuation aside ("PUNGLI!", "pungutan-liar" and "di-bentak" count).
func Misconduct(text string) bool {
	if strings.TrimSpace(text) == "" {
		return false
	}
	words := " " + strings.Join(strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ") + " "
	for _, t := range misconductTerms {
		if strings.Contains(words, " "+t+" ") {
			return true
		}
	}
	return false
}
