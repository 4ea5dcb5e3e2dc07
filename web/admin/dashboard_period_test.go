package admin

import (
	"context"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"sukma/storage"
)

// headUnits makes the units of the dashboard's period tests, on 7 December 2026: DUK and
// DUK2 of the agency DINKES, LAIN of BAPENDA. DUK has a response in May 2025, in October,
// two in November (16–22) and one in December 2026.
func headUnits(t *testing.T, db *storage.DB) (duk, duk2, lain storage.Unit) {
	t.Helper()
	ctx := context.Background()
	db.Now = func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) }
	var err error
	if duk, err = db.CreateUnit(ctx, storage.NewUnit{Code: "DUK", Name: "Dukcapil Malang", Agency: "DINKES", AgencyName: "Dinas Kependudukan", Population: 1000}); err != nil {
		t.Fatal(err)
	}
	if duk2, err = db.CreateUnit(ctx, storage.NewUnit{Code: "DUK2", Name: "Dukcapil Batu", Agency: "DINKES"}); err != nil {
		t.Fatal(err)
	}
	if lain, err = db.CreateUnit(ctx, storage.NewUnit{Code: "LAIN", Name: "Samsat", Agency: "BAPENDA"}); err != nil {
		t.Fatal(err)
	}
	addResponse(t, db, duk.ID, nil, 20250510, 3)
	addResponse(t, db, duk.ID, nil, 20261005, 4)
	addResponse(t, db, duk.ID, nil, 20261118, 3)
	addResponse(t, db, duk.ID, nil, 20261120, 2)
	addResponse(t, db, duk.ID, nil, 20261203, 4)
	addResponse(t, db, duk2.ID, nil, 20261110, 4)
	addResponse(t, db, lain.ID, nil, 20261118, 1)
	return duk, duk2, lain
}

