package flows

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestParseReportsEveryProblemAtItsPosition pins every error message with its exact
// line and column. The fixtures are in testdata/.
func TestParseReportsEveryProblemAtItsPosition(t *testing.T) {
	tests := []struct {
		name string
		file string
		want []string // "LINE:COL: message", in order
	}{
		{
			name: "a question id used twice is reported at the second id",
			file: "duplicate_ids.yaml",
			want: []string{
				`8:9: id pertanyaan "saran" sudah dipakai (pertama di baris 5)`,
			},
		},
		{
			name: "a key written twice in one mapping is reported at the second key",
			file: "duplicate_keys.yaml",
			want: []string{
				`4:1: kunci "version" ditulis dua kali di alur (pertama di baris 2)`,
				`9:5: kunci "prompt" ditulis dua kali di pertanyaan (pertama di baris 8)`,
			},
		},
		{
			name: "element codes used twice, outside U1..U9 or on a non-scale question are reported",
			file: "elements.yaml",
			want: []string{
				`12:14: unsur U1 sudah diukur oleh pertanyaan lain (baris 7): setiap unsur hanya sekali per alur`,
				`17:14: kode unsur "U10" tidak sah: gunakan U1 sampai U9`,
				`22:14: kode unsur "u4" tidak sah: gunakan U1 sampai U9`,
				`27:5: kunci "element" hanya untuk pertanyaan scale, bukan text`,
			},
		},
		{
			name: "control characters in quoted texts are reported; line breaks and tabs are fine",
			file: "control_chars.yaml",
			want: []string{
				`3:8: teks memuat karakter kendali (misalnya \0 atau \a di dalam tanda kutip): hapus karakter itu`,
				`8:13: teks memuat karakter kendali (misalnya \0 atau \a di dalam tanda kutip): hapus karakter itu`,
				`9:26: teks memuat karakter kendali (misalnya \0 atau \a di dalam tanda kutip): hapus karakter itu`,
			},
		},
		{
			name: "an empty file is reported at its start",
			file: "empty_file.yaml",
			want: []string{
				`1:1: berkas kosong: alur harus memuat id, title, dan questions`,
			},
		},
		{
			name: "an empty question list is reported at the list",
			file: "empty_questions.yaml",
			want: []string{
				`4:12: alur tidak memiliki pertanyaan: questions harus berupa daftar yang tidak kosong`,
			},
		},
		{
			name: "a reserved id of the respondent profile or the open answers with another kind is refused at its kind",
			file: "reserved.yaml",
			want: []string{
				`6:11: kind pertanyaan "usia" harus number, bukan choice: jawaban atas id "usia" dibaca sebagai usia responden dalam tahun di Profil Responden; untuk pertanyaan lain, pakai id lain`,
				`12:11: kind pertanyaan "pekerjaan" harus choice, bukan text: jawaban atas id "pekerjaan" dibaca sebagai pekerjaan responden di Profil Responden; untuk pertanyaan lain, pakai id lain`,
				`21:11: kind pertanyaan "saran" harus text, bukan scale: jawaban atas id "saran" dibaca sebagai saran warga (ringkasan harian, daftar saran, kolom saran); untuk pertanyaan lain, pakai id lain`,
			},
		},
		{
			name: "a bad id, version, languages list and expire_after are all reported",
			file: "header.yaml",
			want: []string{
				`1:5: id alur "Survei Baru" tidak sah: gunakan huruf kecil, angka, dan garis bawah, diawali huruf (contoh: kepuasan_umum)`,
				`2:10: version harus bilangan bulat 1 atau lebih, bukan 0`,
				`4:12: languages harus memuat id (Bahasa Indonesia)`,
				`4:17: kode bahasa "EN" tidak sah: gunakan kode ISO 639-1 huruf kecil, misalnya id atau en`,
				`4:21: bahasa "en" ditulis dua kali di languages`,
				`5:15: expire_after "2 jam" bukan durasi yang sah: tulis misalnya 30m, 2h, atau 24h`,
			},
		},
		{
			name: "a language missing from languages is reported once, at its first translation, with how many more there are",
			file: "languages_unlisted.yaml",
			want: []string{
				`3:21: bahasa "en" tidak ada di languages (id, eng): tambahkan ke languages, atau hapus terjemahan ini dan 2 terjemahan "en" lain di bawahnya (sampai baris 11)`,
				`5:30: bahasa "fr" tidak ada di languages (id, eng): tambahkan ke languages atau hapus terjemahan ini`,
			},
		},
		{
			name: "when languages is not valid, only it is reported, not every translation",
			file: "languages_invalid.yaml",
			want: []string{
				`4:12: languages harus berupa daftar kode bahasa, misalnya [id, en], bukan "id, en"`,
			},
		},
		{
			name: "kind-specific mistakes are reported at the offending value",
			file: "kinds.yaml",
			want: []string{
				`6:11: kind "rating" tidak dikenal: gunakan scale, choice, text, atau number`,
				`12:10: max (15) lebih kecil dari min (100)`,
				`13:5: kunci "max" wajib ada`,
				`16:10: min harus bilangan bulat, bukan "1.5"`,
				`20:17: max_length harus antara 1 dan 4000, bukan 0`,
				`21:15: optional harus true atau false, bukan "ya"`,
				`27:17: nilai opsi "L" sudah dipakai (pertama di baris 26)`,
				`28:17: nilai opsi "bukan kode" tidak sah: gunakan kode pendek dari huruf, angka, titik, garis bawah, atau tanda hubung (contoh: SMA, D1-D3)`,
				`32:14: options pertanyaan "f" harus berupa daftar paling sedikit 2 opsi {value: KODE, label: teks}`,
				`36:5: kunci "options" hanya untuk pertanyaan choice, bukan text`,
			},
		},
		{
			name: "a number or true/false written in quotes is refused with advice to drop them, and a number past int64 is too large",
			file: "quoted_values.yaml",
			want: []string{
				`2:10: version harus bilangan bulat, bukan "2": tulis 2 tanpa tanda kutip`,
				`8:15: optional harus true atau false, bukan "true": tulis true tanpa tanda kutip`,
				`9:17: max_length harus bilangan bulat, bukan "300": tulis 300 tanpa tanda kutip`,
				`13:15: optional harus true atau false, bukan "ya"`,
				`14:17: max_length 99999999999999999999999 terlalu besar`,
				`18:10: min -99999999999999999999999 terlalu kecil`,
				`19:10: max harus bilangan bulat, bukan "1.5"`,
			},
		},
		{
			name: "every problem in a file is reported, sorted by position",
			file: "many.yaml",
			want: []string{
				`3:8: teks Bahasa Indonesia (id) untuk title wajib ada`,
				`3:9: bahasa "en" tidak ada di languages (id): tambahkan ke languages atau hapus terjemahan ini`,
				`9:13: pertanyaan scale harus punya tepat 4 label (skor 1 sampai 4), bukan 2`,
				`10:9: id pertanyaan "u1" sudah dipakai (pertama di baris 5)`,
				`13:22: when menyebut pertanyaan "nanti" yang tidak ditanyakan sebelum pertanyaan ini (baris 14): when hanya boleh merujuk pertanyaan sebelumnya`,
				`19:5: kunci "warna" tidak dikenal di pertanyaan (yang boleh: id, kind, prompt, element, labels, options, optional, max_length, min, max, when)`,
			},
		},
		{
			name: "a flow without questions is reported at the top mapping",
			file: "no_questions.yaml",
			want: []string{
				`1:1: alur tidak memiliki pertanyaan: kunci "questions" wajib ada`,
			},
		},
		{
			name: "a scale question without exactly four labels is reported",
			file: "scale_labels.yaml",
			want: []string{
				`9:13: pertanyaan scale harus punya tepat 4 label (skor 1 sampai 4), bukan 3`,
				`15:7: pertanyaan scale harus punya tepat 4 label (skor 1 sampai 4), bukan 5`,
				`20:5: kunci "labels" wajib ada`,
			},
		},
		{
			name: "a YAML syntax error is reported at the line the parser names",
			file: "syntax_colon.yaml",
			want: []string{
				`3:1: sintaks YAML salah: titik dua ": " tidak boleh di sini: beri tanda kutip pada teks yang memuat ": ", atau periksa indentasi`,
			},
		},
		{
			name: "an unquoted question mark in a flow mapping is reported at its line",
			file: "syntax_flow.yaml",
			want: []string{
				`7:5: sintaks YAML salah: pemetaan {...} belum ditutup dengan } atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)`,
			},
		},
		{
			name: "a broken list is reported where the list starts",
			file: "syntax_indent.yaml",
			want: []string{
				`5:3: sintaks YAML salah: daftar yang dimulai di sini rusak: setiap butirnya harus diawali "- " dengan indentasi yang sama; periksa indentasi baris-baris di bawahnya`,
			},
		},
		{
			name: "lines end at CR, CR LF and LF alike, as in YAML",
			file: "syntax_cr.yaml",
			want: []string{
				`3:8: sintaks YAML salah: berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup`,
			},
		},
		{
			name: "an unclosed quote is reported where the quote opens",
			file: "syntax_quote.yaml",
			want: []string{
				`3:8: sintaks YAML salah: berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup`,
			},
		},
		{
			name: "a tab used for indentation is reported at the tab",
			file: "syntax_tab.yaml",
			want: []string{
				`6:1: sintaks YAML salah: tab dipakai untuk indentasi: gunakan spasi`,
			},
		},
		{
			name: "missing Indonesian texts and unlisted languages are reported",
			file: "texts.yaml",
			want: []string{
				`3:8: teks Bahasa Indonesia (id) untuk title wajib ada`,
				`5:8: teks Bahasa Indonesia untuk intro kosong`,
				`10:7: teks Bahasa Indonesia (id) untuk prompt pertanyaan "a" wajib ada`,
				`11:7: bahasa "fr" tidak ada di languages (id, en): tambahkan ke languages atau hapus terjemahan ini`,
				`17:27: teks Bahasa Indonesia (id) untuk label opsi wajib ada`,
				`20:12: teks Bahasa Indonesia untuk prompt pertanyaan "c" kosong: tulis teksnya, atau {id: ..., en: ...}`,
			},
		},
		{
			name: "an unknown escape in double quotes is explained in Indonesian",
			file: "syntax_escape.yaml",
			want: []string{
				`4:1: sintaks YAML salah: karakter escape (\...) tidak dikenal di dalam tanda kutip ganda: tulis \\ untuk garis miring terbalik, atau pakai tanda kutip tunggal`,
			},
		},
		{
			name: "a byte that is not UTF-8 (a file saved as Windows-1252) is reported where it is",
			file: "syntax_cp1252.yaml",
			want: []string{
				`8:20: sintaks YAML salah: berkas bukan teks UTF-8 yang sah`,
			},
		},
		{
			name: "a tab inside a block text is reported at the tab",
			file: "syntax_tab_block.yaml",
			want: []string{
				`9:1: sintaks YAML salah: tab dipakai untuk indentasi: gunakan spasi`,
			},
		},
		{
			name: "a second document after --- is refused where it starts",
			file: "two_documents.yaml",
			want: []string{
				`7:1: satu berkas memuat satu alur saja: hapus dokumen kedua (setelah ---) atau pindahkan ke berkas lain`,
			},
		},
		{
			name: "unknown keys are reported with a suggestion, and a key they are a likely typo of is not reported missing too",
			file: "unknown_keys.yaml",
			want: []string{
				`3:1: kunci "titel" tidak dikenal di alur (maksud Anda "title"?) (yang boleh: id, version, title, languages, expire_after, intro, closing, questions)`,
				`8:5: kunci "promt" tidak dikenal di pertanyaan (maksud Anda "prompt"?) (yang boleh: id, kind, prompt, element, labels, options, optional, max_length, min, max, when)`,
				`9:5: kunci "warna" tidak dikenal di pertanyaan (yang boleh: id, kind, prompt, element, labels, options, optional, max_length, min, max, when)`,
			},
		},
		{
			name: "a misspelt required key is reported once, as unknown with its suggestion, not as missing as well",
			file: "misspelt_keys.yaml",
			want: []string{
				`4:1: kunci "question" tidak dikenal di alur (maksud Anda "questions"?) (yang boleh: id, version, title, languages, expire_after, intro, closing, questions)`,
			},
		},
		{
			name: "a misspelt required key of a question, an option or a when is reported once",
			file: "misspelt_keys_questions.yaml",
			want: []string{
				`6:5: kunci "Kind" tidak dikenal di pertanyaan (maksud Anda "kind"?) (yang boleh: id, kind, prompt, element, labels, options, optional, max_length, min, max, when)`,
				`12:5: kunci "elemen" tidak dikenal di pertanyaan (maksud Anda "element"?) (yang boleh: id, kind, prompt, element, labels, options, optional, max_length, min, max, when)`,
				`19:10: kunci "vaule" tidak dikenal di opsi (maksud Anda "value"?) (yang boleh: value, label)`,
				`24:12: kunci "qestion" tidak dikenal di when (maksud Anda "question"?) (yang boleh: question, in, min, max, answered, any_element)`,
			},
		},
		{
			name: "a when naming a later question or itself is reported",
			file: "when_later.yaml",
			want: []string{
				`8:22: when menyebut pertanyaan "u3" yang tidak ditanyakan sebelum pertanyaan ini (baris 9): when hanya boleh merujuk pertanyaan sebelumnya`,
				`17:22: when menyebut pertanyaan "diri" yang tidak ditanyakan sebelum pertanyaan ini (baris 14): when hanya boleh merujuk pertanyaan sebelumnya`,
			},
		},
		{
			name: "a when of the wrong shape is reported",
			file: "when_shape.yaml",
			want: []string{
				`8:12: any_element: belum ada pertanyaan scale sebelum pertanyaan ini`,
				`17:11: when untuk question harus memuat tepat satu dari: in, min/max, answered`,
				`21:11: when untuk question harus memuat tepat satu dari: in, min/max, answered`,
				`25:11: when harus memuat question (dengan in, min/max, atau answered) atau any_element`,
				`29:30: kunci "question" tidak boleh digabung dengan any_element`,
			},
		},
		{
			name: "a condition of the wrong type for its question is reported",
			file: "when_types.yaml",
			want: []string{
				`22:29: kondisi min hanya untuk pertanyaan number atau scale, sedangkan "saran" adalah pertanyaan text`,
				`26:29: kondisi in tidak berlaku untuk pertanyaan text "saran": gunakan answered: true atau false`,
				`30:39: nilai "TNI" bukan opsi pertanyaan "kerja" (opsinya: PNS, SWASTA)`,
				`34:31: skor 0 tidak sah di in: skor pertanyaan scale 1 sampai 4`,
				`34:34: skor 5 tidak sah di in: skor pertanyaan scale 1 sampai 4`,
				`38:29: kondisi max hanya untuk pertanyaan number atau scale, sedangkan "kerja" adalah pertanyaan choice`,
			},
		},
		{
			name: "a min/max or in condition that no answer can meet is reported",
			file: "when_never.yaml",
			want: []string{
				`16:62: kondisi min 5 tidak pernah terpenuhi: jawaban pertanyaan "u3" paling besar 4`,
				`17:62: kondisi max 0 tidak pernah terpenuhi: jawaban pertanyaan "u3" paling kecil 1`,
				`18:73: when.max (20) lebih kecil dari when.min (60): kondisi ini tidak pernah terpenuhi`,
				`19:64: kondisi min 200 tidak pernah terpenuhi: jawaban pertanyaan "usia" paling besar 100`,
				`20:64: nilai 14 tidak pernah menjadi jawaban pertanyaan "usia": jawabannya 15 sampai 100`,
				`20:77: nilai 101 tidak pernah menjadi jawaban pertanyaan "usia": jawabannya 15 sampai 100`,
				`23:53: when menyebut pertanyaan "nanti" yang tidak ditanyakan sebelum pertanyaan ini (baris 24): when hanya boleh merujuk pertanyaan sebelumnya`,
				`23:73: when.max (1) lebih kecil dari when.min (9): kondisi ini tidak pernah terpenuhi`,
			},
		},
		{
			name: "a when naming an unknown question is reported",
			file: "when_unknown.yaml",
			want: []string{
				`13:22: when menyebut pertanyaan "u30" yang tidak ada di alur ini`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := filepath.Join("testdata", tt.file)
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(name, src)
			if f != nil {
				t.Errorf("Parse returned a flow for an invalid file")
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("Parse error = %v (%T), want an ErrorList", err, err)
			}
			var got []string
			for _, e := range list {
				if e.File != name {
					t.Errorf("error %q names file %q, want %q", e.Msg, e.File, name)
				}
				got = append(got, fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), err)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// A text left unquoted that starts with "!" is a YAML tag, which would drop its first word
// from the text without a word: it is refused where it stands.
func TestATextStartingWithABangIsRefused(t *testing.T) {
	src := "id: t\nversion: !!int 1\ntitle: !Penting Survei\nquestions:\n  - id: s\n    kind: text\n    prompt: Saran\n"
	_, err := Parse("t.yaml", []byte(src))
	const want = "t.yaml:3:8: teks yang diawali ! perlu tanda kutip: tanpa tanda kutip, !Penting dibaca sebagai tag YAML dan hilang dari teks"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Parse = %v, want %q", err, want)
	}
	f, err := Parse("t.yaml", []byte(strings.Replace(src, "!Penting Survei", `"!Penting Survei"`, 1)))
	if err != nil || f.Title.In("id") != "!Penting Survei" {
		t.Errorf("the text quoted, with a standard tag (!!int) on the version: %v", err)
	}
}

// A file over 1 MiB is refused, with one problem at 1:1, by Parse itself: `sukma flows
// validate`, the API (which reads no larger body) and the admin editor (whose form takes
// more) agree. A file of exactly 1 MiB is read.
func TestAFileOver1MiBIsRefused(t *testing.T) {
	src := BuiltinSource()
	pad := "#" + strings.Repeat("x", MaxSize-len(src)-2) + "\n"
	if _, err := Parse("besar.yaml", append(src, pad...)); err != nil {
		t.Fatalf("a flow of exactly 1 MiB: %v", err)
	}
	_, err := Parse("besar.yaml", append(src, "#"+pad...))
	var list ErrorList
	const want = "besar.yaml:1:1: berkas alur lebih besar dari 1 MiB (1048577 byte): perkecil berkasnya, misalnya dengan menghapus komentar panjang atau pertanyaan yang tidak dipakai"
	if !errors.As(err, &list) || len(list) != 1 || list.Error() != want {
		t.Errorf("a flow of 1 MiB and a byte: %v, want\n%s", err, want)
	}
}

// Past MaxProblems problems, one more line says how many are left out, at the first of them:
// 60,000 unknown keys gave an answer of 15 MB.
func TestProblemsAreCappedWithOneLineForTheRest(t *testing.T) {
	var src strings.Builder
	src.WriteString("id: banyak\nversion: 1\ntitle: Banyak\nquestions:\n  - id: a\n    kind: text\n    prompt: A\n")
	for i := range 60000 {
		fmt.Fprintf(&src, "    k%d: x\n", i)
	}
	_, err := Parse("banyak.yaml", []byte(src.String()))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != MaxProblems+1 {
		t.Fatalf("Parse gave %d problems, want %d and one line for the rest", len(list), MaxProblems+1)
	}
	if got, want := list[MaxProblems-1].Error(), `banyak.yaml:57:5: kunci "k49" tidak dikenal`; !strings.HasPrefix(got, want) {
		t.Errorf("the last problem listed is %s, want %s…", got, want)
	}
	if got, want := list[MaxProblems].Error(), "banyak.yaml:58:5: … dan 59950 masalah lain: perbaiki yang di atas, lalu periksa lagi"; got != want {
		t.Errorf("the last line is\n%s\nwant\n%s", got, want)
	}
	if got, want := list[MaxProblems].In("en"), "banyak.yaml:58:5: … and 59950 more problems: fix those above, then check again"; got != want {
		t.Errorf("in English:\n%s\nwant\n%s", got, want)
	}
	if len(list.Error()) > 20000 {
		t.Errorf("the answer is %d bytes", len(list.Error()))
	}
}

// A version published before a rule was added still runs: ParsePublished holds its stored text
// to the rules of its time, Parse every new text to all of them.
func TestParsePublishedKeepsOlderVersionsRunning(t *testing.T) {
	read := func(name string) []byte {
		t.Helper()
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	big := append(slices.Clone(BuiltinSource()), "# "+strings.Repeat("x", MaxSize)+"\n"...)
	for name, src := range map[string][]byte{"reserved.yaml": read("reserved.yaml"), "big.yaml": big} {
		if _, err := Parse(name, src); err == nil {
			t.Errorf("Parse(%s) took it", name)
		}
		if f, err := ParsePublished(name, src); err != nil || len(f.Questions) == 0 {
			t.Errorf("ParsePublished(%s): %v", name, err)
		}
	}
	// The rules of before still hold: a when naming a later question.
	_, err := ParsePublished("when_never.yaml", read("when_never.yaml"))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || !strings.Contains(list[0].Msg, `"nanti" yang tidak ditanyakan sebelum`) {
		t.Errorf("ParsePublished(when_never.yaml) = %v", err)
	}
}
