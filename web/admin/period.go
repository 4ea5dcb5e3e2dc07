package admin

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"sukma/digest"
	"sukma/storage"
)

// period is a reporting period of the dashboard: a month, a quarter, a semester, a year, or
// any run of days (a digest's week). Key is digest.Period.Key, which the digest's dashboard
// link carries, so that a link opens the digest's own period.
type period struct {
	Key, Label     string
	LabelEn        string // Label on the English pages: "Q4 2026", "November 2026"
	FromDay, ToDay int
}

// Name is the period's name in a page's language.
func (p period) Name(lang string) string {
	if lang == "en" {
		return p.LabelEn
	}
	return p.Label
}

// sampleTo is the last day the minimum sample of the period is prorated to: today, for a
// period under way (the API's default period and /publik count up to today too), else
// its last day. A quarter on its 68th day is held to 68 days' share of the yearly minimum,
// so that "memenuhi" says whether the unit is on track, and the pages agree on it.
func (p period) sampleTo(now time.Time) int {
	if today := day(now); p.FromDay <= today && today < p.ToDay {
		return today
	}
	return p.ToDay
}

// periodGroup is one <optgroup> of the period filter.
type periodGroup struct {
	Label   string
	Periods []period
}

// periods lists the choices of the period filter, newest first: the last eight quarters
// (the first, this quarter, is the default), the last 24 months, this year and last year.
func periods(now time.Time) []periodGroup {
	y, m := now.Year(), int(now.Month())
	quarters, months := periodGroup{Label: "Triwulan"}, periodGroup{Label: "Bulan"}
	for i := range 8 {
		from := time.Date(y, time.Month((m-1)/3*3+1-3*i), 1, 0, 0, 0, 0, time.UTC)
		quarters.Periods = append(quarters.Periods, named(from, from.AddDate(0, 3, -1)))
	}
	for i := range 24 {
		from := time.Date(y, time.Month(m-i), 1, 0, 0, 0, 0, time.UTC)
		months.Periods = append(months.Periods, named(from, from.AddDate(0, 1, -1)))
	}
	years := periodGroup{Label: "Tahun"}
	for _, y := range []int{y, y - 1} {
		years.Periods = append(years.Periods, named(time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)))
	}
	return []periodGroup{quarters, months, years}
}

// named is the period from one day to another, both included, with its key and its name:
// "Triwulan IV 2026", "November 2026", "Tahun 2026", or as the digest names a run of days,
// "16–22 Nov 2026".
func named(from, to time.Time) period {
	p := digest.Period{From: from, To: to}
	key, label, en := p.Key(), digest.PeriodName(p, "id"), digest.PeriodName(p, "en")
	switch {
	case len(key) == 4:
		label, en = "Tahun "+key, "Year "+key
	case key[5] == 'Q':
		label, en = storage.PeriodName("quarter", from.Year()*10+int(key[6]-'0')), quarterEn(from.Year()*10+int(key[6]-'0'))
	case key[5] == 'S':
		label = storage.PeriodName("semester", from.Year()*10+int(key[6]-'0'))
		en = fmt.Sprintf("H%c %d", key[6], from.Year())
	}
	return period{Key: key, Label: label, LabelEn: en, FromDay: day(from), ToDay: day(to)}
}

// quarterEn is storage.PeriodName's quarter (year*10 + quarter) in English: "Q4 2026".
func quarterEn(key int) string { return fmt.Sprintf("Q%d %d", key%10, key/10) }

func day(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

var calendarKey = regexp.MustCompile(`^(\d{4})(?:-(?:Q([1-4])|S([12])|(0[1-9]|1[0-2])))?$`)

// parsePeriod reads a period key: "2026", "2026-S2", "2026-Q4", "2026-11", or a run of days
// "2026-11-16..2026-11-22" (both included). A run of days that is a whole month, quarter,
// semester or year is that period, under its key. ok is false for anything else.
func parsePeriod(key string) (p period, ok bool) {
	if m := calendarKey.FindStringSubmatch(key); m != nil {
		y, _ := strconv.Atoi(m[1])
		first, months := 1, 12
		switch {
		case m[2] != "":
			first, months = 3*int(m[2][0]-'0')-2, 3
		case m[3] != "":
			first, months = 6*int(m[3][0]-'0')-5, 6
		case m[4] != "":
			first, months = int(m[4][0]-'0')*10+int(m[4][1]-'0'), 1
		}
		from := time.Date(y, time.Month(first), 1, 0, 0, 0, 0, time.UTC)
		return named(from, from.AddDate(0, months, -1)), true
	}
	r, err := digest.ParsePeriod(key, time.UTC)
	if err != nil {
		return p, false
	}
	return named(r.From, r.To), true
}

// periodForms says which period keys parsePeriod reads, for a notice about one it did not.
const periodForms = "Tulis misalnya 2026-11 (bulan), 2026-Q4 (triwulan), 2026 (tahun) atau 2026-11-16..2026-11-22 (rentang tanggal)."

// choosePeriod is the period of the filter value key, the current quarter when key is
// empty; ok is false, with the current quarter, when key is no period. A period not among
// the choices (a digest's week, a month of three years ago) is added to them, first.
func choosePeriod(groups []periodGroup, key string) (p period, _ []periodGroup, ok bool) {
	if key == "" {
		return groups[0].Periods[0], groups, true
	}
	if p, ok = parsePeriod(key); !ok {
		return groups[0].Periods[0], groups, false
	}
	for _, g := range groups {
		for _, q := range g.Periods {
			if q.Key == p.Key {
				return p, groups, true
			}
		}
	}
	return p, append([]periodGroup{{Label: "Lainnya", Periods: []period{p}}}, groups...), true
}
