package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestUnitsAndServicesAreCreatedAndListed(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		lama, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "LAMA", Name: "Unit lama"})
		if err == nil {
			err = db.RetireUnit(context.Background(), lama.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			name, method, path, body string
			status                   int
			want                     string
		}{
			{"a unit is created with its agency", "POST", "/api/v1/units",
				`{"code":"DUKCAPIL-MLG","name":" Dukcapil Malang ","agency":"DISDUKCAPIL","population":1200}`, 201,
				`{"code":"DUKCAPIL-MLG","name":"Dukcapil Malang","agency":"DISDUKCAPIL","agency_name":"DISDUKCAPIL","population":1200,"retired":false}`},
			{"a unit is created with only a code and a name", "POST", "/api/v1/units",
				`{"code":"rsud_1","name":"RSUD Satu"}`, 201,
				`{"code":"rsud_1","name":"RSUD Satu","agency":"","agency_name":"","population":0,"retired":false}`},
			{"a unit is created with the agency's name", "POST", "/api/v1/units",
				`{"code":"B","name":"B","agency":"BPKAD","agency_name":"Badan Pengelolaan Keuangan"}`, 201,
				`{"code":"B","name":"B","agency":"BPKAD","agency_name":"Badan Pengelolaan Keuangan","population":0,"retired":false}`},
			{"a unit of a known agency without its name keeps the agency's name", "POST", "/api/v1/units",
				`{"code":"C","name":"C","agency":"BPKAD"}`, 201,
				`{"code":"C","name":"C","agency":"BPKAD","agency_name":"Badan Pengelolaan Keuangan","population":0,"retired":false}`},
			{"an agency name without an agency is refused", "POST", "/api/v1/units",
				`{"code":"D","name":"D","agency_name":"Badan Tanpa Kode"}`, 400,
				`{"error":"\"agency_name\" memerlukan \"agency\": kode instansi yang dinamainya (\"agency_name\" needs \"agency\": the code of the agency it names)"}`},
			{"units are listed by code, retired ones marked", "GET", "/api/v1/units", "", 200,
				`[{"code":"B","name":"B","agency":"BPKAD","agency_name":"Badan Pengelolaan Keuangan","population":0,"retired":false},` +
					`{"code":"C","name":"C","agency":"BPKAD","agency_name":"Badan Pengelolaan Keuangan","population":0,"retired":false},` +
					`{"code":"DUKCAPIL-MLG","name":"Dukcapil Malang","agency":"DISDUKCAPIL","agency_name":"DISDUKCAPIL","population":1200,"retired":false},` +
					`{"code":"LAMA","name":"Unit lama","agency":"","agency_name":"","population":0,"retired":true},` +
					`{"code":"SAMSAT-SBY","name":"Samsat Surabaya","agency":"","agency_name":"","population":5000,"retired":false},` +
					`{"code":"rsud_1","name":"RSUD Satu","agency":"","agency_name":"","population":0,"retired":false}]`},
			{"a service is created under a unit", "POST", "/api/v1/units/DUKCAPIL-MLG/services",
				`{"code":"KTP-EL","name":"KTP Elektronik"}`, 201,
				`{"unit":"DUKCAPIL-MLG","code":"KTP-EL","name":"KTP Elektronik","retired":false}`},
			{"a service name may not repeat in its unit, in any case", "POST", "/api/v1/units/DUKCAPIL-MLG/services",
				`{"code":"KTP2","name":"ktp elektronik"}`, 409,
				`{"error":"Layanan \"KTP-EL\" unit \"DUKCAPIL-MLG\" sudah bernama \"KTP Elektronik\": pilih nama lain (service \"KTP-EL\" of unit \"DUKCAPIL-MLG\" is already named \"KTP Elektronik\": choose another name)"}`},
			{"a service code may repeat in another unit", "POST", "/api/v1/units/rsud_1/services",
				`{"code":"KTP-EL","name":"Lain"}`, 201,
				`{"unit":"rsud_1","code":"KTP-EL","name":"Lain","retired":false}`},
			{"a unit's services are listed, retired ones marked", "GET", "/api/v1/units/SAMSAT-SBY/services", "", 200,
				`[{"unit":"SAMSAT-SBY","code":"OLD","name":"Layanan lama","retired":true},` +
					`{"unit":"SAMSAT-SBY","code":"STNK","name":"Perpanjangan STNK","retired":false}]`},
			{"a unit without services lists an empty array", "GET", "/api/v1/units/B/services", "", 200, `[]`},
			{"a name is counted in characters: 200 × é (400 bytes) is allowed", "POST", "/api/v1/units/B/services",
				`{"code":"E","name":"` + strings.Repeat("é", 200) + `"}`, 201,
				`{"unit":"B","code":"E","name":"` + strings.Repeat("é", 200) + `","retired":false}`},
		}
		for _, st := range steps {
			t.Run(st.name, func(t *testing.T) {
				rec := call(t, h, st.method, st.path, bearer, st.body)
				if rec.Code != st.status {
					t.Fatalf("status %d, want %d; body %s", rec.Code, st.status, rec.Body)
				}
				if !sameJSON(t, rec.Body.Bytes(), st.want) {
					t.Errorf("body %s\nwant %s", rec.Body, st.want)
				}
			})
		}
	})
}

