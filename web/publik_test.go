package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

func TestPublik(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		samsat, err := db.CreateUnit(ctx, storage.NewUnit{Code: "SAMSAT", Name: "Samsat Surabaya Timur", Agency: "BAPENDA", AgencyName: "Badan Pendapatan Daerah"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateUnit(ctx, storage.NewUnit{Code: "XSS", Name: "<script>alert(1)</script> Puskesmas"}); err != nil {
			t.Fatal(err)
		}
		// A unit whose flow has no U9: its IKM is from eight elements.
		rsud, err := db.CreateUnit(ctx, storage.NewUnit{Code: "RSUD", Name: "RSUD Delapan Unsur"})
		if err != nil {
			t.Fatal(err)
		}
		// Units that give their population: one short of its minimum sample, one that meets it.
		short, err := db.CreateUnit(ctx, storage.NewUnit{Code: "KECIL", Name: "Kantor Kecamatan Kecil", Population: 1000})
		if err != nil {
			t.Fatal(err)
		}
		met, err := db.CreateUnit(ctx, storage.NewUnit{Code: "CUKUP", Name: "Kantor Desa Cukup", Population: 1})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC()
		cur, prev := quarters(now)
		all := func(s int) [9]int { return [9]int{s, s, s, s, s, s, s, s, s} }
		insertIKMResps(t, db,
			ikmResp{unit: samsat.ID, status: "complete", day: dayOf(now), scores: all(4)},
			ikmResp{unit: samsat.ID, status: "partial", day: dayOf(now), scores: all(1)},
			// the last day of the previous quarter counts for it; the day before it began does not
			ikmResp{unit: samsat.ID, status: "complete", day: dayOf(cur.from.AddDate(0, 0, -1)), scores: all(3)},
			ikmResp{unit: samsat.ID, status: "complete", day: dayOf(prev.from.AddDate(0, 0, -1)), scores: all(1)},
			ikmResp{unit: rsud.ID, status: "complete", day: dayOf(now), scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 0}},
			ikmResp{unit: short.ID, status: "complete", day: dayOf(prev.to), scores: all(4)},
			ikmResp{unit: short.ID, status: "complete", day: dayOf(now), scores: all(3)},
			// a population of 1 needs 1 respondent in any period: both quarters meet it
			ikmResp{unit: met.ID, status: "complete", day: dayOf(prev.to), scores: all(3)},
			ikmResp{unit: met.ID, status: "complete", day: dayOf(now), scores: all(4)},
		)
		mux := http.NewServeMux()
		ikmServer(t, db).publikRoutes(mux)
		rec := ikmGet(mux, "/publik")
		body := rec.Body.String()
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("got %d %q\n%s", rec.Code, rec.Header().Get("Content-Type"), body)
		}
		samsatCard, xssCard, rsudCard := publikCard(body, "Samsat Surabaya Timur"), publikCard(body, "Puskesmas"), publikCard(body, "RSUD Delapan Unsur")
		shortCard, metCard := publikCard(body, "Kecamatan Kecil"), publikCard(body, "Desa Cukup")
		// 1,000 users a year need 278 respondents; the previous quarter's share of them, rounded up.
		required := (278*int64(scoring.PeriodDays(prev.from, prev.to)) + 364) / 365

		checks := []struct {
			name, in, want string
		}{
			{"the page names the current quarter", body, cur.Name + " (berjalan)"},
			{"the page names the previous quarter", body, prev.Name},
			{"a unit shows its agency", samsatCard, "Badan Pendapatan Daerah"},
			{"a unit shows this quarter's IKM in Indonesian notation", samsatCard, `<span class="ikm">100,00</span> <span class="mutu mutu-A">A</span>`},
			{"a unit shows its kinerja and complete respondents only", samsatCard, "Sangat Baik · 1 responden"},
			{"a unit shows the previous quarter's IKM from its last day", samsatCard, `<span class="ikm">75,00</span> <span class="mutu mutu-C">C</span>`},
			{"a unit that meets its minimum sample in both quarters shows the change with an arrow", metCard, "▲ 25,00"},
			{"the arrow is said in words to a screen reader", metCard, `<span aria-hidden="true">▲ 25,00</span><span class="sr-only">naik 25,00</span>`},
			{"a unit without a population says its minimum sample is unknown", samsatCard,
				`Sangat Baik · 1 responden · <strong class="short">sampel minimal belum diketahui (jumlah pengguna layanan belum diisi)</strong>`},
			{"a unit without a population says why its change is not shown", samsatCard,
				"Perubahan dibanding " + prev.Name + " tidak ditampilkan: jumlah pengguna layanan belum diisi."},
			{"a unit short of its minimum sample in a quarter says why its change is not shown", shortCard,
				"Perubahan dibanding " + prev.Name + " tidak ditampilkan: sampel minimal belum terpenuhi."},
			{"the page says when a change is shown", body, "Perubahan IKM hanya ditampilkan bila kedua triwulan memenuhi sampel minimalnya"},
			{"a unit without responses says so instead of a zero", xssCard, "belum ada data"},
			{"an IKM of fewer than nine elements says from how many", rsudCard, "Kurang Baik · 1 responden · <strong class=\"short\">sampel minimal belum diketahui (jumlah pengguna layanan belum diisi)</strong> · <strong>dari 8 unsur</strong>"},
			{"the page says such an IKM is marked", body, "ditandai dengan jumlah unsurnya"},
			{"an IKM of fewer respondents than the unit's minimum sample says so", shortCard,
				fmt.Sprintf(`Sangat Baik · 1 responden · <strong class="short">sampel minimal %d belum terpenuhi</strong>`, required)},
			{"the page says what the minimum sample is", body, "Krejcie–Morgan"},
			{"a unit name is HTML-escaped", xssCard, "&lt;script&gt;alert(1)&lt;/script&gt; Puskesmas"},
		}
		for _, c := range checks {
			t.Run(c.name, func(t *testing.T) {
				if !strings.Contains(c.in, c.want) {
					t.Errorf("missing %q in\n%s", c.want, c.in)
				}
			})
		}
		t.Run("a unit without responses shows no IKM and no arrow", func(t *testing.T) {
			if strings.Contains(xssCard, `class="ikm"`) || strings.Contains(xssCard, "▲") || strings.Contains(xssCard, "0,00") {
				t.Errorf("an empty unit shows numbers:\n%s", xssCard)
			}
		})
		t.Run("a unit that meets its minimum sample says nothing of it", func(t *testing.T) {
			if !strings.Contains(metCard, "1 responden") || strings.Contains(metCard, "sampel") || strings.Contains(metCard, "tidak ditampilkan") {
				t.Errorf("a unit is marked short of its sample:\n%s", metCard)
			}
		})
		t.Run("no arrow compares an IKM short of its minimum sample, or of a unit without a population", func(t *testing.T) {
			for _, card := range []string{samsatCard, shortCard} {
				if strings.Contains(card, `class="change`) || strings.ContainsAny(card, "▲▼") {
					t.Errorf("a change is shown:\n%s", card)
				}
			}
		})
		t.Run("an IKM of nine elements says nothing of elements", func(t *testing.T) {
			if strings.Contains(samsatCard, "unsur") {
				t.Errorf("a nine-element IKM is marked:\n%s", samsatCard)
			}
		})
		t.Run("no raw script tag reaches the page", func(t *testing.T) {
			if strings.Contains(body, "<script>") {
				t.Error("the page contains <script>")
			}
		})
		t.Run("no script may run in the page", func(t *testing.T) {
			if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
				t.Errorf("Content-Security-Policy %q, want nothing but the page's own style", csp)
			}
			if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
		})
		t.Run("the home page redirects to the results", func(t *testing.T) {
			rec := ikmGet(mux, "/")
			if rec.Code != http.StatusFound || rec.Header().Get("Location") != "/publik" {
				t.Errorf("got %d to %q, want 302 to /publik", rec.Code, rec.Header().Get("Location"))
			}
		})
	})
}

