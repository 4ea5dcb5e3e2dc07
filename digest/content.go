package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"sukma/scoring"
	"sukma/storage"
)

// Scope is what a subscriber follows.
type Scope int

const (
	ScopeUnit     Scope = iota // one unit
	ScopeAgency                // every unit of an agency: a league table
	ScopeProvince              // every unit: a league table
)

// Data is everything a digest shows, read from the aggregates. The content functions are
// pure: tests build Data by hand.
type Data struct {
	Scope Scope
	// Name is the unit's or the agency's name; empty for the province.
	Name   string
	Period Period
	// Tally is the period's; Previous is the period of equal length before it (no
	// respondents: no comparison is shown).
	Tally, Previous scoring.Tally
	// Population is the unit's yearly number of service users (ScopeUnit); 0 when unknown.
	Population int64
	// Retired is when the unit was retired (ScopeUnit); zero while it takes surveys.
	Retired time.Time
	// Ongoing is true when the period has not ended (a digest sent by hand for days up to
	// today): nobody has answered "yet", rather than nobody answered.
	Ongoing bool
	// Units are the units of an agency or the province, for the league table.
	Units []UnitData
	// Suggestions are the newest texts of the period, newest first.
	Suggestions []storage.Suggestion
	// Trend is the tally of up to six periods of equal length, oldest first, the last
	// being Period.
	Trend []TrendPoint
	// Dashboard is the admin dashboard's URL.
	Dashboard string
}

// UnitData is one unit in a league table.
type UnitData struct {
	Code, Name string
	Population int64
	Tally      scoring.Tally
}

// TrendPoint is one period of the trend.
type TrendPoint struct {
	Period Period
	Tally  scoring.Tally
}

// maxSuggestions is how many suggestions a digest quotes; maxSuggestionLen cuts long ones,
// maxUnitNameLen the unit's name before one.
const (
	maxSuggestions   = 3
	maxSuggestionLen = 140
	maxUnitNameLen   = 40
)

// Text returns the digest's text in language code ("id" or "en").
func Text(d Data, code string) string {
	l := langOf(code)
	var b strings.Builder
	name := d.Name
	if d.Scope == ScopeProvince || name == "" {
		name = l.t("province")
	}
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line(l.t("title"), name)
	line(l.t("period"), l.period(d.Period))
	b.WriteByte('\n')
	res := scoring.Compute(d.Tally, scoring.Bands2017)
	if d.Tally.Respondents == 0 || !res.Answered {
		yet := ""
		if d.Ongoing {
			yet = "Yet"
		}
		switch {
		case !d.Retired.IsZero():
			// No QR code to check: the unit takes no surveys, and its empty digests stop.
			line(l.t("empty" + yet))
			line(l.t("retired"), l.date(d.Retired))
		case d.Scope == ScopeUnit && d.Population > 0: // the regulation's "belum memenuhi", said even now
			line(l.t("sampleNone"+yet), sampleNote(l, d))
			line(l.t("qrHint"))
		default:
			line(l.t("empty" + yet))
			// Nobody answering is most often nobody seeing the survey.
			line(l.t("qrHint"))
		}
		if len(d.Units) > 0 {
			b.WriteByte('\n')
		}
	} else {
		line(l.t("ikm"), l.num(res.IKM), res.Grade.Mutu, l.kinerja(res.Grade))
		if res.K < len(scoring.Elements) {
			// Not the regulation's nine-element index: a flow without an element, or an
			// element nobody answered. A head comparing units must know.
			line(l.t("fewer"), res.K, strings.Join(res.Unanswered(), ", "))
		}
		if c := change(l, d, res); c != "" {
			line("%s", c)
		}
		b.WriteString(sampleLine(l, d))
		b.WriteString("\n\n")
		if d.Scope == ScopeUnit {
			es := weakestFirst(res)
			if len(es) > 1 && es[0].NRRExact.Cmp(es[len(es)-1].NRRExact) == 0 {
				// One respondent who answered 4 everywhere: one line, not nine alike.
				line(l.t("elementsSame"), len(es), l.num(es[0].NRR), es[0].Grade.Mutu)
			} else {
				line(l.t("elements"))
				for _, e := range es {
					i, _ := scoring.ElementIndex(e.Code)
					line("• %s %s — %s (%s)", e.Code, elementNames[l][i], l.num(e.NRR), e.Grade.Mutu)
				}
			}
			b.WriteByte('\n')
		}
	}
	if d.Scope != ScopeUnit {
		b.WriteString(league(l, d.Units, d.Period.Days()))
	}
	if len(d.Suggestions) > 0 {
		line(l.t("suggestions"))
		for i, s := range d.Suggestions {
			if i == maxSuggestions {
				break
			}
			text := "“" + cut(oneLine(strings.Join(nonEmpty(s.Perbaikan, s.Saran), " — ")), maxSuggestionLen) + "”"
			if d.Scope != ScopeUnit {
				// The unit is cut, never the citizen's words: a long official name
				// ("Unit Pelaksana Teknis Daerah …") once took the whole line.
				text = cut(oneLine(s.Unit), maxUnitNameLen) + ": " + text
			}
			line("• %s", text)
		}
		b.WriteByte('\n')
	}
	if d.Dashboard != "" {
		line(l.t("dashboard"), d.Dashboard)
	}
	// A head added by an admin never chose these messages: each says how to stop them.
	line(l.t("stopFooter"))
	return strings.TrimSpace(b.String())
}

