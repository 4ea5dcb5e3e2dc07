package storage_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"sukma/scoring"
	"sukma/storage"
	"sukma/storage/storagetest"
)

// A row is one response as the aggregate tests insert it. A zero score, a zero usia and
// an empty text are stored as NULL.
type row struct {
	unit    int64
	service int64 // 0: none
	status  string
	day     int
	scores  [9]int
	jk      string
	usia    int
	pend    string
	pek     string
}

func all(s int) [9]int { return [9]int{s, s, s, s, s, s, s, s, s} }

// insertRows inserts rows with plain multi-row INSERTs in one transaction, with the flow,
// respondent and session rows their foreign keys need.
func insertRows(tb testing.TB, db *storage.DB, rows []row) {
	tb.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range []string{
		"INSERT INTO flows (id, version, source, published_by, published_at) VALUES ('skm', 1, '', 'test', 0) ON CONFLICT DO NOTHING",
		"INSERT INTO respondents (id, pseudonym, created_at) VALUES (1, 'test', 0) ON CONFLICT DO NOTHING",
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			tb.Fatalf("%s: %v", q, err)
		}
	}
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM sessions").Scan(&next); err != nil {
		tb.Fatal(err)
	}
	const batch = 1000
	var sessions, responses strings.Builder
	flush := func() {
		if sessions.Len() == 0 {
			return
		}
		for _, q := range []string{
			"INSERT INTO sessions (id, channel, respondent_id, unit_id, service_id, flow_id, flow_version, state, started_at, updated_at, expires_at) VALUES " + sessions.String(),
			"INSERT INTO responses (session_id, respondent_id, unit_id, service_id, flow_id, flow_version, status, finished_at, local_day, u1, u2, u3, u4, u5, u6, u7, u8, u9, jenis_kelamin, usia, pendidikan, pekerjaan) VALUES " + responses.String(),
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				tb.Fatalf("insert responses: %v", err)
			}
		}
		sessions.Reset()
		responses.Reset()
	}
	for i, r := range rows {
		if i%batch != 0 {
			sessions.WriteByte(',')
			responses.WriteByte(',')
		}
		id := next + int64(i)
		svc := nullInt(int(r.service))
		fmt.Fprintf(&sessions, "(%d,'web',1,%d,%s,'skm',1,'done',0,0,0)", id, r.unit, svc)
		fmt.Fprintf(&responses, "(%d,1,%d,%s,'skm',1,'%s',0,%d", id, r.unit, svc, r.status, r.day)
		for _, s := range r.scores {
			responses.WriteString("," + nullInt(s))
		}
		fmt.Fprintf(&responses, ",%s,%s,%s,%s)", nullText(r.jk), nullInt(r.usia), nullText(r.pend), nullText(r.pek))
		if i%batch == batch-1 {
			flush()
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

func nullInt(n int) string {
	if n == 0 {
		return "NULL"
	}
	return fmt.Sprint(n)
}

func nullText(s string) string {
	if s == "" {
		return "NULL"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// tallyOf is the reference: the scoring package's own count of the complete rows.
func tallyOf(t *testing.T, rows ...row) scoring.Tally {
	t.Helper()
	var tl scoring.Tally
	for _, r := range rows {
		if r.status == "complete" {
			if err := tl.AddResponse(r.scores); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tl
}

func TestAggregates(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		ctx := context.Background()
		a, b, c := newUnit(t, db, "A"), newUnit(t, db, "B"), newUnit(t, db, "C")
		ktp, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KTP", Name: "Kartu Tanda Penduduk"})
		if err != nil {
			t.Fatal(err)
		}
		kk, err := db.CreateService(ctx, storage.NewService{UnitID: a.ID, Code: "KK", Name: "Kartu Keluarga"})
		if err != nil {
			t.Fatal(err)
		}
		r1 := row{a.ID, ktp.ID, "complete", 20260331, all(4), "L", 20, "SMA", "PNS"}
		r2 := row{a.ID, kk.ID, "complete", 20260401, [9]int{3, 2}, "P", 30, "S1", "SWASTA"}
		r3 := row{a.ID, 0, "complete", 20260115, [9]int{3, 3, 3, 3, 3, 3, 3, 3, 0}, "", 0, "", ""}
		r4 := row{a.ID, ktp.ID, "partial", 20260331, all(1), "L", 40, "SD", "TNI"}
		r5 := row{b.ID, 0, "complete", 20260701, all(2), "L", 70, "Pesantren", "WIRAUSAHA"}
		r6 := row{b.ID, 0, "complete", 20251231, all(1), "P", 14, "SD", "PNS"}
		// r7 completed the survey but skipped every element (a flow may make them optional):
		// not a respondent, so it counts nowhere, its profile included.
		r7 := row{a.ID, ktp.ID, "complete", 20260331, [9]int{}, "P", 50, "S2", "POLRI"}
		r8 := row{c.ID, 0, "complete", 20260601, [9]int{}, "L", 50, "S2", "POLRI"} // unit C has no respondent
		insertRows(t, db, []row{r1, r2, r3, r4, r5, r6, r7, r8})
		year := storage.Filter{FromDay: 20260101, ToDay: 20261231}
		onlyA := year
		onlyA.UnitIDs = []int64{a.ID}

		t.Run("a unit's year counts sums and answers per element, without partial responses or NULLs", func(t *testing.T) {
			got, err := db.Tally(ctx, onlyA)
			if err != nil {
				t.Fatal(err)
			}
			want := scoring.Tally{
				Respondents: 3,
				Sum:         [9]int64{10, 9, 7, 7, 7, 7, 7, 7, 4},
				N:           [9]int64{3, 3, 2, 2, 2, 2, 2, 2, 1},
			}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})

		tallies := []struct {
			name string
			f    storage.Filter
			want scoring.Tally
		}{
			{"every unit pooled counts both units", year, tallyOf(t, r1, r2, r3, r5, r7, r8)},
			{"two unit ids are counted with IN", storage.Filter{UnitIDs: []int64{a.ID, b.ID}}, tallyOf(t, r1, r2, r3, r5, r6)},
			{"a service counts only its responses", storage.Filter{UnitIDs: []int64{a.ID}, ServiceID: &ktp.ID}, tallyOf(t, r1, r7)},
			{"the last day of a range is included", storage.Filter{FromDay: 20260101, ToDay: 20260331}, tallyOf(t, r1, r3, r7)},
			{"the first day of a range is included", storage.Filter{FromDay: 20260401, ToDay: 20260401}, tallyOf(t, r2)},
			{"a range without responses is the empty tally", storage.Filter{FromDay: 20270101, ToDay: 20271231}, scoring.Tally{}},
			{"a unit without responses is the empty tally", storage.Filter{UnitIDs: []int64{b.ID + 1000}}, scoring.Tally{}},
			{"a unit without respondents is the empty tally", storage.Filter{UnitIDs: []int64{c.ID}}, scoring.Tally{}},
		}
		for _, tt := range tallies {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.Tally(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
			})
		}

		t.Run("by service gives each service and the responses without one", func(t *testing.T) {
			got, err := db.TallyByService(ctx, onlyA)
			if err != nil {
				t.Fatal(err)
			}
			want := []storage.ServiceTally{
				{0, "", "", tallyOf(t, r3)},
				{kk.ID, "KK", "Kartu Keluarga", tallyOf(t, r2)},
				{ktp.ID, "KTP", "Kartu Tanda Penduduk", tallyOf(t, r1, r7)},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})

		t.Run("by unit gives each unit with respondents, for the league table", func(t *testing.T) {
			got, err := db.TallyByUnit(ctx, year)
			if err != nil {
				t.Fatal(err)
			}
			want := []storage.UnitTally{
				{a.ID, "A", "Unit A", tallyOf(t, r1, r2, r3, r7)},
				{b.ID, "B", "Unit B", tallyOf(t, r5)},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})

		periods := []struct {
			period string
			f      storage.Filter
			want   []storage.PeriodTally
		}{
			{"month", onlyA, []storage.PeriodTally{
				{202601, "2026-01", 20260101, 20260131, tallyOf(t, r3)},
				{202603, "2026-03", 20260301, 20260331, tallyOf(t, r1)},
				{202604, "2026-04", 20260401, 20260430, tallyOf(t, r2)},
			}},
			{"quarter", onlyA, []storage.PeriodTally{
				{20261, "2026-Q1", 20260101, 20260331, tallyOf(t, r1, r3)},
				{20262, "2026-Q2", 20260401, 20260630, tallyOf(t, r2)},
			}},
			{"semester", storage.Filter{}, []storage.PeriodTally{
				{20252, "2025-S2", 20250701, 20251231, tallyOf(t, r6)},
				{20261, "2026-S1", 20260101, 20260630, tallyOf(t, r1, r2, r3)},
				{20262, "2026-S2", 20260701, 20261231, tallyOf(t, r5)},
			}},
			{"year", storage.Filter{}, []storage.PeriodTally{
				{2025, "2025", 20250101, 20251231, tallyOf(t, r6)},
				{2026, "2026", 20260101, 20261231, tallyOf(t, r1, r2, r3, r5, r7)},
			}},
		}
		for _, tt := range periods {
			t.Run("by "+tt.period+" puts each response in its calendar period", func(t *testing.T) {
				got, err := db.TallyByPeriod(ctx, tt.f, tt.period)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got  %+v\nwant %+v", got, tt.want)
				}
			})
		}

		t.Run("an unknown period is refused", func(t *testing.T) {
			if _, err := db.TallyByPeriod(ctx, year, "week"); err == nil {
				t.Error("TallyByPeriod(week) succeeded")
			}
		})

		t.Run("the profile counts standard answers, others and unanswered, in order, and not r7", func(t *testing.T) {
			got, err := db.Profile(ctx, storage.Filter{})
			if err != nil {
				t.Fatal(err)
			}
			want := storage.Profile{
				JenisKelamin: []storage.Count{{"L", 2}, {"P", 2}, {"tidak diisi", 1}},
				Usia: []storage.Count{{"<15", 1}, {"15–24", 1}, {"25–34", 1}, {"35–44", 0},
					{"45–54", 0}, {"55–64", 0}, {"≥65", 1}, {"tidak diisi", 1}},
				Pendidikan: []storage.Count{{"SD", 1}, {"SMP", 0}, {"SMA", 1}, {"D1-D3", 0},
					{"S1", 1}, {"S2", 0}, {"S3", 0}, {"Pesantren", 1}, {"tidak diisi", 1}},
				Pekerjaan: []storage.Count{{"PNS", 2}, {"TNI", 0}, {"POLRI", 0}, {"SWASTA", 1},
					{"WIRAUSAHA", 1}, {"LAINNYA", 0}, {"tidak diisi", 1}},
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})

		t.Run("the profile of a service counts only its responses", func(t *testing.T) {
			got, err := db.Profile(ctx, storage.Filter{UnitIDs: []int64{a.ID}, ServiceID: &kk.ID})
			if err != nil {
				t.Fatal(err)
			}
			if got.JenisKelamin[1] != (storage.Count{Key: "P", Count: 1}) || got.JenisKelamin[0].Count != 0 || len(got.JenisKelamin) != 2 {
				t.Errorf("jenis kelamin = %+v, want only one P", got.JenisKelamin)
			}
		})
	})
}

func TestProfileAgeBandsAreScorings(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		u := newUnit(t, db, "A")
		var rows []row
		want := map[string]int64{}
		for age := 1; age <= 120; age++ {
			rows = append(rows, row{u.ID, 0, "complete", 20260301, all(3), "L", age, "SMA", "PNS"})
			want[scoring.AgeBand(age)]++
		}
		insertRows(t, db, rows)
		p, err := db.Profile(context.Background(), storage.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, c := range p.Usia {
			got[c.Key] = c.Count
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the query's bands %v, scoring.AgeBand's %v", got, want)
		}
	})
}

// BenchmarkTallyMillion inserts 1,000,000 responses of 100 units over two years (2025–2026),
// then times the IKM queries. It runs on SQLite, and on PostgreSQL when
// SUKMA_TEST_POSTGRES_URL is set:
//
//	go test ./storage -run '^$' -bench TallyMillion -benchtime 10x
func BenchmarkTallyMillion(b *testing.B) {
	for _, d := range []struct {
		name string
		open func(testing.TB) *storage.DB
	}{{"sqlite", storagetest.SQLite}, {"postgres", storagetest.Postgres}} {
		b.Run(d.name, func(b *testing.B) {
			db := d.open(b)
			ctx := context.Background()
			const units, total = 100, 1_000_000
			ids := make([]int64, units)
			for i := range ids {
				u, err := db.CreateUnit(ctx, storage.NewUnit{Code: fmt.Sprintf("U%03d", i), Name: "Unit"})
				if err != nil {
					b.Fatal(err)
				}
				ids[i] = u.ID
			}
			rng := rand.New(rand.NewPCG(1, 2))
			start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			rows := make([]row, total)
			for i := range rows {
				d := start.AddDate(0, 0, rng.IntN(730))
				r := row{unit: ids[rng.IntN(units)], status: "complete", day: d.Year()*10000 + int(d.Month())*100 + d.Day(),
					jk: []string{"L", "P"}[rng.IntN(2)], usia: 15 + rng.IntN(60), pend: "SMA", pek: "SWASTA"}
				if rng.IntN(20) == 0 {
					r.status = "partial"
				}
				for j := range r.scores {
					r.scores[j] = rng.IntN(5) // 0: not answered
				}
				rows[i] = r
			}
			began := time.Now()
			insertRows(b, db, rows)
			b.Logf("%s: inserted %d responses in %v", d.name, total, time.Since(began).Round(time.Millisecond))
			// What autovacuum does on PostgreSQL after a bulk load; it lets the planner use
			// index-only scans on the covering indexes.
			analyze := "ANALYZE"
			if db.Dialect == storage.Postgres {
				analyze = "VACUUM ANALYZE responses"
			}
			if _, err := db.ExecContext(ctx, analyze); err != nil {
				b.Fatal(err)
			}
			year := storage.Filter{FromDay: 20260101, ToDay: 20261231}
			oneUnit := year
			oneUnit.UnitIDs = ids[:1]
			for _, bm := range []struct {
				name string
				run  func() (int64, error)
			}{
				{"Tally one unit one year", func() (int64, error) { t, err := db.Tally(ctx, oneUnit); return t.Respondents, err }},
				{"Tally all units one year", func() (int64, error) { t, err := db.Tally(ctx, year); return t.Respondents, err }},
				{"TallyByUnit all units one year", func() (int64, error) { us, err := db.TallyByUnit(ctx, year); return int64(len(us)), err }},
				{"TallyByPeriod one unit by month", func() (int64, error) {
					ps, err := db.TallyByPeriod(ctx, storage.Filter{UnitIDs: ids[:1]}, "month")
					return int64(len(ps)), err
				}},
			} {
				b.Run(bm.name, func(b *testing.B) {
					for b.Loop() {
						n, err := bm.run()
						if err != nil {
							b.Fatal(err)
						}
						if n == 0 {
							b.Fatal("counted nothing")
						}
					}
				})
			}
		})
	}
}

func TestPeriodNamesAreIndonesian(t *testing.T) {
	for _, tt := range []struct {
		period string
		key    int
		want   string
	}{
		{"month", 202601, "Januari 2026"}, {"month", 202612, "Desember 2026"},
		{"quarter", 20261, "Triwulan I 2026"}, {"quarter", 20263, "Triwulan III 2026"}, {"quarter", 20264, "Triwulan IV 2026"},
		{"semester", 20262, "Semester II 2026"}, {"year", 2026, "2026"},
	} {
		if got := storage.PeriodName(tt.period, tt.key); got != tt.want {
			t.Errorf("PeriodName(%q, %d) = %q, want %q", tt.period, tt.key, got, tt.want)
		}
	}
}

// The report's trend gives every quarter from the year before up to the report's end, those
// without responses too, and counts the last only up to that end (the report labels it so).
func TestTheReportTrendHasEveryQuarterUpToTheReportsEnd(t *testing.T) {
	storagetest.Each(t, func(t *testing.T, db *storage.DB) {
		u := newUnit(t, db, "A")
		insertRows(t, db, []row{
			{unit: u.ID, status: "complete", day: 20250510, scores: all(3)},
			{unit: u.ID, status: "complete", day: 20261005, scores: all(4)},
			{unit: u.ID, status: "complete", day: 20261120, scores: all(2)},
			{unit: u.ID, status: "complete", day: 20261210, scores: all(1)}, // after the report
		})
		_, trend, err := db.ReportContext(context.Background(), storage.Filter{UnitIDs: []int64{u.ID}, FromDay: 20261101, ToDay: 20261130}, 30)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range trend {
			got = append(got, fmt.Sprintf("%s:%d:%d", p.Label, p.Tally.Respondents, p.ToDay))
		}
		want := []string{"2025-Q1:0:20250331", "2025-Q2:1:20250630", "2025-Q3:0:20250930", "2025-Q4:0:20251231",
			"2026-Q1:0:20260331", "2026-Q2:0:20260630", "2026-Q3:0:20260930", "2026-Q4:2:20261231"}
		if !slices.Equal(got, want) {
			t.Errorf("trend\n%v\nwant\n%v", got, want)
		}
	})
}
