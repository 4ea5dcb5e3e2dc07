package digest

import (
	"strings"
	"testing"
	"time"

	"sukma/storage"
)

func TestMisconductIsNamedOnWholeWords(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Petugas minta uang rokok", true},
		{"PUNGLI!!", true},
		{"ada pungutan-liar di loket", true},
		{"Saya di-bentak petugas", true},
		{"petugasnya kasar sekali", true},
		{"lewat calo lebih cepat", true},
		{"Dimintai uang 50 ribu", true},
		{"Tambah kursi", false},
		{"Saya calon pegawai, pelayanan cepat", false}, // "calo" is a word, not a prefix
		{"uangnya pas, tidak perlu kembalian", false},
		{"", false},
	} {
		if got := Misconduct(tt.text); got != tt.want {
			t.Errorf("Misconduct(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestMisconductIsNamedInEnglishAndEverydayWords(t *testing.T) {
	for _, text := range []string{
		"The officer asked me for a bribe",
		"They extorted extra money from me",
		"I had to pay extra, under the table",
		"The staff were rude and shouted at me",
		"minta duit tambahan 50 ribu biar cepat",
		"harus kasih pelicin dulu",
		"dimintai duit rokok",
	} {
		if !Misconduct(text) {
			t.Errorf("Misconduct(%q) = false, want true", text)
		}
	}
}

// A clear denial right before a term is no report; anything that may be one still alerts.
func TestADenialOfMisconductDoesNotAlert(t *testing.T) {
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"Alhamdulillah tidak ada pungutan apapun, gratis", false},
		{"Pelayanan cepat tanpa pungutan", false},
		{"Semoga tetap bebas pungli dan calo", false},
		{"tdk ada pungli, tdk ada calo", false},
		{"Fast service, no bribe", false},
		{"No bribes or extortion, thank you", false},
		{"tidak ada pungutan liar maupun uang rokok", false},
		{"tanpa minta uang tambahan", false},
		{"Tidak ada pungli. Tidak ada antrean panjang.", false},
		// reports that a word list might take for denials
		{"tidak ada pungli, tapi saya dimintai uang rokok", true},
		{"Katanya bebas pungli, tapi tetap diminta uang", true},
		{"Masih belum bebas pungli", true},
		{"Kalau tidak ada uang rokok, berkas tidak diproses", true},
		{"tidak ada uang pelicin, tidak diproses", true},
		{"No bribe, no service", true},
		{"Nothing moves if there is no bribe", true},
		{"Saya dimintai uang. Tidak ada kwitansi, tanpa pungutan resmi", true},
		{"petugas tidak kasar", true}, // "tidak" alone denies nothing: see negations
		{"dan calo di depan loket", true},
	} {
		if got := Misconduct(tt.text); got != tt.want {
			t.Errorf("Misconduct(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestAlarming(t *testing.T) {
	three := [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}
	with := func(i, s int) [9]int { x := three; x[i] = s; return x }
	for _, tt := range []struct {
		name string
		r    storage.ResponseScores
		want bool
	}{
		{"a 2 with a suggestion to improve waits for the digest", storage.ResponseScores{Complete: true, Scores: with(2, 2), Perbaikan: "Tambah kursi"}, false},
		{"an element scored 1 alerts", storage.ResponseScores{Complete: true, Scores: with(0, 1)}, true},
		{"a bribe named in the saran alerts whatever the scores", storage.ResponseScores{Complete: true, Scores: three, Saran: "Petugas minta uang pelicin"}, true},
		{"rough treatment named in the perbaikan alerts", storage.ResponseScores{Complete: true, Scores: with(6, 2), Perbaikan: "Saya dibentak"}, true},
		{"a partial response's low score does not alert: it counts nowhere", storage.ResponseScores{Scores: with(0, 1), Perbaikan: "Antrean lama"}, false},
		{"a bribe reported in a partial response alerts", storage.ResponseScores{Scores: with(0, 1), Perbaikan: "pungli"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Alarming(tt.r, AlertThreshold); got != tt.want {
				t.Errorf("Alarming = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAlertText(t *testing.T) {
	at := func(d, h, m int) int64 { return time.Date(2026, 12, d, h, m, 0, 0, jakarta).UnixMilli() }
	one := [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1}
	rs := []storage.ResponseScores{ // in id order, as queued
		{Complete: true, ID: 1, UnitName: "Dinas Uji Coba", Service: "Pembuatan KTP", FinishedAt: at(6, 9, 5),
			Scores: [9]int{3, 3, 1, 3, 3, 3, 1, 3, 3}, Perbaikan: "Antrean lama"},
		{Complete: true, ID: 2, UnitName: "Dinas Uji Coba", FinishedAt: at(6, 9, 30), Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3},
			Saran: "Petugas minta uang rokok", Perbaikan: "Lebih cepat"},
		{Complete: true, ID: 3, UnitName: "Dinas Uji Coba", Service: "Pembuatan KTP", FinishedAt: at(7, 15, 19),
			Scores: [9]int{3, 3, 2, 3, 3, 3, 3, 3, 3}, Perbaikan: "Tambah kursi"}, // queued under the old rule
		{Complete: true, ID: 4, UnitName: "Dinas Uji Coba", FinishedAt: at(7, 16, 0), Scores: one},
		{Complete: true, ID: 5, UnitName: "Dinas Uji Coba", FinishedAt: at(7, 8, 0), Scores: [9]int{3, 3, 3, 3, 3, 3, 1, 3, 3}},
	}
	want := `⚠️ Peringatan SKM — Dinas Uji Coba
5 respons perlu perhatian:

• 6 Des 09.30 · Dinas Uji Coba
  Saran: “Petugas minta uang rokok”
  Perbaikan: “Lebih cepat”

• 7 Des 16.00 · Dinas Uji Coba
  Semua unsur bernilai 1

• 6 Des 09.05 · Dinas Uji Coba · Pembuatan KTP
  Nilai rendah: U3 Waktu penyelesaian 1, U7 Perilaku petugas 1
  Perbaikan: “Antrean lama”

• 7 Des 08.00 · Dinas Uji Coba
  Nilai rendah: U7 Perilaku petugas 1

• 7 Des 15.19 · Dinas Uji Coba · Pembuatan KTP
  Perbaikan: “Tambah kursi”

Tindak lanjuti bersama unit layanan di atas; rincian di dasbor: https://x/admin
Berhenti berlangganan: kirim /berhenti`
	if got := AlertText("Dinas Uji Coba", rs, AlertThreshold, jakarta, "id", "https://x/admin"); got != want {
		t.Errorf("got:\n%s\n\nwant:\n%s", got, want)
	}
	t.Run("in English, in the subscriber's zone, and without a dashboard", func(t *testing.T) {
		got := AlertText("", rs[1:2], AlertThreshold, time.UTC, "en", "")
		for _, w := range []string{"SKM alert — all units\n1 response needs attention:", "• 6 Dec 02:30 · Dinas Uji Coba\n  Suggestion: “Petugas minta uang rokok”\n  To improve: “Lebih cepat”",
			"\n\nFollow up with the service units above.\nTo unsubscribe: send /unsubscribe"} {
			if !strings.Contains(got, w) {
				t.Errorf("lacks %q:\n%s", w, got)
			}
		}
	})
	t.Run("a text naming misconduct keeps its question's name, never Keluhan", func(t *testing.T) {
		got := AlertText("X", []storage.ResponseScores{{Complete: true, Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, Perbaikan: "Petugas kasar, tidak ada pungutan"}}, AlertThreshold, jakarta, "id", "")
		if strings.Contains(got, "Keluhan") || !strings.Contains(got, "  Perbaikan: “Petugas kasar, tidak ada pungutan”") {
			t.Errorf("got:\n%s", got)
		}
	})
	t.Run("a survey left unfinished says so", func(t *testing.T) {
		r := rs[1]
		r.Complete = false
		if got := AlertText("X", []storage.ResponseScores{r}, AlertThreshold, jakarta, "id", ""); !strings.Contains(got, "• 6 Des 09.30 · Dinas Uji Coba · survei tidak diselesaikan\n") {
			t.Errorf("got:\n%s", got)
		}
		if got := AlertText("X", []storage.ResponseScores{r}, AlertThreshold, jakarta, "en", ""); !strings.Contains(got, " · survey not finished\n") {
			t.Errorf("got:\n%s", got)
		}
	})
	t.Run("a suggestion is never called a complaint", func(t *testing.T) {
		got := AlertText("X", []storage.ResponseScores{{Complete: true, Scores: one, Saran: "Tambah loket"}}, AlertThreshold, jakarta, "id", "")
		if strings.Contains(got, "Keluhan") || !strings.Contains(got, "Saran: “Tambah loket”") {
			t.Errorf("got:\n%s", got)
		}
	})
}