// change compares the IKM with the previous period's; empty when that has no data. It gives
// the previous period's respondents and, when they were fewer than its minimum sample, says
// so: a fall from the 100,00 of one respondent is no trend.
func change(l lang, d Data, now scoring.Result) string {
	prev := scoring.Compute(d.Previous, scoring.Bands2017)
	n := d.Previous.Respondents
	if n == 0 || !prev.Answered {
		return ""
	}
	was := l.num(prev.IKM) + "; " + l.respondents(n)
	if n < previousMinimum(d) {
		was = fmt.Sprintf(l.t("prevShort"), l.num(prev.IKM), l.respondents(n))
	}
	diff := now.IKM - prev.IKM
	switch {
	case diff > 0:
		return fmt.Sprintf(l.t("up"), l.num(diff), was)
	case diff < 0:
		return fmt.Sprintf(l.t("down"), l.num(-diff), was)
	}
	return fmt.Sprintf(l.t("same"), was)
}

// previousMinimum is the minimum sample of the previous period (0 when no population is
// known): the unit's, or, for an agency or the province, the sum of its units' own, as
// scoring.PooledSample sums them.
func previousMinimum(d Data) int64 {
	prev := d.Period.Back(1)
	if len(d.Trend) >= 2 {
		prev = d.Trend[len(d.Trend)-2].Period
	}
	if d.Scope == ScopeUnit {
		return scoring.PeriodSampleSize(d.Population, prev.Days())
	}
	var sum int64
	for _, u := range d.Units {
		sum += scoring.PeriodSampleSize(u.Population, prev.Days())
	}
	return sum
}

func sampleLine(l lang, d Data) string {
	s := fmt.Sprintf(l.t("respondents"), l.count(d.Tally.Respondents))
	if d.Scope != ScopeUnit {
		met, with := 0, 0
		for _, u := range d.Units {
			if u.Population > 0 {
				with++
				if u.Tally.Respondents >= scoring.PeriodSampleSize(u.Population, d.Period.Days()) {
					met++
				}
			}
		}
		if with > 0 {
			s += "\n" + fmt.Sprintf(l.t("unitsMet"), met, with)
		}
		return s
	}
	if d.Population <= 0 {
		return s + l.t("noPopulation")
	}
	req := scoring.PeriodSampleSize(d.Population, d.Period.Days())
	if d.Tally.Respondents >= req {
		s += l.t("sampleMet")
	} else {
		s += fmt.Sprintf(l.t("sampleShort"), l.count(req-d.Tally.Respondents))
	}
	return s + sampleNote(l, d)
}

