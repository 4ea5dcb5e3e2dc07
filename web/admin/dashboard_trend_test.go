package admin

import (
	"html"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"sukma/report"
	"sukma/storage"
)

var trendRow = regexp.MustCompile(`<span class="bar-label">([^<]*)</span>\s*<span class="bar"><span class="fill" style="[^"]*"></span></span>\s*<span class="bar-value">([^<]*)</span>`)

// trendOf is the dashboard's trend, one "label: value" a quarter.
func trendOf(t *testing.T, body string) []string {
	t.Helper()
	_, trend, ok := strings.Cut(body, `id="trend"`)
	if !ok {
		t.Fatal("the dashboard has no trend")
	}
	trend, _, _ = strings.Cut(trend, "</div>\n\n")
	var got []string
	for _, m := range trendRow.FindAllStringSubmatch(trend, -1) {
		got = append(got, html.UnescapeString(m[1])+": "+strings.TrimSpace(html.UnescapeString(m[2])))
	}
	return got
}

// The dashboard's trend is the report's: every quarter from the year before, those without
// respondents shown with "—", and the last, when the period ends inside it, said to be
// counted only up to the period's end.
func TestTheDashboardsTrendIsTheReports(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		headUnits(t, db)
		a := newTestAdmin(t, db, Deps{})
		_, _, body := a.get("/admin/?period=2026-11&unit=DUK")
		// Up to 30 November the fourth quarter's DUK answered 4, 3 and 2 (75,00); the 4 of
		// 3 December would make it 81,25.
		want := []string{"Triwulan I 2025: —", "Triwulan II 2025: 75,00 C", "Triwulan III 2025: —", "Triwulan IV 2025: —",
			"Triwulan I 2026: —", "Triwulan II 2026: —", "Triwulan III 2026: —", "Triwulan IV 2026 (s.d. 30 Nov): 75,00 C"}
		if got := trendOf(t, body); !slices.Equal(got, want) {
			t.Errorf("trend of November 2026\n%q\nwant\n%q", got, want)
		}
		_, _, body = a.get("/admin/?period=2026-Q4&unit=DUK")
		if got := trendOf(t, body); got[len(got)-1] != "Triwulan IV 2026: 81,25 B" {
			t.Errorf("trend of the whole quarter ends %q, want it uncut", got[len(got)-1])
		}

		// The report of the same view names the same quarters.
		status, _, xlsx := a.get("/admin/export/report.xlsx?period=2026-11&unit=DUK")
		f, err := excelize.OpenReader(strings.NewReader(xlsx))
		if status != 200 || err != nil {
			t.Fatalf("report: %d %v", status, err)
		}
		defer f.Close()
		rows, _ := f.GetRows(report.SheetRingkasan)
		var labels []string
		for _, r := range rows {
			if len(r) > 0 && strings.HasPrefix(r[0], "Triwulan ") {
				labels = append(labels, r[0])
			}
		}
		var shown []string
		for _, p := range want {
			label, _, _ := strings.Cut(p, ":")
			shown = append(shown, label)
		}
		if !slices.Equal(labels, shown) {
			t.Errorf("the report's trend %q, the dashboard's %q", labels, shown)
		}
	})
}
