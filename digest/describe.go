package digest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// descriptors are the cron descriptors ParseSchedule accepts, as the fields they stand for
// in robfig/cron: @weekly is Sunday at midnight, @monthly the 1st at midnight.
var descriptors = map[string]string{
	"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
	"@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
}

// describeSchedule says when a schedule fires, in words for the shapes heads are given (daily;
// on weekdays, one, a range or a list; monthly on some days; quarterly, half-yearly or yearly;
// the descriptors) at one time of day, and as the expression otherwise: a head reads
// "setiap triwulan (1 Jan, Apr, Jul, Okt) pukul 07.00", not "0 7 1 1,4,7,10 *".
func describeSchedule(expr string, l lang) string {
	raw := fmt.Sprintf(l.t("scheduleRaw"), expr)
	e := strings.TrimSpace(expr)
	if d, ok := descriptors[strings.ToLower(e)]; ok {
		e = d
	}
	f := strings.Fields(e)
	if len(f) != 5 {
		return raw
	}
	m, errM := strconv.Atoi(f[0])
	h, errH := strconv.Atoi(f[1])
	days, okD := cronField(f[2], 1, 31, nil)
	months, okM := cronField(f[3], 1, 12, monthAbbr)
	wdays, okW := cronField(f[4], 0, 7, dayAbbr)
	if errM != nil || errH != nil || m > 59 || h > 23 || !okD || !okM || !okW {
		return raw
	}
	if wdays != nil { // 7 is Sunday too; Monday first, as an Indonesian week is read
		for i, d := range wdays {
			wdays[i] = (d + 6) % 7
		}
		slices.Sort(wdays)
		if wdays = slices.Compact(wdays); len(wdays) == 7 {
			wdays = nil
		}
	}
	at := " " + fmt.Sprintf(l.t("at"), h, m)
	day := func(i int) string { return fmt.Sprint(i) }
	monthName := func(i int) string { return l.month(time.Month(i), true) }
	switch {
	case days == nil && months == nil && wdays == nil:
		return l.t("daily") + at
	case days == nil && months == nil:
		return fmt.Sprintf(l.t("weekly"), runs(l, wdays, func(i int) string { return l.weekday(time.Weekday((i + 1) % 7)) })) + at
	case wdays != nil || days == nil: // cron's "day or weekday", or every day of some months
		return raw
	case months == nil:
		return fmt.Sprintf(l.t("monthly"), runs(l, days, day)) + at
	case len(months) == 1:
		return fmt.Sprintf(l.t("yearly"), runs(l, days, day), l.month(time.Month(months[0]), false)) + at
	case evenly(months, 3):
		return fmt.Sprintf(l.t("quarterly"), runs(l, days, day), list(months, monthName)) + at
	case evenly(months, 6):
		return fmt.Sprintf(l.t("halfYearly"), runs(l, days, day), list(months, monthName)) + at
	}
	return fmt.Sprintf(l.t("someMonths"), runs(l, days, day), list(months, monthName)) + at
}

// DescribeSchedule says when a schedule fires, in words, in a language ("en", else
// Indonesian), as a head reads it on subscribing: "setiap Senin pukul 07.00" for "0 7 * * 1".
// A schedule of another shape is named as it is written ("menurut jadwal …").
func DescribeSchedule(expr, language string) string {
	return describeSchedule(expr, langOf(language))
}

// nightFire reports whether a digest sent at t arrives at night, 21.00 to 05.59: the
// confirmation warns the head, who may want the schedule moved.
func nightFire(t time.Time) bool { return t.Hour() >= 21 || t.Hour() < 6 }

var (
	monthAbbr = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
	dayAbbr   = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}
)

// cronField expands a cron field ("*", "5", "1-5", "1,15", "*/3", "1-12/3", "MON-FRI") to its
// sorted values in lo..hi; nil when it is every value. names, when given, are the values'
// three-letter names from lo. ok is false for anything else.
func cronField(s string, lo, hi int, names []string) (vals []int, ok bool) {
	if s == "*" || s == "?" {
		return nil, true
	}
	num := func(p string) (int, bool) {
		if i := slices.Index(names, strings.ToLower(p)); i >= 0 {
			return lo + i, true
		}
		n, err := strconv.Atoi(p)
		return n, err == nil && n >= lo && n <= hi
	}
	for _, part := range strings.Split(s, ",") {
		rng, step, stepped := strings.Cut(part, "/")
		by := 1
		if stepped {
			n, err := strconv.Atoi(step)
			if err != nil || n < 1 {
				return nil, false
			}
			by = n
		}
		from, to := lo, hi
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			var okA, okB bool
			if from, okA = num(a); !okA {
				return nil, false
			}
			to, okB = from, true
			if isRange {
				to, okB = num(b)
			} else if stepped {
				to = hi
			}
			if !okB || to < from {
				return nil, false
			}
		}
		for v := from; v <= to; v += by {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	if len(vals) == hi-lo+1 {
		return nil, true
	}
	return vals, true
}

// runs names sorted values, a run of three or more as its ends: "Senin–Jumat", "1 dan 16",
// "Senin, Rabu dan Jumat".
func runs(l lang, vals []int, name func(int) string) string {
	var parts []string
	for i := 0; i < len(vals); {
		j := i
		for j+1 < len(vals) && vals[j+1] == vals[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, name(vals[i])+"–"+name(vals[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, name(vals[k]))
			}
		}
		i = j + 1
	}
	return join(l, parts)
}

// list names every value: "Jan, Apr, Jul, Okt".
func list(vals []int, name func(int) string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = name(v)
	}
	return strings.Join(parts, ", ")
}

func join(l lang, parts []string) string {
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + l.t("and") + " " + parts[len(parts)-1]
}

// evenly reports whether months are a year's worth of months every step apart (quarters:
// 4 months 3 apart; halves: 2 months 6 apart).
func evenly(months []int, step int) bool {
	if len(months) != 12/step {
		return false
	}
	for i := 1; i < len(months); i++ {
		if months[i]-months[i-1] != step {
			return false
		}
	}
	return true
}
