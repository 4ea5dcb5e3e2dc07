package flows

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// syntaxCases are YAML syntax errors an admin can make, one for each kind of problem the
// YAML library reports, with where and how Parse reports them. FuzzParse starts from them.
var syntaxCases = []struct {
	name string
	src  string
	want string // "LINE:COL: message"
}{
	{
		name: "an unquoted text starting with * names the alias where it is",
		src:  "id: a\nversion: 1\n# *Terima kasih di komentar\nintro: Halo *Terima kasih* di tengah teks\nclosing: *Terima kasih* banyak\n",
		want: "5:10: sintaks YAML salah: teks yang diawali * atau & perlu tanda kutip: tanpa tanda kutip, *Terima dibaca sebagai alias YAML ke jangkar &Terima yang tidak ada",
	},
	{
		name: "a second unknown alias of the same name does not hide the first",
		src:  "id: a\ntitle: [x *B, *B]\nintro: *B\n",
		want: "2:15: sintaks YAML salah: teks yang diawali * atau & perlu tanda kutip: tanpa tanda kutip, *B dibaca sebagai alias YAML ke jangkar &B yang tidak ada",
	},
	{
		name: "an & with no name after it is explained",
		src:  "id: a\ntitle: & dan lainnya\n",
		want: "2:8: sintaks YAML salah: " + anchorHint.with().id,
	},
	{
		name: "text on the line of a block text's | is explained",
		src:  "id: a\ntitle: |x\n  y\n",
		want: "2:8: sintaks YAML salah: " + blockHeaderHint.with().id,
	},
	{
		name: "a text starting with > and a number is explained",
		src:  "id: a\nlabel: > 5 tahun\n",
		want: "2:8: sintaks YAML salah: " + blockHeaderHint.with().id,
	},
	{
		name: "a broken tag is explained",
		src:  "id: a\ntitle: !<%zz> x\n",
		want: "2:8: sintaks YAML salah: " + tagHint.with().id,
	},
	{
		name: "a tag with an unknown handle is explained",
		src:  "id: a\ntitle: !x!foo bar\n",
		want: "2:8: sintaks YAML salah: " + tagHint.with().id,
	},
	{
		name: "an unsupported YAML version is explained",
		src:  "%YAML 2.0\n---\nid: a\n",
		want: "1:1: sintaks YAML salah: versi YAML tidak didukung: hapus baris %YAML (alur tidak memerlukannya), atau tulis %YAML 1.1",
	},
	{
		name: "an unknown directive is explained",
		src:  "%FOO bar\n---\nid: a\n",
		want: "1:1: sintaks YAML salah: " + directiveHint.with().id,
	},
	{
		name: "a second %YAML line is reported where it is",
		src:  "%YAML 1.1\n%YAML 1.1\n---\nid: a\n",
		want: "2:1: sintaks YAML salah: direktif %YAML ditulis dua kali: hapus baris ini",
	},
	{
		name: "a directive without --- after it is explained",
		src:  "%YAML 1.1\n",
		want: "2:1: sintaks YAML salah: setelah direktif (baris yang diawali %) harus ada baris ---; alur tidak memerlukan direktif: hapus baris itu",
	},
	{
		name: "--- inside a quoted text is explained",
		src:  "id: a\ntitle: \"abc\n---\nx\"\n",
		want: "2:8: sintaks YAML salah: baris --- atau ... di dalam teks bertanda kutip mengakhiri dokumen: tutup tanda kutip sebelumnya, atau beri indentasi pada baris itu",
	},
	{
		name: "a double quote left open is reported at the quote, with the line of the next quote it ran on to",
		src:  "id: a\ntitle: \"Survei baru\nintro: Halo\nclosing: \"Terima kasih\"\n",
		want: "2:8: sintaks YAML salah: tanda kutip \" di sini belum ditutup: teksnya berlanjut sampai tanda kutip berikutnya, di baris 4; tambahkan \" di akhir teksnya",
	},
	{
		name: "a quote left open in a flow mapping is reported at the quote",
		src:  "id: a\ntitle: { id: \"Survei baru, en: New survey }\nclosing: { id: \"Terima kasih\" }\n",
		want: "2:14: sintaks YAML salah: tanda kutip \" di sini belum ditutup: teksnya berlanjut sampai tanda kutip berikutnya, di baris 3; tambahkan \" di akhir teksnya",
	},
	{
		name: "a single quote left open that runs on to an apostrophe is reported at the quote",
		src:  "id: a\ntitle: 'Survei baru\nintro: Halo\nclosing: Don't go\n",
		want: "2:8: sintaks YAML salah: tanda kutip ' di sini belum ditutup: teksnya berlanjut sampai tanda kutip berikutnya, di baris 4; tambahkan ' di akhir teksnya",
	},
	{
		name: "a quoted text meant to span lines is not blamed for a problem after it",
		src:  "id: a\ntitle: \"Survei\n  baru\"\nintro: Halo\n bad: x\n",
		want: "5:2: sintaks YAML salah: titik dua \": \" tidak boleh di sini: beri tanda kutip pada teks yang memuat \": \", atau periksa indentasi",
	},
	{
		name: "a quote inside a block text opens nothing",
		src:  "id: a\nintro: |\n  \"Halo\n  semua\ntitle: \"Survei baru\nclosing: \"Terima kasih\"\n",
		want: "5:8: sintaks YAML salah: tanda kutip \" di sini belum ditutup: teksnya berlanjut sampai tanda kutip berikutnya, di baris 6; tambahkan \" di akhir teksnya",
	},
	{
		name: "a line separator pasted into a text is named, at its line and column as editors count them",
		src:  "id: a\nquestions:\n  - id: s\n    prompt: Saran\u2028Anda?\n    kind: text\n",
		want: "5:1: sintaks YAML salah: tanda titik dua (:) setelah kunci tidak ditemukan; baris 4 kolom 18 (seperti dihitung editor) memuat karakter tak terlihat U+2028 (pemisah baris), yang dibaca YAML sebagai akhir baris: hapus karakter itu",
	},
	{
		name: "a paragraph separator in a file of CR LF lines is named too",
		src:  "id: a\r\nintro: Halo\r\nquestions:\r\n  - id: s\r\n    prompt: Saran\u2029Anda?\r\n    kind: text\r\n",
		want: "6:1: sintaks YAML salah: tanda titik dua (:) setelah kunci tidak ditemukan; baris 5 kolom 18 (seperti dihitung editor) memuat karakter tak terlihat U+2029 (pemisah paragraf), yang dibaca YAML sebagai akhir baris: hapus karakter itu",
	},
	{
		name: "a NEL is named too",
		src:  "id: a\ntitle: Survei\u0085baru\n",
		want: "3:1: sintaks YAML salah: tanda titik dua (:) setelah kunci tidak ditemukan; baris 2 kolom 14 (seperti dihitung editor) memuat karakter tak terlihat U+0085 (NEL, baris berikutnya), yang dibaca YAML sebagai akhir baris: hapus karakter itu",
	},
	{
		name: "an escape that is no Unicode character is explained",
		src:  "id: a\ntitle: \"\\uD800\"\n",
		want: "2:1: sintaks YAML salah: escape \\u atau \\U di dalam tanda kutip ganda bukan karakter Unicode yang sah",
	},
	{
		name: "a file cut in the middle of a character is reported at it",
		src:  "id: a\ntitle: \xc3",
		want: "2:8: sintaks YAML salah: " + utf8Hint.with().id,
	},
	{
		name: "a surrogate written in UTF-8 is reported at it",
		src:  "id: a\ntitle: ab\xed\xa0\x80\n",
		want: "2:10: sintaks YAML salah: " + utf8Hint.with().id,
	},
	{
		name: "a broken UTF-16 file is explained",
		src:  "\xff\xfei\x00d\x00:\x00 \x00\x00\xd8",
		want: "1:1: " + utf16Hint.with().id,
	},
	{
		name: "a UTF-16 file is refused: a flow is UTF-8 text",
		src:  "\xff\xfei\x00d\x00:\x00 \x00a\x00\n\x00",
		want: "1:1: " + utf16Hint.with().id,
	},
	{
		name: "a big-endian UTF-16 file too",
		src:  "\xfe\xff\x00i\x00d\x00:\x00 \x00a\x00\n",
		want: "1:1: " + utf16Hint.with().id,
	},
	{
		name: "nesting too deep is explained",
		src:  "id: " + strings.Repeat("[", 10001),
		want: "1:1: sintaks YAML salah: " + depthHint.with().id,
	},
}