// agencyID is the id of the agency with the code.
func agencyID(t *testing.T, db *storage.DB, code string) int64 {
	t.Helper()
	agencies, err := db.ListAgencies(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, ag := range agencies {
		if ag.Code == code {
			return ag.ID
		}
	}
	t.Fatalf("no agency %s", code)
	return 0
}

var (
	shownPeriod      = regexp.MustCompile(`IKM · ([^<]*)</div>`)
	shownRespondents = regexp.MustCompile(`<span id="respondents">(\d+)</span>`)
	selectedPeriod   = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	caution          = regexp.MustCompile(`<p class="caution" role="status">([^<]*)</p>`)
)

// shown is what the dashboard's page says it shows: the period's name, the respondents,
// the period chosen in the filter, and the notices.
func shown(t *testing.T, body string) (period, respondents, selected string, notes []string) {
	t.Helper()
	get := func(re *regexp.Regexp) string {
		if m := re.FindStringSubmatch(body); m != nil {
			return html.UnescapeString(m[1])
		}
		return ""
	}
	for _, m := range caution.FindAllStringSubmatch(body, -1) {
		notes = append(notes, html.UnescapeString(m[1]))
	}
	return get(shownPeriod), get(shownRespondents), get(selectedPeriod), notes
}

// A head who got a monthly or weekly digest checks it on the dashboard: any period a digest
// can name opens by its key, a month, a quarter, a semester, a year or a run of days, and a
// run of days that is a whole month is that month.
func TestTheDashboardOpensAnyPeriodADigestCanName(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		for _, tt := range []struct{ period, label, respondents, selected string }{
			{"", "Triwulan IV 2026", "4", "2026-Q4"},
			{"2026-11", "November 2026", "2", "2026-11"},
			{"2026-11-16..2026-11-22", "16–22 Nov 2026", "2", "2026-11-16..2026-11-22"},
			{"2026-11-01..2026-11-30", "November 2026", "2", "2026-11"},
			{"2026-10-01..2026-12-31", "Triwulan IV 2026", "4", "2026-Q4"},
			{"2026-Q4", "Triwulan IV 2026", "4", "2026-Q4"},
			{"2026-S2", "Semester II 2026", "4", "2026-S2"},
			{"2026", "Tahun 2026", "4", "2026"},
			{"2025-05", "Mei 2025", "1", "2025-05"},
			{"2023-05", "Mei 2023", "0", "2023-05"},
			{"2026-12-07..2026-12-07", "7 Desember 2026", "0", "2026-12-07..2026-12-07"},
		} {
			status, _, body := a.get("/admin/?unit=DUK&period=" + tt.period)
			label, respondents, selected, notes := shown(t, body)
			if status != http.StatusOK || label != tt.label || respondents != tt.respondents || selected != tt.selected || notes != nil {
				t.Errorf("period=%s: %d, shows %q of %s respondents, %q chosen, notes %q; want %q of %s, %q chosen",
					tt.period, status, label, respondents, selected, notes, tt.label, tt.respondents, tt.selected)
			}
		}
		// The filter offers the last 24 months besides the quarters and the years.
		_, _, body := a.get("/admin/")
		for _, want := range []string{`<optgroup label="Bulan"><option value="2026-12">Desember 2026</option>`, `<option value="2025-01">Januari 2025</option></optgroup>`,
			`<optgroup label="Triwulan"><option value="2026-Q4" selected>Triwulan IV 2026</option>`, `<option value="2025">Tahun 2025</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the period filter lacks %s", want)
			}
		}
		if strings.Contains(body, "Desember 2024") || strings.Contains(body, "Lainnya") {
			t.Error("the period filter offers more than 24 months")
		}
		// A period not among the choices is added to them, so that the form keeps it.
		_, _, body = a.get("/admin/?period=2026-11-16..2026-11-22")
		if !strings.Contains(body, `<optgroup label="Lainnya"><option value="2026-11-16..2026-11-22" selected>16–22 Nov 2026</option></optgroup>`) {
			t.Error("a week is not offered in the period filter")
		}
	})
}

// A period, unit, agency or service of the address that is not understood is not replaced
// in silence: the dashboard says what it shows instead.
func TestTheDashboardSaysWhichFilterItDidNotUnderstand(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		for _, tt := range []struct{ query, note, respondents string }{
			{"period=2026-13&unit=DUK", "Periode “2026-13” tidak dikenali, jadi ditampilkan Triwulan IV 2026.", "4"},
			{"period=November&unit=DUK", "Periode “November” tidak dikenali", "4"},
			{"period=2026-Q5&unit=DUK", "Periode “2026-Q5” tidak dikenali", "4"},
			{"period=2026-11-31..2026-12-06&unit=DUK", "Periode “2026-11-31..2026-12-06” tidak dikenali", "4"},
			{"period=2026-12-01..2026-11-01&unit=DUK", "Periode “2026-12-01..2026-11-01” tidak dikenali", "4"},
			{"period=2026-11&unit=NOPE", "Unit “NOPE” tidak ditemukan, atau bukan unit instansi Anda, jadi ditampilkan semua unit.", "4"},
			{"period=2026-11&agency=NOPE", "Instansi “NOPE” tidak ditemukan", "4"},
			{"period=2026-11&unit=DUK&service=NOPE", "Layanan “NOPE” tidak ada di unit ini", "2"},
		} {
			status, _, body := a.get("/admin/?" + tt.query)
			_, respondents, _, notes := shown(t, body)
			if status != http.StatusOK || len(notes) != 1 || !strings.HasPrefix(notes[0], tt.note) || respondents != tt.respondents {
				t.Errorf("%s: %d, notes %q, %s respondents; want %q and %s", tt.query, status, notes, respondents, tt.note, tt.respondents)
			}
		}
		// In the English pages the notes are English.
		for _, tt := range []struct{ query, note string }{
			{"period=2026-13&unit=DUK&lang=en", "Period “2026-13” is not recognised, so Q4 2026 is shown. Write for example 2026-11"},
			{"period=2026-11&unit=NOPE&lang=en", "Unit “NOPE” was not found"},
			{"period=2026-11&agency=NOPE&lang=en", "Agency “NOPE” was not found"},
			{"period=2026-11&unit=DUK&service=NOPE&lang=en", "Service “NOPE” is not one of this unit's"},
		} {
			_, _, body := a.get("/admin/?" + tt.query)
			if _, _, _, notes := shown(t, body); len(notes) != 1 || !strings.HasPrefix(notes[0], tt.note) {
				t.Errorf("%s: notes %q, want %q", tt.query, notes, tt.note)
			}
		}
		// A unit admin of another agency, on a link to DUK, sees their own units, and why.
		bapenda := agencyID(t, db, "BAPENDA")
		other := a.as(storage.NewAdmin{Username: "bapenda", PasswordHash: "x", Role: storage.RoleUnit, AgencyID: &bapenda})
		_, _, body := other.get("/admin/?period=2026-11&unit=DUK")
		if _, respondents, _, notes := shown(t, body); len(notes) != 1 || !strings.HasPrefix(notes[0], "Unit “DUK” tidak ditemukan") || respondents != "1" {
			t.Errorf("another agency's admin on DUK's link: notes %q, %s respondents, want the notice and their one", notes, respondents)
		}
		// A download never gives another period than asked for.
		status, _, body := a.get("/admin/export/responses.csv?period=2026-13&unit=DUK")
		if status != http.StatusBadRequest || !strings.Contains(body, "tidak dikenali") {
			t.Errorf("a download of period 2026-13: %d %.200s", status, body)
		}
		status, _, body = a.get("/admin/export/responses.csv?period=2026-11-16..2026-11-22&unit=DUK")
		if status != http.StatusOK || strings.Count(body, "\n") != 3 {
			t.Errorf("a download of a week: %d, want the header and two rows:\n%s", status, body)
		}
	})
}

// The agency filter names each agency beside its code; one named after its code is not named
// twice.
func TestTheDashboardsAgencyFilterNamesTheAgencies(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		_, _, body := a.get("/admin/?agency=DINKES")
		for _, want := range []string{`<option value="DINKES" selected>DINKES · Dinas Kependudukan</option>`, `<option value="BAPENDA">BAPENDA</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the dashboard lacks %s", want)
			}
		}
	})
}

