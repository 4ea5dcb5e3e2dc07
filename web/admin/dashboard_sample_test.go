package admin

import (
	"context"
	"strings"
	"testing"
	"time"

	"sukma/storage"
	"sukma/storage/storagetest"
)

// The dashboard holds a quarter to a quarter's share of the yearly minimum sample, as the
// digests do, and a year to the year's.
func TestTheDashboardProratesTheMinimumSample(t *testing.T) {
	db := storagetest.SQLite(t)
	db.Now = func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
	a := newTestAdmin(t, db, Deps{})
	if _, err := db.CreateUnit(context.Background(), storage.NewUnit{Code: "DUK", Name: "Dukcapil", Population: 1000}); err != nil {
		t.Fatal(err)
	}
	// 1,000 service users a year: 278 respondents a year (Krejcie–Morgan), and for the 92
	// days of the third quarter 278 × 92 / 365 rounded up, 71. A period under way is held to
	// its days up to today, 26 November, as /publik and the API hold it: the fourth quarter's
	// 57 days, 44, and the year's 330, 252.
	for period, want := range map[string]string{"2026-Q3": "0 / 71", "2026-Q4": "0 / 44", "2026": "0 / 252", "2025": "0 / 278"} {
		status, _, body := a.get("/admin/?period=" + period)
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("dashboard of %s: %d, want the row to read %q", period, status, want)
		}
	}
	if periodDays(20261001, 20261231) != 92 || periodDays(20240101, 20241231) != 366 {
		t.Errorf("periodDays is off")
	}
}

// A retired unit without respondents in the period has no row, as it has no part in the
// pooled sample: the dashboard listed it "0 / 24 belum memenuhi" after the API and the
// workbook had dropped it. With respondents it keeps its row, marked retired, and chosen
// by itself it shows.
func TestTheDashboardLeavesOutUnitsRetiredBeforeThePeriod(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
		a := newTestAdmin(t, db, Deps{})
		var units []storage.Unit
		for _, code := range []string{"OPEN", "GONE", "LATE"} {
			u, err := db.CreateUnit(ctx, storage.NewUnit{Code: code, Name: "Unit " + code, Population: 1000})
			if err != nil {
				t.Fatal(err)
			}
			units = append(units, u)
		}
		addResponse(t, db, units[2].ID, nil, 20261110, 4) // LATE answered, then retired
		for _, u := range units[1:] {
			if err := db.RetireUnit(ctx, u.ID); err != nil {
				t.Fatal(err)
			}
		}
		_, _, body := a.get("/admin/?period=2026-11")
		table := between(body, `id="units-table"`, `</table>`)
		if !strings.Contains(table, "Unit OPEN") || strings.Contains(table, "Unit GONE") {
			t.Errorf("the units' rows: want OPEN and not GONE (retired, no respondents):\n%s", table)
		}
		if !strings.Contains(table, `Unit LATE</a> <span class="muted">(nonaktif)</span>`) {
			t.Errorf("LATE, retired with a respondent in the period, is not listed as retired:\n%s", table)
		}
		if _, _, body = a.get("/admin/?period=2026-11&unit=GONE"); !strings.Contains(between(body, `id="units-table"`, `</table>`), "Unit GONE") {
			t.Errorf("GONE chosen by itself has no row")
		}
	})
}
