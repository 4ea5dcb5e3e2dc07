package digest

import (
	"fmt"
	"time"
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
