package admin

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/flows"
	"sukma/report"
	"sukma/storage"
)

// addResponse stores one complete response of the unit (and service, if not nil) on a day,
// with every element scored score.
func addResponse(t *testing.T, db *storage.DB, unit int64, service *int64, day, score int) {
	t.Helper()
	var scores [9]*int
	for i := range scores {
		scores[i] = &score
	}
	addScores(t, db, unit, service, day, fmt.Sprint(score), scores)
}

// addScores stores one complete response of the unit (and service, if not nil) on a day,
// with the elements' scores (nil: not asked); name tells its chat from the day's others.
func addScores(t *testing.T, db *storage.DB, unit int64, service *int64, day int, name string, scores [9]*int) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.FindLatestFlow(ctx, "skm"); err != nil {
		if _, err := db.PublishFlow(ctx, "skm", flows.Builtin(), "test"); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(day/10000, time.Month(day/100%100), day%100, 10, 0, 0, 0, time.UTC).UnixMilli()
	err := db.InTx(ctx, func(tx *storage.Tx) error {
		chat := fmt.Sprintf("%d-%d-%s", unit, day, name)
		rid, err := tx.Respondent("r-"+chat, at)
		if err != nil {
			return err
		}
		sid, err := tx.CreateSession(storage.Session{Channel: "web", ChatID: chat, RespondentID: rid, UnitID: unit,
			ServiceID: service, FlowID: "skm", FlowVersion: 1, Language: "id", StartedAt: at, UpdatedAt: at, ExpiresAt: at + 1})
		if err != nil {
			return err
		}
		return tx.InsertResponse(storage.Response{SessionID: sid, RespondentID: rid, UnitID: unit, ServiceID: service,
			FlowID: "skm", FlowVersion: 1, Status: storage.ResponseComplete, FinishedAt: at, LocalDay: day, Scores: scores})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The dashboard's download buttons carry its filters: the period, the unit and the service
// chosen; followed, they give the responses the dashboard counts, no more.
func TestTheDashboardsDownloadsKeepItsFilters(t *testing.T) {
	databases(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		db.Now = func() time.Time { return time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC) }
		a := newTestAdmin(t, db, Deps{})
		rsud, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO-RSUD-SBY", Name: "RSUD Surabaya", Population: 1000})
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreateUnit(ctx, storage.NewUnit{Code: "DEMO-SAMSAT", Name: "Samsat"})
		if err != nil {
			t.Fatal(err)
		}
		igd, err := db.CreateService(ctx, storage.NewService{UnitID: rsud.ID, Code: "IGD", Name: "Gawat darurat"})
		if err != nil {
			t.Fatal(err)
		}
		ranap, err := db.CreateService(ctx, storage.NewService{UnitID: rsud.ID, Code: "RANAP", Name: "Rawat inap"})
		if err != nil {
			t.Fatal(err)
		}
		addResponse(t, db, rsud.ID, &igd.ID, 20260305, 4)
		addResponse(t, db, rsud.ID, &ranap.ID, 20260610, 2)
		addResponse(t, db, rsud.ID, &igd.ID, 20251201, 3) // another year
		addResponse(t, db, other.ID, nil, 20260401, 1)    // another unit

		href := regexp.MustCompile(`id="(export-csv|export-xlsx)" href="([^"]*)"`)
		respondents := regexp.MustCompile(`<span id="respondents">(\d+)</span>`)
		for _, tt := range []struct {
			filters  string
			csvRows  int
			services []string // their names in the CSV
		}{
			{"period=2026&unit=DEMO-RSUD-SBY", 2, []string{"Gawat darurat", "Rawat inap"}},
			{"period=2026&unit=DEMO-RSUD-SBY&service=IGD", 1, []string{"Gawat darurat"}},
		} {
			t.Run(tt.filters, func(t *testing.T) {
				status, _, body := a.get("/admin/?" + tt.filters)
				if status != http.StatusOK {
					t.Fatalf("dashboard: %d", status)
				}
				// The trend's quarters are named as the period filter names them.
				if !strings.Contains(body, `<span class="bar-label">Triwulan I 2026</span>`) || !strings.Contains(body, `<span class="bar-label">Triwulan IV 2025</span>`) ||
					strings.Contains(body, `bar-label">2026-Q`) {
					t.Error("the trend does not name its quarters in Indonesian")
				}
				// A service has no population: its figures are not held to the unit's sample.
				if perUnit := strings.Contains(body, "sampel dinilai per unit"); perUnit != strings.Contains(tt.filters, "service=") {
					t.Errorf("the sample said to be the unit's: %v", perUnit)
				}
				shown := respondents.FindStringSubmatch(body)
				if shown == nil || shown[1] != fmt.Sprint(tt.csvRows) {
					t.Errorf("the dashboard counts %v respondents, want %d", shown, tt.csvRows)
				}
				links := map[string]string{}
				for _, m := range href.FindAllStringSubmatch(body, -1) {
					links[m[1]] = html.UnescapeString(m[2])
				}
				for _, id := range []string{"export-csv", "export-xlsx"} {
					for _, f := range strings.Split(tt.filters, "&") {
						if !strings.Contains(links[id], f) {
							t.Errorf("%s links to %q, which lacks %s", id, links[id], f)
						}
					}
				}

				status, _, csvBody := a.get(links["export-csv"])
				if status != http.StatusOK {
					t.Fatalf("GET %s: %d %.300s", links["export-csv"], status, csvBody)
				}
				rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\uFEFF"))).ReadAll()
				if err != nil || len(rows) != tt.csvRows+1 {
					t.Fatalf("the CSV has %d rows (%v), want %d and the header:\n%s", len(rows), err, tt.csvRows, csvBody)
				}
				var got []string
				for _, r := range rows[1:] {
					if r[1] != "DEMO-RSUD-SBY" || !strings.HasPrefix(r[0], "2026-") {
						t.Errorf("a row of another unit or year: %q", r)
					}
					got = append(got, r[3])
				}
				if strings.Join(got, ",") != strings.Join(tt.services, ",") {
					t.Errorf("services in the CSV %q, want %q", got, tt.services)
				}

				status, _, xlsx := a.get(links["export-xlsx"])
				if status != http.StatusOK {
					t.Fatalf("GET %s: %d %.300s", links["export-xlsx"], status, xlsx)
				}
				f, err := excelize.OpenReader(strings.NewReader(xlsx))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				summary, err := f.GetRows(report.SheetRingkasan)
				if err != nil {
					t.Fatal(err)
				}
				quarters := 0
				for _, r := range summary {
					if len(r) > 1 && r[0] == "Jumlah responden" && r[1] != fmt.Sprint(tt.csvRows) {
						t.Errorf("the workbook counts %s respondents, want %d", r[1], tt.csvRows)
					}
					if len(r) > 0 && strings.HasPrefix(r[0], "Triwulan ") {
						quarters++
					}
				}
				if quarters == 0 {
					t.Error("the workbook's trend does not name its quarters in Indonesian")
				}
			})
		}
		t.Run("a service the unit does not have is answered 404", func(t *testing.T) {
			status, _, body := a.get("/admin/export/responses.csv?period=2026&unit=DEMO-RSUD-SBY&service=NOPE")
			if status != http.StatusNotFound || !strings.Contains(body, "tidak ditemukan") {
				t.Errorf("%d %.200s", status, body)
			}
			status, _, body = a.get("/admin/export/report.xlsx?period=2026&service=IGD")
			if status != http.StatusBadRequest || !strings.Contains(body, "pilih unit dulu") {
				t.Errorf("a service without its unit: %d %.200s", status, body)
			}
		})
	})
}