func TestAnEmptyDatabaseListsNoUnitsAsAnEmptyArray(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		// newAPI seeded a unit; start from none.
		if _, err := db.Exec("DELETE FROM services"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("DELETE FROM units"); err != nil {
			t.Fatal(err)
		}
		rec := call(t, h, "GET", "/api/v1/units", bearer, "")
		if rec.Code != 200 || !sameJSON(t, rec.Body.Bytes(), `[]`) {
			t.Errorf("%d %s, want 200 []", rec.Code, rec.Body)
		}
	})
}

func sameJSON(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Errorf("response is not JSON: %v", err)
		return false
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("test's want is not JSON: %v", err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	return string(gb) == string(wb)
}

// A unit or service name shows as it is written: invisible characters at its ends are
// dropped, a name of nothing else is refused as empty, and bidi overrides and isolates, which
// would show it backwards, are refused anywhere.
func TestANameMustShowAsItIsWritten(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		for _, c := range []struct {
			name, path, body string
			status           int
			want             string
		}{
			{"a unit named with only an override and zero-width spaces", "/api/v1/units", `{"code":"X1","name":"\u202e\u200b\u200b"}`, 400, `"name\" memuat karakter pengatur arah teks`},
			{"a unit named with only zero-width spaces", "/api/v1/units", `{"code":"X2","name":"\u200b\u200b"}`, 400, `"name\" wajib diisi`},
			{"a unit with an override inside its name", "/api/v1/units", `{"code":"X3","name":"Samsat \u202eayabaruS"}`, 400, `pengatur arah teks`},
			{"an agency named with an isolate", "/api/v1/units", `{"code":"X4","name":"X","agency":"A","agency_name":"Dinas\u2066"}`, 400, `"agency_name\" memuat karakter pengatur arah teks`},
			{"a unit with invisible ends", "/api/v1/units", `{"code":"X5","name":"\u200bSamsat\ufeff"}`, 201, `"name":"Samsat"`},
			{"a service named with only an override and zero-width spaces", "/api/v1/units/X5/services", `{"code":"S1","name":"\u202e\u200b\u200b"}`, 400, `pengatur arah teks`},
			{"a service named with only zero-width spaces", "/api/v1/units/X5/services", `{"code":"S2","name":"\u200b"}`, 400, `"name\" wajib diisi`},
			{"a service with invisible ends", "/api/v1/units/X5/services", `{"code":"S3","name":"\u2060KTP\u200b"}`, 201, `"name":"KTP"`},
		} {
			rec := call(t, h, "POST", c.path, bearer, c.body)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("%s: %d %s, want %d and %s", c.name, rec.Code, rec.Body, c.status, c.want)
			}
		}
	})
}

// A unit's code is one code whatever its case: POST /units with samsat-sby, when SAMSAT-SBY
// exists (newAPI's), is a 409 that names it; an agency code in another case is one too.
func TestAUnitCodeInAnotherCaseIsTaken(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		h := newAPI(t, db)
		for _, c := range []struct {
			name, body string
			status     int
			want       string
		}{
			{"the same code in lower case", `{"code":"samsat-sby","name":"Samsat"}`, 409, `sudah ada sebagai \"SAMSAT-SBY\"`},
			{"a new unit of a new agency", `{"code":"DINKES-1","name":"Puskesmas","agency":"DINKES"}`, 201, `"agency":"DINKES"`},
			{"the agency in another case", `{"code":"DINKES-2","name":"Puskesmas","agency":"Dinkes"}`, 409, `tulis \"DINKES\"`},
		} {
			rec := call(t, h, "POST", "/api/v1/units", bearer, c.body)
			if rec.Code != c.status || !strings.Contains(rec.Body.String(), c.want) {
				t.Errorf("%s: %d %s, want %d and %s", c.name, rec.Code, rec.Body, c.status, c.want)
			}
		}
	})
}
