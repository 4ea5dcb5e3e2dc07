package digest

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"sukma/scoring"
)

// lang is a digest language: "id" (the default) or "en".
type lang string

func langOf(code string) lang {
	if code == "en" {
		return "en"
	}
	return "id"
}

func (l lang) t(key string) string {
	if s, ok := words[l][key]; ok {
		return s
	}
	return words["id"][key]
}

var words = map[lang]map[string]string{
	"id": {
		"title":          "📊 Ringkasan SKM — %s",
		"province":       "seluruh unit",
		"period":         "Periode: %s",
		"empty":          "Tidak ada responden pada periode ini.",
		"emptyYet":       "Belum ada responden pada periode ini.",
		"ikm":            "IKM %s · mutu %s (%s)",
		"fewer":          "IKM ini dihitung dari %d unsur (tanpa %s), bukan sembilan unsur PermenPANRB 14/2017.",
		"fewerShort":     ", dari %d unsur",
		"up":             "▲ naik %s poin dari periode sebelumnya (%s)",
		"down":           "▼ turun %s poin dari periode sebelumnya (%s)",
		"same":           "tetap dibanding periode sebelumnya (%s)",
		"prevShort":      "%s; hanya %s, sampel belum memenuhi",
		"respondents":    "Responden: %s",
		"sampleMet":      " — sampel memenuhi",
		"sampleShort":    " — sampel belum memenuhi, kurang %s responden",
		"sampleNone":     "Tidak ada responden pada periode ini, jadi sampel belum memenuhi%s.",
		"sampleNoneYet":  "Belum ada responden pada periode ini, jadi sampel belum memenuhi%s.",
		"qrHint":         "Pastikan kode QR survei di loket terpasang dan mudah dilihat warga.",
		"retired":        "Unit ini dinonaktifkan sejak %s dan tidak menerima survei lagi: ringkasan tanpa responden tidak dikirim lagi.",
		"sampleNoteYear": " (minimum %s per tahun)",
		"sampleNote":     " (minimum %s untuk %d hari, prorata dari %s per tahun)",
		"noPopulation":   " (populasi unit belum diisi: sampel belum dapat dinilai)",
		"unitsMet":       "Jumlah responden cukup di %d dari %d unit yang populasinya diketahui",
		"elements":       "Unsur, dari yang terlemah:",
		"elementsSame":   "Semua %d unsur bernilai %s (%s).",
		"ranking":        "Peringkat unit (IKM):",
		"noResp":         "Unit tanpa responden: %s",
		"leagueShort":    " · %s, sampel kurang",
		"suggestions":    "Saran terbaru:",
		"dashboard":      "Dasbor (perlu akun admin): %s",
		"stopFooter":     "Berhenti berlangganan: kirim /berhenti",
		"more":           "… dan %d unit lain",
		"moreUnits":      "+%d unit lain",
		"chartNRR":       "Nilai per unsur (NRR, skala 1–4)",
		"chartTrend":     "Tren IKM",
		"at":             "pukul %02d.%02d",
		"daily":          "setiap hari",
		"weekly":         "setiap %s",
		"monthly":        "setiap tanggal %s",
		"yearly":         "setiap tanggal %s %s",
		"quarterly":      "setiap triwulan (%s %s)",
		"halfYearly":     "setiap semester (%s %s)",
		"someMonths":     "setiap tanggal %s bulan %s",
		"and":            "dan",
		"scheduleRaw":    "menurut jadwal %q",
		"seeText":        "Rincian ada di pesan berikut.",
		"alertTitle":     "⚠️ Peringatan SKM — %s",
		"alertCount":     "%d respons perlu perhatian:",
		"alertCount1":    "%d respons perlu perhatian:",
		"low":            "Nilai rendah: %s",
		"allLow":         "Semua unsur bernilai 1",
		"perbaikan":      "Perbaikan: “%s”",
		"saran":          "Saran: “%s”",
		"alertMore":      "… dan %d respons lain",
		"alertPartial":   "survei tidak diselesaikan",
		"alertAction":    "Tindak lanjuti bersama unit layanan di atas; rincian di dasbor: %s",
		"alertNoLink":    "Tindak lanjuti bersama unit layanan di atas.",
	},
	"en": {
		"title":          "📊 SKM digest — %s",
		"province":       "all units",
		"period":         "Period: %s",
		"empty":          "No respondents in this period.",
		"emptyYet":       "No respondents in this period yet.",
		"ikm":            "IKM %s · grade %s (%s)",
		"fewer":          "This IKM is computed from %d elements (without %s), not the nine of PermenPANRB 14/2017.",
		"fewerShort":     ", from %d elements",
		"up":             "▲ up %s points from the previous period (%s)",
		"down":           "▼ down %s points from the previous period (%s)",
		"same":           "unchanged from the previous period (%s)",
		"prevShort":      "%s; only %s, sample not met",
		"respondents":    "Respondents: %s",
		"sampleMet":      " — sample met",
		"sampleShort":    " — sample not met, %s respondents short",
		"sampleNone":     "No respondents in this period, so the sample is not met%s.",
		"sampleNoneYet":  "No respondents in this period yet, so the sample is not met%s.",
		"qrHint":         "Check that the survey QR code at the counter is up and easy to see.",
		"retired":        "This unit was retired on %s and takes no more surveys: digests without respondents will not be sent any more.",
		"sampleNoteYear": " (minimum %s a year)",
		"sampleNote":     " (minimum %s for %d days, prorated from %s a year)",
		"noPopulation":   " (the unit's population is not set: the sample cannot be judged)",
		"unitsMet":       "Enough respondents in %d of %d units with a known population",
		"elements":       "Elements, weakest first:",
		"elementsSame":   "All %d elements score %s (%s).",
		"ranking":        "Unit ranking (IKM):",
		"noResp":         "Units without respondents: %s",
		"leagueShort":    " · %s, sample short",
		"suggestions":    "Latest suggestions:",
		"dashboard":      "Dashboard (admin account needed): %s",
		"stopFooter":     "To unsubscribe: send /unsubscribe",
		"more":           "… and %d more units",
		"moreUnits":      "+%d more",
		"chartNRR":       "Score per element (NRR, scale 1–4)",
		"chartTrend":     "IKM trend",
		"at":             "at %02d:%02d",
		"daily":          "every day",
		"weekly":         "every %s",
		"monthly":        "on day %s of every month",
		"yearly":         "every year on %s %s",
		"quarterly":      "every quarter (%s %s)",
		"halfYearly":     "every half-year (%s %s)",
		"someMonths":     "on day %s of %s",
		"and":            "and",
		"scheduleRaw":    "on the schedule %q",
		"seeText":        "Details in the next message.",
		"alertTitle":     "⚠️ SKM alert — %s",
		"alertCount":     "%d responses need attention:",
		"alertCount1":    "%d response needs attention:",
		"low":            "Low scores: %s",
		"allLow":         "Every element scored 1",
		"perbaikan":      "To improve: “%s”",
		"saran":          "Suggestion: “%s”",
		"alertMore":      "… and %d more responses",
		"alertPartial":   "survey not finished",
		"alertAction":    "Follow up with the service units above; details on the dashboard: %s",
		"alertNoLink":    "Follow up with the service units above.",
	},
}

