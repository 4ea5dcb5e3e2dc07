package scoring

import "time"

// PeriodDays is the number of calendar days from the date of from to the date of to, both
// included (1 for a single day), each read in its own location; 0 or less if to's date is
// before from's. It counts dates, not hours: time.Duration overflows past 292 years
// (0001-01-01..9999-12-31 is 3,652,059 days) and a day with a daylight-saving change is
// not 24 hours long.
func PeriodDays(from, to time.Time) int {
	return int(dayNumber(to)-dayNumber(from)) + 1
}

// dayNumber numbers a date: days since 1970-01-01. Midnight UTC of the date is a whole
// number of days from the epoch, and Unix() has room for every year.
func dayNumber(t time.Time) int64 {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400
}
