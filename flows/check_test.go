package flows

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheck(t *testing.T) {
	f := Builtin()
	type want struct {
		value   string
		skipped bool
		hint    string
		ok      bool
	}
	tests := []struct {
		name     string
		question string
		input    string
		lang     string
		want     want
	}{
		{"a scale score is the option number", "u3", "2", "id", want{value: "2", ok: true}},
		{"a score may be written with a dot and spaces", "u3", "  4. ", "id", want{value: "4", ok: true}},
		{"a scale label is accepted case-insensitively", "u3", "sangat CEPAT", "id", want{value: "4", ok: true}},
		{"an English label is accepted too", "u3", "quick", "id", want{value: "3", ok: true}},
		{"a label may end in a full stop, as a score may", "u2", "Sangat mudah.", "id", want{value: "4", ok: true}},
		{"a label may end in other punctuation and spaces", "u2", " sangat MUDAH! ", "id", want{value: "4", ok: true}},
		{"an English label with a full stop", "u2", "Very easy.", "en", want{value: "4", ok: true}},
		{"a choice label with a comma after it", "pekerjaan", "Wirausaha,", "id", want{value: "WIRAUSAHA", ok: true}},
		{"a choice code with a full stop", "jenis_kelamin", "P.", "id", want{value: "P", ok: true}},
		{"punctuation alone is no option", "u2", "...", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"a score out of range gets a re-prompt", "u3", "5", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"a re-prompt is in the citizen's language", "u3", "great", "en", want{hint: "Choose one of the answers below, or reply with its number (1–4)."}},
		{"a language without messages gets Indonesian", "u3", "apik", "jv", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"a required question cannot be skipped", "u3", "lewati", "id", want{hint: "Pertanyaan ini wajib dijawab. Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"a choice is stored as its code", "pendidikan", "4", "id", want{value: "D1-D3", ok: true}},
		{"a choice code is accepted", "jenis_kelamin", "p", "id", want{value: "P", ok: true}},
		{"a choice label is accepted", "pekerjaan", "wirausaha", "id", want{value: "WIRAUSAHA", ok: true}},
		{"a choice out of range names its option count", "pekerjaan", "7", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–6)."}},
		{"a number is stored in canonical form", "usia", "+035", "id", want{value: "35", ok: true}},
		{"a number below the minimum is refused", "usia", "14", "id", want{hint: "Mohon tulis angka antara 15 dan 100."}},
		{"a number above the maximum is refused in English", "usia", "101", "en", want{hint: "Please write a number between 15 and 100."}},
		{"a fraction is not a whole number", "usia", "35.5", "id", want{hint: "Mohon tulis angka antara 15 dan 100."}},
		{"an age with its unit is the number", "usia", "35 tahun", "id", want{value: "35", ok: true}},
		{"an age with its short unit is the number", "usia", "35thn.", "id", want{value: "35", ok: true}},
		{"an age in English with its unit", "usia", "35 years", "en", want{value: "35", ok: true}},
		{"a number with another word is no number", "usia", "35 kali", "id", want{hint: "Mohon tulis angka antara 15 dan 100."}},
		{"full-width digits are digits", "usia", "３５", "id", want{value: "35", ok: true}},
		{"a keycap emoji is its digit", "u1", "4️⃣", "id", want{value: "4", ok: true}},
		{"a score written as a word is the score", "u1", "empat", "id", want{value: "4", ok: true}},
		{"a number word in any case, with space and punctuation", "u1", "  SaTu! ", "id", want{value: "1", ok: true}},
		{"a number word with a dot, as a digit may have", "u3", "tiga.", "id", want{value: "3", ok: true}},
		{"an English number word", "u2", "Two", "en", want{value: "2", ok: true}},
		{"a number word picks a choice by its number", "pekerjaan", "enam", "id", want{value: "LAINNYA", ok: true}},
		{"a number word past the options is refused", "u1", "lima", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"two number words are no option", "u1", "dua puluh", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"an age is not written in words", "usia", "tiga", "id", want{hint: "Mohon tulis angka antara 15 dan 100."}},
		{"a huge number is refused", "usia", strings.Repeat("9", 40), "id", want{hint: "Mohon tulis angka antara 15 dan 100."}},
		{"free text is trimmed", "perbaikan", "  antrean terlalu lama \n", "id", want{value: "antrean terlalu lama", ok: true}},
		{"free text keeps line breaks", "perbaikan", "satu\ndua", "id", want{value: "satu\ndua", ok: true}},
		{"control characters and invalid UTF-8 are dropped", "perbaikan", "ok\x00\x07\xff👍", "id", want{value: "ok👍", ok: true}},
		{"a too long answer is refused saying how long it was", "perbaikan", strings.Repeat("é", 1001), "id", want{hint: "Jawaban terlalu panjang (1001 karakter; maks. 1000): persingkat, atau kirim yang terpenting saja."}},
		{"a part of a long paste is refused saying how long it was, in English", "saran", strings.Repeat("a", 4096), "en", want{hint: "Your answer is too long (4096 characters; max. 1000): shorten it, or send only what matters most."}},
		{"a long answer at the limit is accepted", "saran", strings.Repeat("é", 1000), "id", want{value: strings.Repeat("é", 1000), ok: true}},
		{"an optional question is skipped with lewati", "saran", "Lewati", "id", want{skipped: true, ok: true}},
		{"an optional question is skipped with skip", "saran", "SKIP", "en", want{skipped: true, ok: true}},
		{"an optional question is skipped with a dash", "saran", " - ", "id", want{skipped: true, ok: true}},
		{"an empty answer to an optional text asks for one (the question's text says how to skip)", "saran", "", "id", want{hint: "Mohon tulis jawaban Anda."}},
		{"an emoji is not a score", "u1", "👍", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
		{"invisible characters around a score are dropped", "u1", "\u200b3\ufeff", "id", want{value: "3", ok: true}},
		{"nothing visible is no answer", "saran", "\u200b \u2060\ufeff", "id", want{hint: "Mohon tulis jawaban Anda."}},
		{"a joiner inside an emoji stays", "saran", "👩\u200d💻", "id", want{value: "👩\u200d💻", ok: true}},
		{"the question on what to improve may be skipped", "perbaikan", "-", "id", want{skipped: true, ok: true}},
		{"a skip word may end in a full stop", "saran", "Lewati.", "id", want{skipped: true, ok: true}},
		{"nothing to say to an optional open question is a skip", "saran", "Tidak ada.", "id", want{skipped: true, ok: true}},
		{"nothing to say, in English", "saran", "None", "en", want{skipped: true, ok: true}},
		{"a suggestion that begins with nothing-to-say words is a suggestion", "saran", "tidak ada tempat parkir", "id", want{value: "tidak ada tempat parkir", ok: true}},
		{"nothing-to-say words are no skip of a score", "u3", "tidak ada", "id", want{hint: "Pilih salah satu jawaban di bawah ini, atau balas dengan nomornya (1–4)."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			value, skipped, hint, ok := f.Question(tt.question).Check(tt.input, tt.lang)
			got := want{value, skipped, hint, ok}
			if got != tt.want {
				t.Errorf("Check(%.40q, %q) = %+v, want %+v", tt.input, tt.lang, got, tt.want)
			}
		})
	}
}

// A bare "no", as citizens type it, is nothing to say to an optional open question: no
// suggestion "tidak" for an agency head to read.
func TestCheckNoIsNothingToSay(t *testing.T) {
	f := Builtin()
	for _, in := range []string{"tidak", "Tidak.", "TDK", "tak", "gak", "ga", "gk", "nggak", "ngga!", "enggak", "engga", "belum", "blm", "tidak ada.", " Gak ada "} {
		for _, id := range []string{"saran", "perbaikan"} {
			if v, skipped, hint, ok := f.Question(id).Check(in, "id"); !ok || !skipped || v != "" || hint != "" {
				t.Errorf("%s: Check(%q) = %q skipped %v ok %v hint %q, want a skip", id, in, v, skipped, ok, hint)
			}
		}
	}
	// Only the whole answer: a suggestion that begins with such a word is a suggestion.
	for _, in := range []string{"tidak ramah", "gak ada kursi", "belum rapi", "ga jelas antreannya"} {
		if v, skipped, _, ok := f.Question("saran").Check(in, "id"); !ok || skipped || v != in {
			t.Errorf("Check(%q) = %q skipped %v ok %v, want the suggestion", in, v, skipped, ok)
		}
	}
}

func TestCheckRequiredText(t *testing.T) {
	q := &Question{ID: "keluhan", Kind: KindText, MaxLength: 100, Prompt: Text{"id": "Apa keluhan Anda?"}}
	for in, want := range map[string]string{
		"":             "Mohon tulis jawaban Anda.",
		"   ":          "Mohon tulis jawaban Anda.",
		"\u200b\u200b": "Mohon tulis jawaban Anda.",
		"lewati":       "Pertanyaan ini wajib dijawab. Mohon tulis jawaban Anda.",
	} {
		if _, _, hint, ok := q.Check(in, "id"); ok || hint != want {
			t.Errorf("Check(%q) = ok %v, hint %q; want the re-prompt %q", in, ok, hint, want)
		}
	}
	// A required open question takes "tidak ada" as its answer: it may be the honest one.
	for _, in := range []string{"Tidak ada", "tidak", "gak", "belum"} {
		if v, skipped, _, ok := q.Check(in, "id"); !ok || skipped || v != in {
			t.Errorf(`Check(%q) of a required question = %q skipped %v ok %v, want the answer`, in, v, skipped, ok)
		}
	}
}

// An option whose label is a number word is that option, not the option of that number.
func TestALabelThatIsANumberWordIsThatOption(t *testing.T) {
	q := &Question{ID: "berapa", Kind: KindChoice, Prompt: Text{"id": "Berapa kali?"}, Options: []Option{
		{Value: "A", Label: Text{"id": "Dua"}}, {Value: "B", Label: Text{"id": "Satu"}}, {Value: "C", Label: Text{"id": "Tiga atau lebih"}},
	}}
	for in, want := range map[string]string{"dua": "A", "Satu": "B", "tiga": "C", "1": "A"} {
		if value, _, _, ok := q.Check(in, "id"); !ok || value != want {
			t.Errorf("Check(%q) = %q, %v; want %q", in, value, ok, want)
		}
	}
}

func TestCheckNeverPanics(t *testing.T) {
	inputs := []string{"", "\x00", "\xff\xfe", strings.Repeat("🙂", 5000), strings.Repeat("1", 5000), "-1", "0", "9223372036854775808", "1)", ".", ")", "\r\n"}
	for _, q := range Builtin().Questions {
		for _, in := range inputs {
			value, _, hint, ok := q.Check(in, "id")
			if ok == (hint != "") {
				t.Errorf("%s: Check(%.20q) ok=%v with hint %q", q.ID, in, ok, hint)
			}
			if !ok && value != "" {
				t.Errorf("%s: Check(%.20q) refused but returned value %q", q.ID, in, value)
			}
		}
	}
}

func TestRender(t *testing.T) {
	f := Builtin()
	tests := []struct {
		name, question, lang string
		wantText             string
		wantOptions          []string
	}{
		{"a scale question lists its four labels", "u4", "id", "Bagaimana kewajaran biaya/tarif pelayanannya?", []string{"Sangat mahal", "Cukup mahal", "Murah", "Gratis"}},
		{"a choice question is rendered in English", "jenis_kelamin", "en", "First, a little about you. Your gender?", []string{"Male", "Female"}},
		{"an optional question says how to skip", "saran", "id", "Ada saran atau masukan lain untuk kami?\n\nKetik \"lewati\" untuk melewati pertanyaan ini.", nil},
		{"an optional question says how to skip in English", "saran", "en", "Any other suggestions for us?\n\nType \"skip\" to skip this question.", nil},
		{"an unknown language falls back to Indonesian", "usia", "fr", "Berapa usia Anda? (tulis angka saja, misalnya 35)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, options := f.Question(tt.question).Render(tt.lang)
			if text != tt.wantText {
				t.Errorf("text = %q, want %q", text, tt.wantText)
			}
			if strings.Join(options, "|") != strings.Join(tt.wantOptions, "|") {
				t.Errorf("options = %q, want %q", options, tt.wantOptions)
			}
		})
	}
}

// FuzzCheck checks that Check never panics and keeps its contract on any reply.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"1", "4.", "Sangat cepat", "lewati", "-", "35", "\xff", "🙂", strings.Repeat("a", 600), "empat", " Dua. ", "five"} {
		f.Add(s, "id")
	}
	flow := Builtin()
	f.Fuzz(func(t *testing.T, input, lang string) {
		for _, q := range flow.Questions {
			value, skipped, hint, ok := q.Check(input, lang)
			switch {
			case ok && hint != "", !ok && hint == "", !ok && (value != "" || skipped):
				t.Fatalf("%s: Check(%q) = %q, %v, %q, %v breaks the contract", q.ID, input, value, skipped, hint, ok)
			case skipped && !q.Optional:
				t.Fatalf("%s: a required question was skipped by %q", q.ID, input)
			case !utf8.ValidString(value) || utf8.RuneCountInString(value) > max(q.MaxLength, 50):
				t.Fatalf("%s: Check(%q) returned value %q", q.ID, input, value)
			case ok && !skipped && len(q.Options) > 0 && !slices.ContainsFunc(q.Options, func(o Option) bool { return o.Value == value }):
				t.Fatalf("%s: Check(%q) returned %q, not an option", q.ID, input, value)
			}
		}
	})
}