func TestQuarters(t *testing.T) {
	tests := []struct {
		name, now, cur, prev string
	}{
		{"the first day of a year is in its first quarter, after the last of the year before", "2026-01-01",
			"Triwulan I 2026: 1 Januari 2026 – 1 Januari 2026", "Triwulan IV 2025: 1 Oktober 2025 – 31 Desember 2025"},
		{"the last day of March is still the first quarter", "2026-03-31",
			"Triwulan I 2026: 1 Januari 2026 – 31 Maret 2026", "Triwulan IV 2025: 1 Oktober 2025 – 31 Desember 2025"},
		{"the first of April starts the second quarter", "2026-04-01",
			"Triwulan II 2026: 1 April 2026 – 1 April 2026", "Triwulan I 2026: 1 Januari 2026 – 31 Maret 2026"},
		{"late November is the fourth quarter", "2026-11-26",
			"Triwulan IV 2026: 1 Oktober 2026 – 26 November 2026", "Triwulan III 2026: 1 Juli 2026 – 30 September 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now, _ := time.Parse("2006-01-02", tt.now)
			cur, prev := quarters(now.Add(23 * time.Hour))
			if got := cur.Name + ": " + cur.Range; got != tt.cur {
				t.Errorf("current %q, want %q", got, tt.cur)
			}
			if got := prev.Name + ": " + prev.Range; got != tt.prev {
				t.Errorf("previous %q, want %q", got, tt.prev)
			}
		})
	}
}

// publikCard returns the section of the page about the unit whose name contains name.
func publikCard(body, name string) string {
	for _, sec := range strings.Split(body, `<section class="unit">`)[1:] {
		sec, _, _ = strings.Cut(sec, "</section>")
		if strings.Contains(sec, name) {
			return sec
		}
	}
	return ""
}