// elementNames are short element names that fit a phone line and a chart label.
var elementNames = map[lang][9]string{
	"id": {"Persyaratan", "Prosedur", "Waktu penyelesaian", "Biaya/tarif", "Produk layanan", "Kompetensi petugas", "Perilaku petugas", "Penanganan pengaduan", "Sarana prasarana"},
	"en": {"Requirements", "Procedure", "Time to complete", "Cost/fee", "Service product", "Staff competence", "Staff conduct", "Complaint handling", "Facilities"},
}

var kinerjaEN = map[string]string{"Sangat Baik": "very good", "Baik": "good", "Kurang Baik": "poor", "Tidak Baik": "very poor"}

func (l lang) kinerja(g scoring.Grade) string {
	if l == "en" {
		return kinerjaEN[g.Kinerja]
	}
	return g.Kinerja
}

// respondents is "7 responden", "7 respondents", "1 respondent".
func (l lang) respondents(n int64) string {
	switch {
	case l != "en":
		return l.count(n) + " responden"
	case n == 1:
		return "1 respondent"
	}
	return l.count(n) + " respondents"
}

// count formats a whole number with its thousands marked as the language marks them:
// "1.549" in Indonesian, "1,549" in English; a head reads 15490 at a glance as neither.
func (l lang) count(n int64) string {
	sep := "."
	if l == "en" {
		sep = ","
	}
	digits := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return sign + b.String()
}

// num formats a 2-decimal value: decimal comma in Indonesian, point in English.
func (l lang) num(h scoring.Hundredths) string {
	if l == "en" {
		return h.String()
	}
	return h.Comma()
}

var (
	weekdaysID = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}
	monthsID   = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
)

func (l lang) weekday(d time.Weekday) string {
	if l == "en" {
		return d.String()
	}
	return weekdaysID[d]
}

func (l lang) month(m time.Month, short bool) string {
	name := m.String()
	if l == "id" {
		name = monthsID[m-1]
	}
	if short && len(name) > 3 {
		name = name[:3]
	}
	return name
}

// date is "30 November 2026".
func (l lang) date(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), l.month(t.Month(), false), t.Year())
}

// dateTime is a moment as an alert gives it: "7 Des 15.19" ("7 Dec 15:19" in English).
func (l lang) dateTime(t time.Time) string {
	if l == "en" {
		return fmt.Sprintf("%d %s %02d:%02d", t.Day(), l.month(t.Month(), true), t.Hour(), t.Minute())
	}
	return fmt.Sprintf("%d %s %02d.%02d", t.Day(), l.month(t.Month(), true), t.Hour(), t.Minute())
}

// period is "16–22 Nov 2026", "1–30 November 2026" (a whole month: "November 2026"),
// "28 Des 2026 – 3 Jan 2027", or one day.
func (l lang) period(p Period) string {
	f, t := p.From, p.To
	switch {
	case p.FromDay() == p.ToDay():
		return l.date(f)
	case f.Day() == 1 && t.AddDate(0, 0, 1).Day() == 1 && f.Month() == t.Month() && f.Year() == t.Year():
		return fmt.Sprintf("%s %d", l.month(f.Month(), false), f.Year())
	case f.Month() == t.Month() && f.Year() == t.Year():
		return fmt.Sprintf("%d–%d %s %d", f.Day(), t.Day(), l.month(f.Month(), true), f.Year())
	case f.Year() == t.Year():
		return fmt.Sprintf("%d %s – %d %s %d", f.Day(), l.month(f.Month(), true), t.Day(), l.month(t.Month(), true), t.Year())
	}
	return fmt.Sprintf("%d %s %d – %d %s %d", f.Day(), l.month(f.Month(), true), f.Year(), t.Day(), l.month(t.Month(), true), t.Year())
}

// PeriodName is how a digest in language code names its period: "16–22 Nov 2026",
// "November 2026". The dashboard names a run of days the same, so that a head finds it.
func PeriodName(p Period, code string) string { return langOf(code).period(p) }
