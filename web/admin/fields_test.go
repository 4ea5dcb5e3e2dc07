package admin

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sukma/storage"
)

// A refused service names the field that is wrong and its rule: the characters a code may
// hold (and which it holds that it may not) and its length, a name's length. It was one
// message for every mistake.
func TestARefusedServiceSaysWhichFieldIsWrong(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUKCAPIL", Name: "Dukcapil"}); err != nil {
			t.Fatal(err)
		}
		a := newTestAdmin(t, db, Deps{})
		long := strings.Repeat("a", 300)
		for _, tt := range []struct {
			name, code, service, lang string
			says                      []string
			saysNot                   []string
		}{
			{"a space in the code", "KTP EL", "KTP elektronik", "", []string{"Kode layanan hanya boleh berisi huruf A–Z atau a–z tanpa tanda aksen, angka 0–9, - dan _; yang ditulis memuat spasi."}, []string{"Nama layanan"}},
			{"an accented letter in the code", "É-KTP", "KTP elektronik", "", []string{"yang ditulis memuat “É”."}, []string{"Nama layanan"}},
			{"an 80-character code", strings.Repeat("K", 80), "KTP elektronik", "", []string{"Kode layanan paling panjang 32 karakter; yang ditulis 80 karakter."}, []string{"memuat"}},
			{"no code", "", "KTP elektronik", "", []string{"Kode layanan wajib diisi: huruf A–Z atau a–z, angka 0–9, - dan _, paling panjang 32 karakter (misalnya PKB)."}, nil},
			{"a 300-character name", "KTP", long, "", []string{"Nama layanan paling panjang 200 karakter; yang ditulis 300 karakter."}, []string{"Kode layanan"}},
			{"no name", "KTP", " ", "", []string{"Nama layanan wajib diisi"}, []string{"Kode layanan"}},
			{"both wrong", "KTP EL", long, "", []string{"memuat spasi.", "Nama layanan paling panjang 200 karakter"}, nil},
			{"both wrong, in English", "É KTP", long, "en", []string{"Service code may hold only letters A–Z or a–z without accents, digits 0–9, - and _; the one written holds “É”, a space.",
				"Service name is at most 200 characters; the one written is 300 characters."}, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				// The page's language is said each time: ?lang= is kept in a cookie.
				path := "/admin/units/DUKCAPIL/services?lang=" + map[string]string{"": "id", "en": "en"}[tt.lang]
				status, _, body := a.post(path, url.Values{"code": {tt.code}, "name": {tt.service}})
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", status)
				}
				msg := errorShown(body)
				for _, want := range tt.says {
					if !strings.Contains(msg, want) {
						t.Errorf("the error %q does not say %q", msg, want)
					}
				}
				for _, not := range tt.saysNot {
					if strings.Contains(msg, not) {
						t.Errorf("the error %q speaks of %q, which is right", msg, not)
					}
				}
				if !strings.Contains(body, `name="code" value="`+html.EscapeString(tt.code)+`"`) {
					t.Error("the form does not keep the code typed")
				}
			})
		}
		if status, _, _ := a.post("/admin/units/DUKCAPIL/services", url.Values{"code": {"KTP-EL"}, "name": {"KTP elektronik"}}); status != http.StatusSeeOther {
			t.Errorf("a right service: %d", status)
		}
	})
}

// A population is typed as Indonesian writes it, its thousands grouped by dots or spaces (on
// the English pages by commas too), wherever it is typed: a new unit, a unit changed. A
// decimal, or a dot that groups no thousands, is refused saying why.
func TestAPopulationIsReadAsIndonesianWritesIt(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		a := newTestAdmin(t, db, Deps{})
		if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "ADA", Name: "Unit yang ada", Population: 7}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, tt := range []struct {
			typed, lang string
			want        int64
			refusal     string
		}{
			{"45.000", "", 45000, ""},
			{"45 000", "", 45000, ""},
			{"45\u00a0000", "", 45000, ""},
			{"1.200.000", "", 1200000, ""},
			{"45000", "", 45000, ""},
			{" 0 ", "", 0, ""},
			{"1.000.000.000", "", 1000000000, ""},
			{"45,000", "en", 45000, ""},
			{"45.000", "en", 45000, ""},
			{"45,5", "", 0, "Populasi “45,5” bukan bilangan bulat: tulis jumlah orang tanpa desimal"},
			{"4.50", "", 0, "Populasi “4.50” bukan bilangan bulat"},
			{"45,000", "", 0, "Populasi “45,000” bukan bilangan bulat"},
			{"45..000", "", 0, "bukan bilangan bulat"},
			{"4500.000", "", 0, "bukan bilangan bulat"},
			{".450", "", 0, "bukan bilangan bulat"},
			{"satu", "", 0, "bukan bilangan bulat"},
			{"45,5", "en", 0, "The population “45,5” is not a whole number"},
			{"-1", "", 0, "Populasi harus bilangan bulat dari 0 sampai 1.000.000.000 (jumlah pengguna layanan setahun)."},
			{"2.000.000.000", "", 0, "Populasi harus bilangan bulat dari 0 sampai 1.000.000.000"},
			{"2,000,000,000", "en", 0, "The population must be a whole number from 0 to 1,000,000,000"},
		} {
			for _, form := range []string{"new", "changed"} {
				n++
				code := "U" + strings.Repeat("X", n%5) + string(rune('A'+n/5))
				path, unit := "/admin/units", code
				if form == "changed" {
					path, unit = "/admin/units/ADA", "ADA"
				}
				// The page's language is said each time: ?lang= is kept in a cookie.
				path += "?lang=" + map[string]string{"": "id", "en": "en"}[tt.lang]
				status, _, body := a.post(path, url.Values{"code": {code}, "name": {"Unit " + code}, "population": {tt.typed}})
				if tt.refusal != "" {
					if status != http.StatusUnprocessableEntity || !strings.Contains(errorShown(body), tt.refusal) {
						t.Errorf("%s unit, population %q (%s): %d %q, want 422 saying %q", form, tt.typed, tt.lang, status, errorShown(body), tt.refusal)
					}
					if !strings.Contains(body, `name="population" inputmode="numeric" autocomplete="off" value="`+html.EscapeString(strings.TrimSpace(tt.typed))+`"`) {
						t.Errorf("%s unit, population %q: the form does not keep it as typed", form, tt.typed)
					}
					continue
				}
				if status != http.StatusSeeOther {
					t.Errorf("%s unit, population %q (%s): %d %q, want 303", form, tt.typed, tt.lang, status, errorShown(body))
					continue
				}
				if u, err := db.FindUnitByCode(context.Background(), unit); err != nil || u.Population != tt.want {
					t.Errorf("%s unit, population %q (%s): stored %d (%v), want %d", form, tt.typed, tt.lang, u.Population, err, tt.want)
				}
			}
		}
		// The field is text, so that the browser sends what was typed: a number field stops
		// "45 000" in the browser with its own message, which says nothing of thousands.
		if _, _, body := a.get("/admin/units/ADA"); strings.Contains(body, `name="population" type="number"`) {
			t.Error("the population is a number field")
		}
	})
}

// errorShown is the error a page shows, unescaped; "" for none.
func errorShown(body string) string {
	_, rest, ok := strings.Cut(body, `<p class="error" role="alert" id="error">`)
	if !ok {
		return ""
	}
	msg, _, _ := strings.Cut(rest, "</p>")
	return html.UnescapeString(msg)
}
