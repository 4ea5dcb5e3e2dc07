package storage

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"sukma/scoring"
)

// Filter selects the complete responses an aggregate counts.
type Filter struct {
	// UnitIDs are the units counted; empty means every unit.
	UnitIDs []int64
	// ServiceID, when set, counts only that service's responses.
	ServiceID *int64
	// FromDay and ToDay are local days YYYYMMDD, both inclusive; zero leaves that end open.
	FromDay, ToDay int
}

// A ServiceTally is the tally of one service. Responses given without a service form one
// ServiceTally with ServiceID 0 and empty Code and Name.
type ServiceTally struct {
	ServiceID  int64
	Code, Name string
	Tally      scoring.Tally
}

// A UnitTally is the tally of one unit.
type UnitTally struct {
	UnitID     int64
	Code, Name string
	Tally      scoring.Tally
}

// A PeriodTally is the tally of one calendar period.
type PeriodTally struct {
	// Key is the period as a number: 202601 (month), 20261 (quarter or semester 1), 2026 (year).
	Key int
	// Label is "2026-01", "2026-Q1", "2026-S1" or "2026".
	Label string
	// FromDay and ToDay are the period's first and last day, YYYYMMDD.
	FromDay, ToDay int
	Tally          scoring.Tally
}

// Periods are the period names TallyByPeriod accepts.
var Periods = []string{"month", "quarter", "semester", "year"}

