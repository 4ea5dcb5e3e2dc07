package bot

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func TestSplitTextCutsAtLinesThenSpaces(t *testing.T) {
	for _, c := range []struct {
		text  string
		limit int
		want  []string
	}{
		{"pendek", 10, []string{"pendek"}},
		{"", 10, []string{""}},
		{"baris satu\nbaris dua", 15, []string{"baris satu", "baris dua"}},
		{"satu dua tiga empat", 9, []string{"satu dua", "tiga", "empat"}},
		{"tanpaspasisamasekali", 8, []string{"tanpaspa", "sisamase", "kali"}},
		{"😀😀😀", 4, []string{"😀😀", "😀"}}, // two UTF-16 units each
		{"😀", 1, []string{"😀"}},
	} {
		if got := SplitText(c.text, c.limit); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("SplitText(%q, %d) = %q, want %q", c.text, c.limit, got, c.want)
		}
	}
}

// FuzzSplitText: every part fits (but a single character wider than the limit), and the
// parts are the text with only the line breaks or spaces at the cuts left out.
func FuzzSplitText(f *testing.F) {
	f.Add("Terima kasih!\nIndeks bulan ini 82,5 (B, Baik).", 12)
	f.Add(strings.Repeat("😀 a\n", 50), 7)
	f.Fuzz(func(t *testing.T, text string, limit int) {
		if limit < 1 || limit > 5000 || !utf16Valid(text) {
			return
		}
		parts := SplitText(text, limit)
		for _, p := range parts {
			if n := len(utf16.Encode([]rune(p))); n > limit && len([]rune(p)) > 1 {
				t.Fatalf("part %q is %d units, limit %d", p, n, limit)
			}
		}
		strip := strings.NewReplacer("\n", "", " ", "")
		if strip.Replace(strings.Join(parts, "")) != strip.Replace(text) {
			t.Fatalf("parts %q lose text of %q", parts, text)
		}
		if len(strings.Join(parts, "")) < len(text)-(len(parts)-1) {
			t.Fatalf("parts %q drop more than one separator a cut from %q", parts, text)
		}
	})
}

// utf16Valid leaves out texts with invalid UTF-8, which Telegram would refuse anyway.
func utf16Valid(s string) bool { return strings.ToValidUTF8(s, "") == s }
