package flows

// syntaxHints turns every problem the YAML library (go.yaml.in/yaml/v3) can report on a flow
// file into advice an admin can act on, in Indonesian. A problem missing here still reaches
// the admin in Indonesian (see untranslatedSyntax), but without advice; FuzzParse fails on
// one, so that it gets its own line here.
var syntaxHints = map[string]string{
	// Structure and indentation.
	"mapping values are not allowed in this context":         "titik dua \": \" tidak boleh di sini: beri tanda kutip pada teks yang memuat \": \", atau periksa indentasi",
	"mapping keys are not allowed in this context":           "kunci \"? \" tidak boleh di sini: teks yang diawali ? perlu tanda kutip, atau periksa indentasi",
	"block sequence entries are not allowed in this context": "butir daftar \"- \" tidak boleh di sini: periksa indentasi",
	"did not find expected key":                              "struktur tidak sesuai: periksa indentasi baris ini dan baris sebelumnya",
	"did not find expected node content":                     "nilai yang diharapkan tidak ditemukan",
	"could not find expected ':'":                            "tanda titik dua (:) setelah kunci tidak ditemukan",
	"did not find expected '-' indicator":                    "daftar yang dimulai di sini rusak: setiap butirnya harus diawali \"- \" dengan indentasi yang sama; periksa indentasi baris-baris di bawahnya",
	"did not find expected ',' or ']'":                       "daftar [...] belum ditutup dengan ] atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
	"did not find expected ',' or '}'":                       "pemetaan {...} belum ditutup dengan } atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
	"found character that cannot start any token":            "ada karakter yang tidak boleh mengawali nilai (tab? gunakan spasi untuk indentasi; teks yang diawali @ atau ` perlu tanda kutip)",
	"found a tab character that violates indentation":        tabHint,
	"found unexpected end of stream":                         endOfStreamHint,
	"found unexpected document indicator":                    docInQuoteHint,

	// Anchors (&nama) and aliases (*nama): unquoted, a text such as "*Penting*" is one.
	"did not find expected alphabetic or numeric character": anchorHint,

	// Block texts (| and >): the header line holds nothing but the indicator.
	"did not find expected comment or line break":                  blockHeaderHint,
	"found an indentation indicator equal to 0":                    "indikator indentasi teks blok (|0 atau >0) tidak boleh 0",
	"found a tab character where an indentation space is expected": tabHint,

	// Quoted texts.
	"found unknown escape character":              "karakter escape (\\...) tidak dikenal di dalam tanda kutip ganda: tulis \\\\ untuk garis miring terbalik, atau pakai tanda kutip tunggal",
	"did not find expected hexdecimal number":     "escape \\x, \\u atau \\U di dalam tanda kutip ganda tidak lengkap",
	"found invalid Unicode character escape code": "escape \\u atau \\U di dalam tanda kutip ganda bukan karakter Unicode yang sah",

	// Tags (!nama): unquoted, a text such as "!Penting" starts with one.
	"found undefined tag handle":                     tagHint,
	"did not find expected tag URI":                  tagHint,
	"did not find the expected '>'":                  tagHint,
	"did not find URI escaped octet":                 tagHint,
	"found an incorrect leading UTF-8 octet":         tagHint,
	"found an incorrect trailing UTF-8 octet":        tagHint,
	"did not find expected whitespace or line break": tagHint,

	// Directives (%YAML, %TAG): a flow needs none.
	"found incompatible YAML document":             "versi YAML tidak didukung: hapus baris %YAML (alur tidak memerlukannya), atau tulis %YAML 1.1",
	"found duplicate %YAML directive":              "direktif %YAML ditulis dua kali: hapus baris ini",
	"found duplicate %TAG directive":               "direktif %TAG untuk tanda yang sama ditulis dua kali: hapus baris ini",
	"found unknown directive name":                 directiveHint,
	"could not find expected directive name":       directiveHint,
	"found unexpected non-alphabetical character":  directiveHint,
	"did not find expected digit or '.' character": directiveHint,
	"found extremely long version number":          directiveHint,
	"did not find expected version number":         directiveHint,
	"did not find expected whitespace":             directiveHint,
	"did not find expected '!'":                    directiveHint,
	"did not find expected <document start>":       "setelah direktif (baris yang diawali %) harus ada baris ---; alur tidak memerlukan direktif: hapus baris itu",

	// The bytes of the file.
	"control characters are not allowed": controlHint,
	"invalid leading UTF-8 octet":        utf8Hint,
	"invalid trailing UTF-8 octet":       utf8Hint,
	"incomplete UTF-8 octet sequence":    utf8Hint,
	"invalid length of a UTF-8 sequence": utf8Hint,
	"invalid Unicode character":          utf8Hint,
	"incomplete UTF-16 character":        utf16Hint,
	"incomplete UTF-16 surrogate pair":   utf16Hint,
	"unexpected low surrogate area":      utf16Hint,
	"expected low surrogate area":        utf16Hint,
}

const (
	tabHint         = "tab dipakai untuk indentasi: gunakan spasi"
	endOfStreamHint = "berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup"
	blockHeaderHint = "teks tidak boleh ditulis di baris yang sama setelah | atau > (awal teks blok) atau setelah direktif %: pindahkan teksnya ke baris berikutnya, atau beri tanda kutip pada teks yang diawali | atau >"
	docInQuoteHint  = "baris --- atau ... di dalam teks bertanda kutip mengakhiri dokumen: tutup tanda kutip sebelumnya, atau beri indentasi pada baris itu"
	controlHint     = "berkas memuat karakter kendali yang tidak boleh ada"
	anchorHint      = "teks yang diawali & atau * perlu tanda kutip: tanpa tanda kutip, & dan * di awal nilai menandai jangkar dan alias YAML"
	tagHint         = "tag YAML (!...) tidak sah: teks yang diawali ! perlu tanda kutip"
	directiveHint   = "direktif (baris yang diawali %) tidak sah: alur tidak memerlukan direktif, hapus baris itu; teks yang diawali % perlu tanda kutip"
	utf8Hint        = "berkas bukan teks UTF-8 yang sah"
	utf16Hint       = "berkas tersimpan sebagai UTF-16: simpan ulang sebagai UTF-8 (misalnya di Notepad: Simpan Sebagai, Pengodean UTF-8)"
	depthHint       = "struktur bersarang terlalu dalam"
)

// unknownAnchorHint explains an alias *name with no anchor &name: almost always a text that
// starts with *, such as markdown bold, written without quotes.
func unknownAnchorHint(name string) string {
	return "teks yang diawali * atau & perlu tanda kutip: tanpa tanda kutip, *" + name + " dibaca sebagai alias YAML ke jangkar &" + name + " yang tidak ada"
}

// untranslatedSyntax is the message of a problem syntaxHints does not know: Indonesian all
// the same, with the library's words in brackets for whoever must look further.
func untranslatedSyntax(problem string) string {
	return "periksa baris ini dan baris sebelumnya [pustaka YAML: " + problem + "]"
}
