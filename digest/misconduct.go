package digest

import (
	"slices"
	"strings"
	"unicode"
)

// misconductTerms are words and phrases with which a citizen reports serious misconduct:
// illegal fees and bribes (pungli, suap, calo), and rough, threatening or discriminating
// treatment, in Indonesian (with the everyday "duit" for "uang") and in English, the
// survey's two languages. A saran or perbaikan text naming one raises an alert at once,
// whatever the scores; a mild suggestion ("tambah kursi") waits for the digest.
//
// Each is matched case-insensitively on whole words (see Misconduct), so every affixed form
// that matters is listed: "calo" must not match "calon", nor "suap" "suapan". Lowercase,
// words separated by one space.
var misconductTerms = []string{
	// illegal fees, bribes, brokers
	"pungli", "pungutan liar", "pungutan", "punglinya",
	"suap", "disuap", "menyuap", "suapnya",
	"sogok", "sogokan", "disogok", "menyogok",
	"calo", "calonya", "percaloan",
	"gratifikasi", "pemerasan", "diperas", "memeras",
	"pelicin", "uang rokok", "uang kopi", "uang terima kasih", "uang tambahan",
	"minta uang", "meminta uang", "diminta uang", "dimintai uang", "dimintain uang",
	"duit rokok", "duit kopi", "duit tambahan",
	"minta duit", "meminta duit", "diminta duit", "dimintai duit", "dimintain duit",
	"bayar lebih", "membayar lebih", "disuruh bayar",
	"bribe", "bribes", "bribed", "bribery", "bribing",
	"extort", "extorted", "extortion", "extorting",
	"illegal fee", "illegal fees", "illegal charge", "illegal levy",
	"asked for money", "asked me for money", "asked for extra money", "asked me for extra money",
	"pay extra", "paid extra", "under the table", "scalper", "scalpers",
	// rough, threatening or discriminating treatment
	"kasar", "bentak", "membentak", "dibentak", "bentakan",
	"ancam", "mengancam", "diancam", "ancaman", "intimidasi", "diintimidasi",
	"maki", "memaki", "dimaki", "makian", "dicaci",
	"kekerasan", "dipukul", "memukul",
	"pelecehan", "dilecehkan", "melecehkan",
	"diskriminasi", "diskriminatif", "dibeda bedakan",
	"rude", "shouted at", "yelled at", "threatened", "threatening", "intimidated",
	"insulted", "harassed", "harassment", "assaulted", "beaten",
	"discriminated", "discrimination",
}

// negations are the words that, right before a term, deny it: "tidak ada pungutan",
// "tanpa calo", "bebas pungli", "no bribe"; and a term in a list after a denied one is denied
// with it: "tanpa pungli dan calo", "no bribes or extortion". Nothing else is a denial, so
// that a report is never taken for one: "tidak kasar", "I was not asked for a bribe" and
// "tidak ada pungli, tapi saya dimintai uang rokok" (its second term) alert. Neither is a
// negation that is itself denied ("belum bebas pungli"), a condition ("kalau tidak ada uang
// rokok", "if there is no bribe": a conditional up to three words before it), or one followed
// in its sentence by another "not" that does not deny a term ("tidak ada uang rokok, tidak
// diproses", "no bribe no service"). A head reads a false alarm in seconds; a missed bribery
// report costs far more.
var negations = [][]string{
	{"tidak", "ada"}, {"tak", "ada"}, {"tdk", "ada"}, {"gak", "ada"}, {"nggak", "ada"},
	{"ga", "ada"}, {"enggak", "ada"}, {"tiada"}, {"tanpa"}, {"bebas"},
	{"no"}, {"without"},
}

// notWords say "not" in one word: before a negation they deny it ("belum bebas pungli"),
// after a denied term they make it a condition ("tidak ada uang rokok, tidak diproses").
var notWords = []string{"tidak", "tak", "tdk", "gak", "nggak", "ga", "enggak", "belum", "blm", "bukan",
	"tiada", "tanpa", "no", "not", "never", "nothing", "without"}

// conditionals make a negation up to three words after them a condition.
var conditionals = []string{"kalau", "kalo", "klo", "jika", "bila", "apabila", "kecuali", "asal", "if", "unless"}

// joiners join terms in a list under one negation.
var joiners = []string{"dan", "atau", "maupun", "ataupun", "serta", "and", "or", "nor"}

var termWords = func() [][]string {
	out := make([][]string, len(misconductTerms))
	for i, t := range misconductTerms {
		out[i] = strings.Fields(t)
	}
	return out
}()

// Misconduct reports whether text names serious misconduct: one of misconductTerms as whole
// words, case and punctuation aside ("PUNGLI!", "pungutan-liar" and "di-bentak" count), that
// no negation denies (see negations).
func Misconduct(text string) bool {
	sentences := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return strings.ContainsRune(".!?;\n\r", r)
	})
	for _, s := range sentences {
		words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if reports(words) {
			return true
		}
	}
	return false
}

// reports reports whether a sentence's words name a term that is not denied.
func reports(words []string) bool {
	deniedTo := -1 // the end of the last denied term: a term within it, or joined to it, is denied too
	for i := range words {
		for _, t := range termWords {
			end := i + len(t)
			if end > len(words) || !slices.Equal(words[i:end], t) {
				continue
			}
			listed := i < deniedTo || deniedTo >= 0 && i == deniedTo+1 && slices.Contains(joiners, words[i-1])
			if !listed && !denied(words, i, end) {
				return true
			}
			deniedTo = max(deniedTo, end)
		}
	}
	return false
}

// denied reports whether the term at words[i:end] follows a negation that denies it.
func denied(words []string, i, end int) bool {
	for _, n := range negations {
		at := i - len(n)
		if at < 0 || !slices.Equal(words[at:i], n) {
			continue
		}
		if at > 0 && slices.Contains(notWords, words[at-1]) {
			return false // "belum bebas pungli"
		}
		if slices.ContainsFunc(words[max(0, at-3):at], func(w string) bool { return slices.Contains(conditionals, w) }) {
			return false
		}
		if end < len(words) && slices.Contains(notWords, words[end]) {
			next := end + 1
			if next < len(words) && words[next] == "ada" {
				next++
			}
			if !startsTerm(words[next:]) {
				return false // "no bribe no service"
			}
		}
		return true
	}
	return false
}

func startsTerm(words []string) bool {
	return slices.ContainsFunc(termWords, func(t []string) bool {
		return len(t) <= len(words) && slices.Equal(words[:len(t)], t)
	})
}
