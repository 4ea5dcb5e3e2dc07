package scoring

import (
	"testing"
	"time"
)

func TestPeriodDaysCountsCalendarDates(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	date := func(y int, m time.Month, d int, loc *time.Location) time.Time {
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"one day", date(2026, 11, 1, time.UTC), date(2026, 11, 1, time.UTC), 1},
		{"a month", date(2026, 11, 1, time.UTC), date(2026, 11, 30, time.UTC), 30},
		{"a leap year", date(2028, 1, 1, time.UTC), date(2028, 12, 31, time.UTC), 366},
		{"every date there is, past what a time.Duration holds", date(1, 1, 1, time.UTC), date(9999, 12, 31, time.UTC), 3652059},
		{"a month with a daylight-saving change (23-hour day)", date(2026, 3, 1, ny), date(2026, 3, 31, ny), 31},
		{"the time of day does not count", time.Date(2026, 11, 1, 23, 59, 0, 0, time.UTC), time.Date(2026, 11, 2, 0, 1, 0, 0, time.UTC), 2},
		{"backwards", date(2026, 11, 2, time.UTC), date(2026, 11, 1, time.UTC), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PeriodDays(tt.from, tt.to); got != tt.want {
				t.Errorf("PeriodDays(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
			}
		})
	}
}