// Tally returns the per-element sums and counts of the complete responses that f selects.
func (db *DB) Tally(ctx context.Context, f Filter) (scoring.Tally, error) {
	rows, err := db.aggregate(ctx, "aggregate-tally", f)
	if err != nil {
		return scoring.Tally{}, fmt.Errorf("storage: tally: %w", err)
	}
	defer rows.Close()
	var t scoring.Tally
	if rows.Next() {
		if err := scanTally(rows, &t); err != nil {
			return scoring.Tally{}, fmt.Errorf("storage: tally: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return scoring.Tally{}, fmt.Errorf("storage: tally: %w", err)
	}
	return t, nil
}

// TallyByService returns one tally per service that has responses in f, ordered by code
// (responses without a service first).
func (db *DB) TallyByService(ctx context.Context, f Filter) ([]ServiceTally, error) {
	rows, err := db.aggregate(ctx, "aggregate-tally-by-service", f)
	if err != nil {
		return nil, fmt.Errorf("storage: tally by service: %w", err)
	}
	defer rows.Close()
	out := []ServiceTally{}
	for rows.Next() {
		var s ServiceTally
		if err := scanTally(rows, &s.Tally, &s.ServiceID, &s.Code, &s.Name); err != nil {
			return nil, fmt.Errorf("storage: tally by service: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: tally by service: %w", err)
	}
	// Sorted here, not in SQL: the databases collate text differently.
	slices.SortFunc(out, func(a, b ServiceTally) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// TallyByUnit returns one tally per unit that has responses in f, ordered by unit code.
func (db *DB) TallyByUnit(ctx context.Context, f Filter) ([]UnitTally, error) {
	rows, err := db.aggregate(ctx, "aggregate-tally-by-unit", f)
	if err != nil {
		return nil, fmt.Errorf("storage: tally by unit: %w", err)
	}
	defer rows.Close()
	out := []UnitTally{}
	for rows.Next() {
		var u UnitTally
		if err := scanTally(rows, &u.Tally, &u.UnitID, &u.Code, &u.Name); err != nil {
			return nil, fmt.Errorf("storage: tally by unit: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: tally by unit: %w", err)
	}
	slices.SortFunc(out, func(a, b UnitTally) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// UnitSamples are the parts of a pooled sample check (scoring.PooledSample) over f's period:
// one per unit of f.UnitIDs (or every unit), with its population and respondents.
func (db *DB) UnitSamples(ctx context.Context, f Filter) ([]scoring.UnitSample, error) {
	units, err := db.FindUnits(ctx)
	if err != nil {
		return nil, err
	}
	byUnit, err := db.TallyByUnit(ctx, f)
	if err != nil {
		return nil, err
	}
	respondents := map[int64]int64{}
	for _, t := range byUnit {
		respondents[t.UnitID] = t.Tally.Respondents
	}
	var parts []scoring.UnitSample
	for _, u := range units {
		if len(f.UnitIDs) == 0 || slices.Contains(f.UnitIDs, u.ID) {
			parts = append(parts, scoring.UnitSample{Population: u.Population, Respondents: respondents[u.ID], Retired: u.RetiredAt != nil})
		}
	}
	return parts, nil
}

// ReportContext is what the SKM report shows beside the tally of f (f.ToDay set): the minimum
// sample check over its days (one unit's, or the units' pooled; nil when no unit has a
// population), and the trend: the tally of each quarter of the calendar year before f's end
// and of its year up to f's end, oldest first. Every quarter is there, one without responses
// with an empty tally: a trend that skips them reads as if the survey ran on. The last
// quarter is counted only up to f.ToDay, which falls before its ToDay when f ends inside it.
func (db *DB) ReportContext(ctx context.Context, f Filter, days int) (*scoring.Sample, []PeriodTally, error) {
	parts, err := db.UnitSamples(ctx, f)
	if err != nil {
		return nil, nil, fmt.Errorf("storage: report: %w", err)
	}
	sample := scoring.PooledSample(parts, days)
	if len(parts) == 1 && parts[0].Population > 0 {
		s := scoring.NewPeriodSample(parts[0].Population, parts[0].Respondents, days)
		sample = &s
	}
	tf := f
	tf.FromDay = (f.ToDay/10000-1)*10000 + 101
	counted, err := db.TallyByPeriod(ctx, tf, "quarter")
	if err != nil {
		return sample, nil, err
	}
	byKey := map[int]PeriodTally{}
	for _, p := range counted {
		byKey[p.Key] = p
	}
	var trend []PeriodTally
	for key := tf.FromDay/10000*10 + 1; ; key++ {
		if key%10 == 5 {
			key += 6 // from Q4 to Q1 of the next year
		}
		p, ok := byKey[key]
		if !ok {
			p.Key = key
			p.Label, p.FromDay, p.ToDay = periodOf("quarter", key)
		}
		if p.FromDay > f.ToDay {
			return sample, trend, nil
		}
		trend = append(trend, p)
	}
}

// TallyByPeriod returns one tally per calendar period (month, quarter, semester or year of
// local_day) that has responses in f, oldest first. Periods without responses are left out.
func (db *DB) TallyByPeriod(ctx context.Context, f Filter, period string) ([]PeriodTally, error) {
	if !slices.Contains(Periods, period) {
		return nil, fmt.Errorf("storage: period %q is not one of %s", period, strings.Join(Periods, ", "))
	}
	rows, err := db.aggregate(ctx, "aggregate-tally-by-period", f, period)
	if err != nil {
		return nil, fmt.Errorf("storage: tally by %s: %w", period, err)
	}
	defer rows.Close()
	out := []PeriodTally{}
	for rows.Next() {
		var p PeriodTally
		if err := scanTally(rows, &p.Tally, &p.Key); err != nil {
			return nil, fmt.Errorf("storage: tally by %s: %w", period, err)
		}
		p.Label, p.FromDay, p.ToDay = periodOf(period, p.Key)
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("storage: tally by %s: %w", period, err)
	}
	return out, nil
}

// PeriodName is a period key of TallyByPeriod in Indonesian, as users read it: "Januari 2026",
// "Triwulan III 2026", "Semester I 2026", "2026". (Label, "2026-Q3", is the key of the API's
// JSON, a contract; this is for pages and workbooks.)
func PeriodName(period string, key int) string {
	romawi := [...]string{"I", "II", "III", "IV"}
	switch period {
	case "month":
		return fmt.Sprintf("%s %d", bulan[key%100-1], key/100)
	case "quarter":
		return fmt.Sprintf("Triwulan %s %d", romawi[key%10-1], key/10)
	case "semester":
		return fmt.Sprintf("Semester %s %d", romawi[key%10-1], key/10)
	}
	return fmt.Sprint(key)
}

var bulan = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// periodOf returns the label and the first and last day of a period key.
func periodOf(period string, key int) (label string, from, to int) {
	span := func(year, m1, m2 int) (int, int) {
		last := time.Date(year, time.Month(m2)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		return year*10000 + m1*100 + 1, year*10000 + m2*100 + last
	}
	switch period {
	case "month":
		from, to = span(key/100, key%100, key%100)
		return fmt.Sprintf("%04d-%02d", key/100, key%100), from, to
	case "quarter":
		q := key % 10
		from, to = span(key/10, 3*q-2, 3*q)
		return fmt.Sprintf("%04d-Q%d", key/10, q), from, to
	case "semester":
		s := key % 10
		from, to = span(key/10, 6*s-5, 6*s)
		return fmt.Sprintf("%04d-S%d", key/10, s), from, to
	}
	from, to = span(key, 1, 12)
	return fmt.Sprintf("%04d", key), from, to
}

// aggregate runs a named aggregate query with f's conditions. lead are the arguments of
// placeholders before the WHERE clause.
func (db *DB) aggregate(ctx context.Context, name string, f Filter, lead ...any) (*sqlx.Rows, error) {
	text, err := queryText(db.Dialect, name)
	if err != nil {
		return nil, err
	}
	to := f.ToDay
	if to == 0 {
		to = 99991231
	}
	args := append(lead, f.FromDay, to)
	var cond strings.Builder
	if len(f.UnitIDs) > 0 {
		cond.WriteString(" AND r.unit_id IN (?)")
		args = append(args, f.UnitIDs)
	}
	if f.ServiceID != nil {
		cond.WriteString(" AND r.service_id = ?")
		args = append(args, *f.ServiceID)
	}
	q, args, err := sqlx.In(strings.Replace(text, "/*filter*/", cond.String(), 1), args...)
	if err != nil {
		return nil, err
	}
	return db.QueryxContext(ctx, db.Rebind(q), args...)
}

// scanTally scans the lead columns into lead and the element columns into t.
func scanTally(rows *sqlx.Rows, t *scoring.Tally, lead ...any) error {
	dest := append(lead, &t.Respondents)
	for i := range t.Sum {
		dest = append(dest, &t.Sum[i], &t.N[i])
	}
	return rows.Scan(dest...)
}

// aggregateTexts caches the aggregate queries' text per dialect: they are run with a filter
// built at call time, so the prepared statements (which check them at start) are not used.
var aggregateTexts sync.Map // Dialect → map[string]string

func queryText(d Dialect, name string) (string, error) {
	qs, ok := aggregateTexts.Load(d)
	if !ok {
		loaded, err := loadQueries(d)
		if err != nil {
			return "", err
		}
		qs, _ = aggregateTexts.LoadOrStore(d, loaded)
	}
	text, ok := qs.(map[string]string)[name]
	if !ok {
		return "", fmt.Errorf("no query named %s", name)
	}
	return text, nil
}

// A Count is how many respondents gave one answer to a profile question.
type Count struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// NotAnswered is the Key of the respondents who left a profile question empty.
const NotAnswered = "tidak diisi"

// A Profile counts the respondents of a Filter by the questions of the standard form. Each
// list has the standard answers first, in the form's order and with zero counts, then any
// other answer found (from a custom flow) sorted, then NotAnswered when some left it empty.
type Profile struct {
	JenisKelamin []Count `json:"jenis_kelamin"`
	Usia         []Count `json:"usia"`
	Pendidikan   []Count `json:"pendidikan"`
	Pekerjaan    []Count `json:"pekerjaan"`
}

// The standard answers of each profile question; usia is counted in scoring.AgeBands (the
// query's CASE draws the same lines), with scoring.AgeUnder15 shown only when counted.
var (
	jenisKelaminKeys = []string{"L", "P"}
	pendidikanKeys   = []string{"SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3"}
	pekerjaanKeys    = []string{"PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"}
)

// Profile counts the complete responses of f by jenis kelamin, usia band, pendidikan and
// pekerjaan.
func (db *DB) Profile(ctx context.Context, f Filter) (Profile, error) {
	rows, err := db.aggregate(ctx, "aggregate-profile", f)
	if err != nil {
		return Profile{}, fmt.Errorf("storage: profile: %w", err)
	}
	defer rows.Close()
	counts := map[string]map[string]int64{}
	for rows.Next() {
		var dim, key string
		var n int64
		if err := rows.Scan(&dim, &key, &n); err != nil {
			return Profile{}, fmt.Errorf("storage: profile: %w", err)
		}
		if counts[dim] == nil {
			counts[dim] = map[string]int64{}
		}
		counts[dim][key] += n
	}
	if err := rows.Err(); err != nil {
		return Profile{}, fmt.Errorf("storage: profile: %w", err)
	}
	return Profile{
		JenisKelamin: ordered(counts["jenis_kelamin"], jenisKelaminKeys),
		Usia:         ordered(counts["usia"], scoring.AgeBands, scoring.AgeUnder15),
		Pendidikan:   ordered(counts["pendidikan"], pendidikanKeys),
		Pekerjaan:    ordered(counts["pekerjaan"], pekerjaanKeys),
	}, nil
}

// ordered lists counts as Profile documents. rare are keys put before the standard ones, only
// when counted.
func ordered(counts map[string]int64, standard []string, rare ...string) []Count {
	out := make([]Count, 0, len(standard)+2)
	for _, k := range rare {
		if n := counts[k]; n > 0 {
			out = append(out, Count{k, n})
		}
	}
	for _, k := range standard {
		out = append(out, Count{k, counts[k]})
	}
	var other []string
	for k := range counts {
		if k != "" && !slices.Contains(standard, k) && !slices.Contains(rare, k) {
			other = append(other, k)
		}
	}
	slices.Sort(other)
	for _, k := range other {
		out = append(out, Count{k, counts[k]})
	}
	if n := counts[""]; n > 0 {
		out = append(out, Count{NotAnswered, n})
	}
	return out
}
