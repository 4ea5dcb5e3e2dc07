package flows

// syntaxHints turns every problem the YAML library (go.yaml.in/yaml/v3) can report on a flow
// file into advice an admin can act on, in Indonesian and English. A problem missing here
// still reaches the admin in their language (see untranslatedSyntax), but without advice;
// FuzzParse fails on one, so that it gets its own line here. The hints are formats, as every
// msg is, with no argument: "%%" writes "%".
var syntaxHints = map[string]msg{
	// Structure and indentation.
	"mapping values are not allowed in this context": {"titik dua \": \" tidak boleh di sini: beri tanda kutip pada teks yang memuat \": \", atau periksa indentasi",
		"a colon \": \" is not allowed here: put quotes around a text that holds \": \", or check the indentation"},
	"mapping keys are not allowed in this context": {"kunci \"? \" tidak boleh di sini: teks yang diawali ? perlu tanda kutip, atau periksa indentasi",
		"a key \"? \" is not allowed here: a text that starts with ? needs quotes, or check the indentation"},
	"block sequence entries are not allowed in this context": {"butir daftar \"- \" tidak boleh di sini: periksa indentasi",
		"a list item \"- \" is not allowed here: check the indentation"},
	"did not find expected key": {"struktur tidak sesuai: periksa indentasi baris ini dan baris sebelumnya",
		"the structure is broken: check the indentation of this line and the line before"},
	"did not find expected node content": {"nilai yang diharapkan tidak ditemukan", "a value was expected and not found"},
	"could not find expected ':'":        {"tanda titik dua (:) setelah kunci tidak ditemukan", "the colon (:) after a key is missing"},
	"did not find expected '-' indicator": {"daftar yang dimulai di sini rusak: setiap butirnya harus diawali \"- \" dengan indentasi yang sama; periksa indentasi baris-baris di bawahnya",
		"the list that starts here is broken: each of its items must start with \"- \" at the same indentation; check the indentation of the lines below"},
	"did not find expected ',' or ']'": {"daftar [...] belum ditutup dengan ] atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
		"a list [...] is not closed with ] or lacks a comma (a text that holds a comma, a colon or a question mark needs quotes)"},
	"did not find expected ',' or '}'": {"pemetaan {...} belum ditutup dengan } atau kurang koma (teks yang memuat koma, titik dua, atau tanda tanya perlu tanda kutip)",
		"a mapping {...} is not closed with } or lacks a comma (a text that holds a comma, a colon or a question mark needs quotes)"},
	"found character that cannot start any token": {"ada karakter yang tidak boleh mengawali nilai (tab? gunakan spasi untuk indentasi; teks yang diawali @ atau ` perlu tanda kutip)",
		"a character here cannot start a value (a tab? indent with spaces; a text that starts with @ or ` needs quotes)"},
	"found a tab character that violates indentation": tabHint,
	"found unexpected end of stream":                  endOfStreamHint,
	"found unexpected document indicator":             docInQuoteHint,

	// Anchors (&nama) and aliases (*nama): unquoted, a text such as "*Penting*" is one.
	"did not find expected alphabetic or numeric character": anchorHint,

	// Block texts (| and >): the header line holds nothing but the indicator.
	"did not find expected comment or line break": blockHeaderHint,
	"found an indentation indicator equal to 0": {"indikator indentasi teks blok (|0 atau >0) tidak boleh 0",
		"the indentation indicator of a block text (|0 or >0) cannot be 0"},
	"found a tab character where an indentation space is expected": tabHint,

	// Quoted texts.
	"found unknown escape character": {"karakter escape (\\...) tidak dikenal di dalam tanda kutip ganda: tulis \\\\ untuk garis miring terbalik, atau pakai tanda kutip tunggal",
		"unknown escape character (\\...) inside double quotes: write \\\\ for a backslash, or use single quotes"},
	"did not find expected hexdecimal number": {"escape \\x, \\u atau \\U di dalam tanda kutip ganda tidak lengkap",
		"an escape \\x, \\u or \\U inside double quotes is incomplete"},
	"found invalid Unicode character escape code": {"escape \\u atau \\U di dalam tanda kutip ganda bukan karakter Unicode yang sah",
		"an escape \\u or \\U inside double quotes is not a valid Unicode character"},

	// Tags (!nama): unquoted, a text such as "!Penting" starts with one.
	"found undefined tag handle":                     tagHint,
	"did not find expected tag URI":                  tagHint,
	"did not find the expected '>'":                  tagHint,
	"did not find URI escaped octet":                 tagHint,
	"found an incorrect leading UTF-8 octet":         tagHint,
	"found an incorrect trailing UTF-8 octet":        tagHint,
	"did not find expected whitespace or line break": tagHint,

	// Directives (%YAML, %TAG): a flow needs none.
	"found incompatible YAML document": {"versi YAML tidak didukung: hapus baris %%YAML (alur tidak memerlukannya), atau tulis %%YAML 1.1",
		"this YAML version is not supported: delete the %%YAML line (a flow does not need it), or write %%YAML 1.1"},
	"found duplicate %YAML directive": {"direktif %%YAML ditulis dua kali: hapus baris ini", "the %%YAML directive is written twice: delete this line"},
	"found duplicate %TAG directive": {"direktif %%TAG untuk tanda yang sama ditulis dua kali: hapus baris ini",
		"a %%TAG directive for the same handle is written twice: delete this line"},
	"found unknown directive name":                 directiveHint,
	"could not find expected directive name":       directiveHint,
	"found unexpected non-alphabetical character":  directiveHint,
	"did not find expected digit or '.' character": directiveHint,
	"found extremely long version number":          directiveHint,
	"did not find expected version number":         directiveHint,
	"did not find expected whitespace":             directiveHint,
	"did not find expected '!'":                    directiveHint,
	"did not find expected <document start>": {"setelah direktif (baris yang diawali %%) harus ada baris ---; alur tidak memerlukan direktif: hapus baris itu",
		"a directive (a line that starts with %%) must be followed by a line ---; a flow needs no directive: delete that line"},

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

// The hints that several problems share, or that syntaxError places by (see its switch).
var (
	tabHint         = msg{"tab dipakai untuk indentasi: gunakan spasi", "a tab is used for indentation: use spaces"}
	endOfStreamHint = msg{"berkas berakhir sebelum waktunya: ada tanda kutip atau kurung yang belum ditutup",
		"the file ends too early: a quote or a bracket is not closed"}
	blockHeaderHint = msg{"teks tidak boleh ditulis di baris yang sama setelah | atau > (awal teks blok) atau setelah direktif %%: pindahkan teksnya ke baris berikutnya, atau beri tanda kutip pada teks yang diawali | atau >",
		"no text may follow | or > (the start of a block text) or a directive %% on the same line: move the text to the next line, or put quotes around a text that starts with | or >"}
	docInQuoteHint = msg{"baris --- atau ... di dalam teks bertanda kutip mengakhiri dokumen: tutup tanda kutip sebelumnya, atau beri indentasi pada baris itu",
		"a line --- or ... inside a quoted text ends the document: close the quote before it, or indent that line"}
	controlHint = msg{"berkas memuat karakter kendali yang tidak boleh ada", "the file holds a control character that is not allowed"}
	anchorHint  = msg{"teks yang diawali & atau * perlu tanda kutip: tanpa tanda kutip, & dan * di awal nilai menandai jangkar dan alias YAML",
		"a text that starts with & or * needs quotes: without them, & and * at the start of a value mark a YAML anchor or alias"}
	tagHint       = msg{"tag YAML (!...) tidak sah: teks yang diawali ! perlu tanda kutip", "invalid YAML tag (!...): a text that starts with ! needs quotes"}
	directiveHint = msg{"direktif (baris yang diawali %%) tidak sah: alur tidak memerlukan direktif, hapus baris itu; teks yang diawali %% perlu tanda kutip",
		"invalid directive (a line that starts with %%): a flow needs no directive, delete that line; a text that starts with %% needs quotes"}
	utf8Hint  = msg{"berkas bukan teks UTF-8 yang sah", "the file is not valid UTF-8 text"}
	utf16Hint = msg{"berkas tersimpan sebagai UTF-16: simpan ulang sebagai UTF-8 (misalnya di Notepad: Simpan Sebagai, Pengodean UTF-8)",
		"the file is saved as UTF-16: save it again as UTF-8 (in Notepad, for example: Save As, Encoding UTF-8)"}
	depthHint = msg{"struktur bersarang terlalu dalam", "the structure is nested too deep"}
)

// unknownAnchorHint explains an alias *name with no anchor &name, its argument: almost always
// a text that starts with *, such as markdown bold, written without quotes.
var unknownAnchorHint = msg{"teks yang diawali * atau & perlu tanda kutip: tanpa tanda kutip, *%[1]s dibaca sebagai alias YAML ke jangkar &%[1]s yang tidak ada",
	"a text that starts with * or & needs quotes: without them, *%[1]s is read as a YAML alias of an anchor &%[1]s that does not exist"}

// untranslatedSyntax is the message of a problem syntaxHints does not know, its argument: in
// the admin's language all the same, with the library's words in brackets for whoever must
// look further.
var untranslatedSyntax = msg{"periksa baris ini dan baris sebelumnya [pustaka YAML: %s]", "check this line and the line before [YAML library: %s]"}
