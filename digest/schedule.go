// Package digest builds the periodic IKM digests and the low-score alerts that agency heads
// receive in chat, and writes them to the outbox. Content (text and PNG chart) is made by pure
// functions from aggregates; Service reads the aggregates, claims each digest once across
// replicas and enqueues it.
package digest

import (
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"sukma/scoring"
)

// DefaultSchedule is weekly, Monday 07:00 local time.
const DefaultSchedule = "0 7 * * 1"

// scheduleForms says what ParseSchedule accepts, in Indonesian and English.
const (
	bentukJadwal = `ekspresi cron (menit jam tanggal bulan hari, misalnya "0 7 * * 1" untuk setiap Senin pukul 07.00) ` +
		`atau @daily, @weekly, @monthly, @yearly`
	scheduleForms = `a cron expression (minute hour day month weekday, e.g. "0 7 * * 1" for Mondays at 07:00) ` +
		`or @daily, @weekly, @monthly or @yearly`
)

// A ScheduleError is why ParseSchedule refused an expression: Error is in English, Indonesian
// says the same for whoever answers a user in Indonesian first.
type ScheduleError struct{ Indonesian, English string }

func (e *ScheduleError) Error() string { return e.English }

// ParseSchedule parses a standard five-field cron expression (minute hour day-of-month month
// day-of-week, or a descriptor: @daily, @weekly, @monthly, @yearly and their aliases), read
// in the subscriber's time zone. One that never fires (the 31st of February) is an error:
// its subscriber would get nothing. So is "@every DURATION": it counts from whenever it is
// asked, so it has no fires a period can end at, and the library takes a duration below a
// second ("@every -5m", "@every 0s") as every second. Errors are *ScheduleError.
func ParseSchedule(expr string) (cron.Schedule, error) {
	s, err := cron.ParseStandard(strings.TrimSpace(expr))
	if err != nil {
		return nil, &ScheduleError{fmt.Sprintf("%q bukan jadwal: tulis %s", expr, bentukJadwal),
			fmt.Sprintf("%q is not a schedule: give %s (%v)", expr, scheduleForms, err)}
	}
	switch s.(type) {
	case cron.ConstantDelaySchedule, *cron.ConstantDelaySchedule:
		return nil, &ScheduleError{fmt.Sprintf("%q berulang setelah selang waktu tetap, bukan menurut kalender: tulis %s", expr, bentukJadwal),
			fmt.Sprintf("%q repeats after a fixed time, not on the calendar: give %s", expr, scheduleForms)}
	}
	if s.Next(time.Now()).IsZero() { // the library looks five years ahead
		return nil, &ScheduleError{fmt.Sprintf("%q tidak pernah tiba: tanggal itu tidak ada (menit jam tanggal bulan hari, misalnya %q)", expr, DefaultSchedule),
			fmt.Sprintf("%q never comes: no such date (minute hour day month weekday, e.g. %q)", expr, DefaultSchedule)}
	}
	return s, nil
}

// A Period is a run of whole local days, From and To inclusive (both at midnight).
type Period struct {
	From, To time.Time
}

