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
