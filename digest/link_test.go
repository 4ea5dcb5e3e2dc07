package digest

import (
	"testing"

	"sukma/storage"
)

// A digest's period is named in its dashboard link as the dashboard's period filter names
// it: a whole calendar month, quarter, semester or year by its key, any other run of days
// (a week, a fortnight, a day) from its first to its last day.
func TestADigestsPeriodHasTheDashboardsKey(t *testing.T) {
	for _, tt := range []struct {
		p    Period
		want string
	}{
		{week, "2026-11-16..2026-11-22"},
		{Period{day(2026, 11, 1), day(2026, 11, 30)}, "2026-11"},
		{Period{day(2028, 2, 1), day(2028, 2, 29)}, "2028-02"},
		{Period{day(2026, 10, 1), day(2026, 12, 31)}, "2026-Q4"},
		{Period{day(2026, 7, 1), day(2026, 9, 30)}, "2026-Q3"},
		{Period{day(2026, 7, 1), day(2026, 12, 31)}, "2026-S2"},
		{Period{day(2026, 1, 1), day(2026, 6, 30)}, "2026-S1"},
		{Period{day(2026, 1, 1), day(2026, 12, 31)}, "2026"},
		{Period{day(2026, 10, 1), day(2026, 11, 30)}, "2026-10-01..2026-11-30"}, // two months
		{Period{day(2026, 2, 1), day(2026, 4, 30)}, "2026-02-01..2026-04-30"},   // three, across quarters
		{Period{day(2026, 11, 1), day(2026, 11, 15)}, "2026-11-01..2026-11-15"},
		{Period{day(2026, 12, 28), day(2027, 1, 3)}, "2026-12-28..2027-01-03"},
		{Period{day(2026, 12, 1), day(2027, 1, 31)}, "2026-12-01..2027-01-31"},
		{Period{day(2026, 11, 23), day(2026, 11, 23)}, "2026-11-23..2026-11-23"},
	} {
		if got := tt.p.Key(); got != tt.want {
			t.Errorf("%s: key %q, want %q", PeriodName(tt.p, "id"), got, tt.want)
		}
	}
}

// The link opens the dashboard at the digest's period and scope: a unit's digest its unit,
// an agency's its agency, the province's every unit; an alert, about responses just in, the
// scope at the dashboard's default period, this quarter.
func TestTheDashboardLinkCarriesThePeriodAndTheScope(t *testing.T) {
	unit, agency := int64(7), int64(3)
	s := &Service{PublicURL: "https://survei.example.go.id"}
	for _, tt := range []struct {
		name string
		sub  storage.Subscriber
		p    *Period
		want string
	}{
		{"a unit's week", storage.Subscriber{UnitID: &unit, UnitCode: "DUK-MLG"}, &week, "https://survei.example.go.id/admin/?period=2026-11-16..2026-11-22&unit=DUK-MLG"},
		{"an agency's month", storage.Subscriber{AgencyID: &agency, AgencyCode: "DISPENDUK"}, &Period{day(2026, 11, 1), day(2026, 11, 30)},
			"https://survei.example.go.id/admin/?agency=DISPENDUK&period=2026-11"},
		{"the province's quarter", storage.Subscriber{}, &Period{day(2026, 10, 1), day(2026, 12, 31)}, "https://survei.example.go.id/admin/?period=2026-Q4"},
		{"a unit's alert", storage.Subscriber{UnitID: &unit, UnitCode: "DUK-MLG"}, nil, "https://survei.example.go.id/admin/?unit=DUK-MLG"},
		{"the province's alert", storage.Subscriber{}, nil, "https://survei.example.go.id/admin/"},
	} {
		if got := s.dashboardURL(tt.sub, tt.p); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := (&Service{}).dashboardURL(storage.Subscriber{}, &week); got != "" {
		t.Errorf("without a public URL: %q, want no link", got)
	}
}