// The English dashboard names its periods in English: the choices, the heading, the trend.
func TestTheEnglishDashboardNamesPeriodsInEnglish(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		_, _, body := a.get("/admin/?unit=DUK&lang=en")
		for _, want := range []string{`<option value="2026-Q4" selected>Q4 2026</option>`, `<option value="2026-11">November 2026</option>`,
			`<option value="2026">Year 2026</option>`, "IKM · Q4 2026", `<span class="bar-label">Q3 2026</span>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the English dashboard lacks %s", want)
			}
		}
		// The switch back keeps the filters.
		if !strings.Contains(body, `<a href="?lang=id&amp;unit=DUK">Bahasa Indonesia</a>`) {
			t.Error("the language switch drops the filters")
		}
		// Figures have a decimal point in English, a comma in Indonesian.
		value := regexp.MustCompile(`id="ikm-value">([^<]*)<`)
		if m := value.FindStringSubmatch(body); m == nil || !regexp.MustCompile(`^\d+\.\d\d$`).MatchString(m[1]) {
			t.Errorf("the English IKM is written %v", m)
		}
		if _, _, id := a.get("/admin/?unit=DUK&lang=id"); !regexp.MustCompile(`id="ikm-value">\d+,\d\d<`).MatchString(id) {
			t.Error("the Indonesian IKM has no decimal comma")
		}
		for _, id := range []string{"Triwulan IV", "Desember 2026", "s.d."} {
			if strings.Contains(body, id) {
				t.Errorf("the English dashboard says %q", id)
			}
		}
		_, _, body = a.get("/admin/?unit=DUK&period=2026-11-16..2026-11-22&lang=en")
		if !strings.Contains(body, "IKM · 16–22 Nov 2026") || !strings.Contains(body, `<span class="bar-label">Q4 2026 (to 22 Nov)</span>`) {
			t.Error("a digest's week is not named as the English digest names it, or its quarter not as cut short")
		}
	})
}