// sampleNote says what the minimum sample of a unit's period is: the yearly minimum prorated
// to a period shorter than a year, the yearly one itself for a year or more.
func sampleNote(l lang, d Data) string {
	days, yearly := d.Period.Days(), scoring.SampleSize(d.Population)
	if days >= 365 {
		return fmt.Sprintf(l.t("sampleNoteYear"), l.count(yearly))
	}
	return fmt.Sprintf(l.t("sampleNote"), l.count(scoring.PeriodSampleSize(d.Population, days)), days, l.count(yearly))
}

// weakestFirst returns the answered elements by NRR, lowest first (ties in code order).
func weakestFirst(r scoring.Result) []scoring.ElementResult {
	var es []scoring.ElementResult
	for _, e := range r.Elements {
		if e.Answered {
			es = append(es, e)
		}
	}
	slices.SortStableFunc(es, func(a, b scoring.ElementResult) int { return a.NRRExact.Cmp(b.NRRExact) })
	return es
}

// Ranked is one unit of a league table.
type Ranked struct {
	UnitData
	IKM   scoring.Hundredths
	Grade scoring.Grade
	K     int // the elements the IKM is computed from; 9 but for a flow or answers without some
}

// Rank orders the units with responses by IKM, best first (ties by code), and returns the
// units without responses apart.
func Rank(units []UnitData) (ranked []Ranked, silent []UnitData) {
	for _, u := range units {
		r := scoring.Compute(u.Tally, scoring.Bands2017)
		if u.Tally.Respondents == 0 || !r.Answered {
			silent = append(silent, u)
			continue
		}
		ranked = append(ranked, Ranked{u, r.IKM, r.Grade, r.K})
	}
	slices.SortStableFunc(ranked, func(a, b Ranked) int {
		return cmp.Or(cmp.Compare(b.IKM, a.IKM), strings.Compare(a.Code, b.Code))
	})
	return ranked, silent
}

// leagueShown is how many units the league table shows at each end when it is long.
const leagueShown = 3

// league is the league table of units over a period of days. A unit short of its minimum
// sample says so, with its respondents: one respondent's 100,00 at the top is no feat.
func league(l lang, units []UnitData, days int) string {
	ranked, silent := Rank(units)
	var b strings.Builder
	if len(ranked) > 0 {
		b.WriteString(l.t("ranking") + "\n")
		for i, r := range ranked {
			if len(ranked) > 2*leagueShown+1 && i == leagueShown {
				fmt.Fprintf(&b, l.t("more")+"\n", len(ranked)-2*leagueShown)
			}
			if len(ranked) > 2*leagueShown+1 && i >= leagueShown && i < len(ranked)-leagueShown {
				continue
			}
			grade := r.Grade.Mutu
			if r.K < len(scoring.Elements) {
				grade += fmt.Sprintf(l.t("fewerShort"), r.K)
			}
			short := ""
			if r.Population > 0 && r.Tally.Respondents < scoring.PeriodSampleSize(r.Population, days) {
				short = fmt.Sprintf(l.t("leagueShort"), l.respondents(r.Tally.Respondents))
			}
			fmt.Fprintf(&b, "%d. %s — %s (%s)%s\n", i+1, r.Name, l.num(r.IKM), grade, short)
		}
	}
	if len(silent) > 0 {
		names := make([]string, 0, 3)
		for i, u := range silent {
			if i == 3 {
				names = append(names, fmt.Sprintf(l.t("moreUnits"), len(silent)-3))
				break
			}
			names = append(names, u.Name)
		}
		fmt.Fprintf(&b, l.t("noResp")+"\n", strings.Join(names, ", "))
	}
	if b.Len() > 0 {
		b.WriteByte('\n')
	}
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// cut shortens s to at most n runes, with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
