package digest

import (
	"fmt"
	"net/url"
	"time"

	"sukma/storage"
)

// Key names p as the admin dashboard's period filter does (?period=KEY): "2026" for a
// calendar year, "2026-S2" a semester, "2026-Q4" a quarter, "2026-11" a month, and any other
// run of days "2026-11-16..2026-11-22", the form `sukma digest send --period` takes.
func (p Period) Key() string {
	f, t := p.From, p.To
	if f.Day() == 1 && t.AddDate(0, 0, 1).Day() == 1 && f.Year() == t.Year() {
		m1, m2 := int(f.Month()), int(t.Month())
		switch {
		case m1 == 1 && m2 == 12:
			return fmt.Sprintf("%04d", f.Year())
		case m1%6 == 1 && m2 == m1+5:
			return fmt.Sprintf("%04d-S%d", f.Year(), m2/6)
		case m1%3 == 1 && m2 == m1+2:
			return fmt.Sprintf("%04d-Q%d", f.Year(), m2/3)
		case m1 == m2:
			return fmt.Sprintf("%04d-%02d", f.Year(), m1)
		}
	}
	return f.Format(time.DateOnly) + ".." + t.Format(time.DateOnly)
}

// dashboardURL is the admin dashboard at what a digest or an alert of sub is about: its
// unit or agency and, for a digest, its period p (nil: the dashboard's default, the current
// quarter), so that a head checks the figures of the message, not another period's or all
// units'. Empty without a public URL.
func (s *Service) dashboardURL(sub storage.Subscriber, p *Period) string {
	if s.PublicURL == "" {
		return ""
	}
	v := url.Values{}
	if p != nil {
		v.Set("period", p.Key())
	}
	switch {
	case sub.UnitID != nil:
		v.Set("unit", sub.UnitCode)
	case sub.AgencyID != nil:
		v.Set("agency", sub.AgencyCode)
	}
	link := s.PublicURL + "/admin/"
	if len(v) > 0 {
		link += "?" + v.Encode()
	}
	return link
}
