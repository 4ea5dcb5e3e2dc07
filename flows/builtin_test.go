package flows

import (
	"bytes"
	"slices"
	"testing"
)

func TestBuiltin(t *testing.T) {
	f := Builtin()
	t.Run("it is the skm flow in Indonesian and English", func(t *testing.T) {
		if f.ID != BuiltinID || f.Version < 1 {
			t.Errorf("ID, Version = %q, %d", f.ID, f.Version)
		}
		if !slices.Equal(f.Languages, []string{"id", "en"}) {
			t.Errorf("Languages = %v, want [id en]", f.Languages)
		}
	})
	t.Run("the question ids are the stable ones", func(t *testing.T) {
		var ids []string
		for _, q := range f.Questions {
			ids = append(ids, q.ID)
		}
		want := []string{"jenis_kelamin", "usia", "pendidikan", "pekerjaan", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u9", "u8", "perbaikan", "saran"}
		if !slices.Equal(ids, want) {
			t.Errorf("ids = %v\nwant %v", ids, want)
		}
	})
	t.Run("every element has the standard labels of PermenPANRB 14/2017", func(t *testing.T) {
		standard := map[string][4]string{
			"U1": {"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"},
			"U2": {"Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"},
			"U3": {"Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"},
			"U4": {"Sangat mahal", "Cukup mahal", "Murah", "Gratis"},
			"U5": {"Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"},
			"U6": {"Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"},
			"U7": {"Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah", "Sangat sopan dan ramah"},
			"U8": {"Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"},
			"U9": {"Buruk", "Cukup", "Baik", "Sangat Baik"},
		}
		for _, q := range f.Questions {
			if q.Kind != KindScale {
				continue
			}
			want, ok := standard[q.Element]
			if !ok {
				t.Errorf("question %s measures unknown element %q", q.ID, q.Element)
				continue
			}
			delete(standard, q.Element)
			if q.ID != "u"+q.Element[1:] {
				t.Errorf("question %s measures %s", q.ID, q.Element)
			}
			for i, o := range q.Options {
				if o.Label["id"] != want[i] || o.Value != string(rune('1'+i)) {
					t.Errorf("%s option %d = %q (%s), want %q (%d)", q.Element, i+1, o.Label["id"], o.Value, want[i], i+1)
				}
			}
		}
		if len(standard) > 0 {
			t.Errorf("elements without a question: %v", standard)
		}
	})
	// Score 2 is below adequate ("kurang"): an English label that reads as praise
	// ("Somewhat competent") would have English-speaking citizens lower a score they meant
	// well. "Kurang X" is "Not quite X" throughout.
	t.Run("every element's English label at score 2 reads below adequate", func(t *testing.T) {
		want := map[string]string{
			"U1": "Not quite appropriate", "U2": "Not quite easy", "U3": "Not quite quick",
			"U4": "Fairly expensive", "U5": "Does not quite match", "U6": "Not quite competent",
			"U7": "Not quite polite and friendly", "U8": "Exists but does not work", "U9": "Fair",
		}
		for _, q := range f.Questions {
			if q.Kind != KindScale {
				continue
			}
			if got := q.Options[1].Label["en"]; got != want[q.Element] {
				t.Errorf("%s score 2 in English = %q, want %q", q.Element, got, want[q.Element])
			}
		}
	})
	t.Run("the profile questions store the stable codes", func(t *testing.T) {
		codes := map[string][]string{
			"jenis_kelamin": {"L", "P"},
			"pendidikan":    {"SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3"},
			"pekerjaan":     {"PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"},
		}
		for id, want := range codes {
			var got []string
			for _, o := range f.Question(id).Options {
				got = append(got, o.Value)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s codes = %v, want %v", id, got, want)
			}
		}
		if usia := f.Question("usia"); usia.Kind != KindNumber || usia.Min != 15 || usia.Max != 100 {
			t.Errorf("usia = %s %v..%v, want number 15..100", usia.Kind, usia.Min, usia.Max)
		}
	})
	t.Run("the improvement question follows any poor score and every open question is optional", func(t *testing.T) {
		w := f.Question("perbaikan").When
		if w == nil || !slices.Equal(w.AnyElement, []string{"1", "2"}) || len(w.Scales) != 9 {
			t.Errorf("perbaikan.When = %+v, want any_element [1 2] over the 9 elements", w)
		}
		// A required one would leave out of the IKM a dissatisfied citizen who will not write.
		if !f.Question("saran").Optional || !f.Question("perbaikan").Optional {
			t.Error("saran and perbaikan must be optional")
		}
	})
	t.Run("every text is translated to English", func(t *testing.T) {
		texts := []Text{f.Title, f.Intro, f.Closing}
		for _, q := range f.Questions {
			texts = append(texts, q.Prompt)
			for _, o := range q.Options {
				texts = append(texts, o.Label)
			}
		}
		for _, tx := range texts {
			if tx["en"] == "" {
				t.Errorf("no English for %q", tx["id"])
			}
		}
	})
	t.Run("each call returns a fresh copy", func(t *testing.T) {
		a, b := Builtin(), Builtin()
		a.Questions[0].Prompt["id"] = "diubah"
		a.Source[0] = 'X'
		if b.Questions[0].Prompt["id"] == "diubah" || b.Source[0] == 'X' {
			t.Error("two Builtin() calls share memory")
		}
		if !bytes.Equal(BuiltinSource(), b.Source) {
			t.Error("BuiltinSource differs from Builtin().Source")
		}
	})
}