// Day is a date as the number YYYYMMDD, the form responses.local_day uses.
func Day(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

// FromDay and ToDay are the period's ends as YYYYMMDD.
func (p Period) FromDay() int { return Day(p.From) }

// ToDay is the last day of the period as YYYYMMDD.
func (p Period) ToDay() int { return Day(p.To) }

// Days is the number of days in the period.
func (p Period) Days() int {
	return scoring.PeriodDays(p.From, p.To)
}

// Back returns the period of the same length n periods earlier. A period of whole calendar
// months steps by months, so the month before November is all of October.
func (p Period) Back(n int) Period {
	if p.From.Day() == 1 && p.To.AddDate(0, 0, 1).Day() == 1 {
		months := (p.To.Year()-p.From.Year())*12 + int(p.To.Month()-p.From.Month()) + 1
		from := p.From.AddDate(0, -n*months, 0)
		return Period{from, from.AddDate(0, months, -1)}
	}
	d := p.Days() * n
	return Period{p.From.AddDate(0, 0, -d), p.To.AddDate(0, 0, -d)}
}

// trendPeriods returns the TrendPeriods periods that end with p, oldest first. For a period
// the schedule makes, each is the period of the schedule's fire before (a digest on the 1st
// and the 16th compares 1–15 November with 16–31 October); for one sent by hand, the period
// of the same length before (Back).
func trendPeriods(schedule string, p Period, loc *time.Location) []Period {
	sched, err := ParseSchedule(schedule)
	// before is the period that the schedule's fire on day's date ended, if it fired then.
	before := func(day time.Time) (Period, bool) {
		if err != nil {
			return Period{}, false
		}
		q, fired := PeriodEnded(sched, day.In(loc).AddDate(0, 0, 1).Add(-time.Second), loc)
		return q, !fired.IsZero() && Day(fired) == Day(day.In(loc))
	}
	q, ok := before(p.To.AddDate(0, 0, 1))
	scheduled := ok && q.FromDay() == p.FromDay() && q.ToDay() == p.ToDay()
	ps := make([]Period, TrendPeriods)
	ps[TrendPeriods-1] = p
	for i := TrendPeriods - 2; i >= 0; i-- {
		ps[i] = ps[i+1].Back(1)
		if q, ok := before(ps[i+1].From); scheduled && ok {
			ps[i] = q
		}
	}
	return ps
}

// ParsePeriod reads "YYYY-MM-DD..YYYY-MM-DD" (both inclusive) in loc.
func ParsePeriod(s string, loc *time.Location) (Period, error) {
	a, b, ok := strings.Cut(s, "..")
	if !ok {
		return Period{}, fmt.Errorf("periode %q harus AWAL..AKHIR dengan tanggal YYYY-MM-DD, misalnya 2026-11-01..2026-11-30", s)
	}
	from, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(a), loc)
	if err != nil {
		return Period{}, fmt.Errorf("awal periode %q bukan tanggal YYYY-MM-DD", a)
	}
	to, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(b), loc)
	if err != nil {
		return Period{}, fmt.Errorf("akhir periode %q bukan tanggal YYYY-MM-DD", b)
	}
	if to.Before(from) {
		return Period{}, fmt.Errorf("periode %q berakhir sebelum dimulai", s)
	}
	return Period{from, to}, nil
}

// LastFire returns the latest time the schedule fired at or before t (zero if none in the
// last five years).
func LastFire(s cron.Schedule, t time.Time) time.Time {
	for _, window := range []time.Duration{2 * time.Hour, 25 * time.Hour, 32 * 24 * time.Hour, 367 * 24 * time.Hour, 5 * 367 * 24 * time.Hour} {
		x := s.Next(t.Add(-window))
		if x.IsZero() || x.After(t) {
			continue
		}
		for n := s.Next(x); !n.IsZero() && !n.After(t); n = s.Next(n) {
			x = n
		}
		return x
	}
	return time.Time{}
}

// PeriodEnded returns the period whose digest is due at now: the whole local days from the
// schedule's fire before the last one up to the day before the last fire. Weekly on Monday
// gives last Monday..Sunday; monthly on the 1st gives last month; daily gives yesterday. A
// schedule firing several times a day gives yesterday. fired is the last fire (zero if the
// schedule never fired).
func PeriodEnded(s cron.Schedule, now time.Time, loc *time.Location) (p Period, fired time.Time) {
	now = now.In(loc)
	fired = LastFire(s, now)
	if fired.IsZero() {
		return Period{}, fired
	}
	before := LastFire(s, fired.Add(-time.Second))
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc) }
	to := day(fired).AddDate(0, 0, -1)
	from := to
	if !before.IsZero() && day(before).Before(to) {
		from = day(before)
	}
	return Period{from, to}, fired
}