// TestParseExplainsEverySyntaxErrorInIndonesian pins the message and position of each
// syntax error: never the library's English, never 1:1 when the library gives no line.
func TestParseExplainsEverySyntaxErrorInIndonesian(t *testing.T) {
	for _, tt := range syntaxCases {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("a.yaml", []byte(tt.src))
			var list ErrorList
			if !errors.As(err, &list) || len(list) != 1 {
				t.Fatalf("Parse error = %v, want one problem", err)
			}
			if got := fmt.Sprintf("%d:%d: %s", list[0].Line, list[0].Col, list[0].Msg); got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestParseFindsAnUnquotedStarInTheBuiltinFlow is the case an admin meets: markdown bold at
// the start of the closing text of a copy of the built-in flow.
func TestParseFindsAnUnquotedStarInTheBuiltinFlow(t *testing.T) {
	const was = "  id: Terima kasih banyak atas penilaian Anda!"
	src := BuiltinSource()
	if !bytes.Contains(src, []byte(was)) {
		t.Fatalf("the built-in flow no longer has %q", was)
	}
	src = bytes.Replace(src, []byte(was), []byte("  id: *Terima kasih* banyak atas penilaian Anda!"), 1)
	_, err := Parse("skm.yaml", src)
	want := "skm.yaml:29:7: sintaks YAML salah: teks yang diawali * atau & perlu tanda kutip: tanpa tanda kutip, *Terima dibaca sebagai alias YAML ke jangkar &Terima yang tidak ada"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error =\n%v\nwant\n%s", err, want)
	}
}

// TestParseFindsAnUnclosedQuoteInTheBuiltinFlow is the reviewer's case: a prompt of a copy of
// the built-in flow opened with a double quote and not closed, other quotes further down. The
// library reports the block the quote is in (97:7, "periksa indentasi"); a single quote there
// was already reported at the quote.
func TestParseFindsAnUnclosedQuoteInTheBuiltinFlow(t *testing.T) {
	const was = "      id: Seberapa mudah prosedur pelayanan di unit ini?"
	for _, q := range []string{`"`, "'"} {
		src := BuiltinSource()
		if !bytes.Contains(src, []byte(was)) {
			t.Fatalf("the built-in flow no longer has %q", was)
		}
		src = bytes.Replace(src, []byte(was), []byte("      id: "+q+"Seberapa mudah prosedur pelayanan di unit ini?"), 1)
		_, err := Parse("skm.yaml", src)
		var list ErrorList
		if !errors.As(err, &list) || len(list) != 1 || list[0].Line != 97 || list[0].Col != 11 || !strings.Contains(list[0].Msg, "belum ditutup") {
			t.Errorf("a quote %s left open: %v, want one problem at 97:11 saying it is not closed", q, err)
		}
	}
}

// TestParseNamesALineSeparatorInTheBuiltinFlow is the reviewer's case: a U+2028 pasted into a
// prompt of a copy of the built-in flow, which editors show on one line 97 and YAML breaks.
func TestParseNamesALineSeparatorInTheBuiltinFlow(t *testing.T) {
	const was = "      id: Seberapa mudah prosedur pelayanan di unit ini?"
	src := BuiltinSource()
	if !bytes.Contains(src, []byte(was)) {
		t.Fatalf("the built-in flow no longer has %q", was)
	}
	src = bytes.Replace(src, []byte(was), []byte("      id: Seberapa mudah prosedur\u2028pelayanan di unit ini?"), 1)
	_, err := Parse("skm.yaml", src)
	want := "skm.yaml:98:1: sintaks YAML salah: tanda titik dua (:) setelah kunci tidak ditemukan; baris 97 kolom 34 (seperti dihitung editor) memuat karakter tak terlihat U+2028 (pemisah baris), yang dibaca YAML sebagai akhir baris: hapus karakter itu"
	if err == nil || err.Error() != want {
		t.Errorf("Parse error =\n%v\nwant\n%s", err, want)
	}
	var list ErrorList
	if errors.As(err, &list) && !strings.Contains(list.In("en"), "line 97 column 34 (as editors count) holds the invisible character U+2028 (line separator)") {
		t.Errorf("in English: %s", list.In("en"))
	}
}

// The quote finder reads a file with a syntax error in time linear in its size: a line of
// half a million quotes, each looking back to the start of its line, took hours.
func TestALineOfManyQuotesIsReadInLinearTime(t *testing.T) {
	src := "id: a\ntitle: x" + strings.Repeat(`a"`, 500_000) + "\n bad: [\n"
	done := make(chan error, 1)
	go func() {
		_, err := Parse("a.yaml", []byte(src))
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Parse accepted a broken file")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Parse took more than 20s on a 1 MB line of quotes")
	}
}
