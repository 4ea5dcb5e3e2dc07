package admin

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"sukma/report"
	"sukma/scoring"
	"sukma/storage"
)

type dashboard struct {
	Periods []periodGroup
	Period  period
	// Notes say which filter of the address was not understood and what is shown instead:
	// a digest's link must never open another period or scope without saying so.
	Notes       []string
	Agencies    []string          // the codes of the admin's agencies, sorted
	AgencyNames map[string]string // by code
	Agency      string
	Units       []storage.Unit
	Unit        string
	Services    []storage.Service
	Service     string
	Total       score
	Elements    []element
	Rows        []unitRow
	Trend       []trendPoint
	Suggestions []suggestion
	// Query is the filters, for the export links: built by url.Values.Encode, so safe to
	// write after "?" as it is (html/template would otherwise escape its = and & as data).
	Query                template.URL
	Province, NoUnitsYet bool
}

type score struct {
	Answered    bool
	IKM         string
	Value       float64
	Mutu        string
	Kinerja     string
	Respondents int64
	// Fewer says, in the page's language, that the IKM was computed from fewer than the
	// nine elements (a flow without one, or one nobody answered): not the regulation's
	// IKM, as the report and the digests say too. Empty for an IKM of nine.
	Fewer string
	// FewerShort is the same in brief for a table's cell ("8 unsur").
	FewerShort string
}

type element struct {
	Code, Name string
	NRR        string
	Value      float64
	Answered   bool
	// Of says how many of the respondents answered the element, when not all did
	// ("1 dari 3 responden"): its NRR stands on them only.
	Of string
}

type unitRow struct {
	Code, Name, Agency string
	Score              score
	Required           int64
	Met                bool
	Population         int64
	// OfService: the figures are one service's, which has no population and so no sample of
	// its own (the unit's is judged on all its services).
	OfService bool
	Retired   bool
}

type trendPoint struct {
	Label, LabelEn string // "Triwulan IV 2026 (s.d. 30 Nov)", "Q4 2026 (to 30 Nov)"
	Score          score
}

// Name is the point's label in a page's language.
func (t trendPoint) Name(lang string) string {
	if lang == "en" {
		return t.LabelEn
	}
	return t.Label
}

type suggestion struct{ When, Unit, Text, Perbaikan string }

// decimal writes a 2-decimal figure as the page's language does: 78,77 in Indonesian, 78.77
// in English.
func decimal(h scoring.Hundredths, lang string) string {
	if lang == "en" {
		return h.String()
	}
	return h.Comma()
}

func scoreOf(t scoring.Tally, lang string) score {
	res := scoring.Compute(t, scoring.Bands2017)
	if t.Respondents == 0 || !res.Answered {
		return score{Respondents: t.Respondents}
	}
	return score{Answered: true, IKM: decimal(res.IKM, lang), Value: float64(res.IKM) / 100, Mutu: res.Grade.Mutu,
		Kinerja: res.Grade.Kinerja, Respondents: t.Respondents, Fewer: fewerElements(res, lang), FewerShort: fewerShort(res, lang)}
}

// fewerShort is "8 unsur" for an IKM computed from fewer than the nine elements, or "".
func fewerShort(res scoring.Result, lang string) string {
	switch {
	case !res.Answered || res.K >= len(scoring.Elements):
		return ""
	case lang == "en":
		return fmt.Sprintf("%d elements", res.K)
	}
	return fmt.Sprintf("%d unsur", res.K)
}

// fewerElements is the note on an IKM computed from fewer than the nine elements, or "".
func fewerElements(res scoring.Result, lang string) string {
	if !res.Answered || res.K >= len(scoring.Elements) {
		return ""
	}
	missing := strings.Join(res.Unanswered(), ", ")
	if lang == "en" {
		return fmt.Sprintf("Computed from %d elements (without %s), not the nine of PermenPANRB 14/2017.", res.K, missing)
	}
	return fmt.Sprintf("Dihitung dari %d unsur (tanpa %s), bukan sembilan unsur PermenPANRB 14/2017.", res.K, missing)
}

// answeredOf is "1 dari 3 responden" for an element not every respondent answered, or "".
func answeredOf(e scoring.ElementResult, respondents int64, lang string) string {
	if !e.Answered || e.N >= respondents {
		return ""
	}
	if lang == "en" {
		return fmt.Sprintf("%d of %d respondents", e.N, respondents)
	}
	return fmt.Sprintf("%d dari %d responden", e.N, respondents)
}

// handleDashboard shows the IKM of the units the admin sees, for the chosen period (the
// current quarter by default), agency, unit and service.
func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) {
	ctx, a, q := r.Context(), current(r), r.URL.Query()
	now := s.DB.Now().In(s.Location)
	d := dashboard{Province: a.Role == storage.RoleProvince}
	tr := view{Lang: lang(r)}.T // the notes, in the page's language
	var ok bool
	if d.Period, d.Periods, ok = choosePeriod(periods(now), q.Get("period")); !ok {
		d.Notes = append(d.Notes, fmt.Sprintf(tr("Periode “%s” tidak dikenali, jadi ditampilkan %s. %s"), q.Get("period"), d.Period.Name(lang(r)), tr(periodForms)))
	}
	all, err := s.units(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.NoUnitsYet = len(all) == 0
	d.AgencyNames = map[string]string{}
	for _, u := range all {
		if u.AgencyCode != "" && !slices.Contains(d.Agencies, u.AgencyCode) {
			d.Agencies = append(d.Agencies, u.AgencyCode)
			if u.AgencyName != u.AgencyCode {
				d.AgencyNames[u.AgencyCode] = u.AgencyName
			}
		}
	}
	slices.Sort(d.Agencies)
	// Codes are found in any case, as the API finds them, and named as stored.
	if ag := q.Get("agency"); ag != "" {
		if i := findCode(d.Agencies, ag, func(c string) string { return c }); i >= 0 {
			d.Agency = d.Agencies[i]
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf(tr("Instansi “%s” tidak ditemukan, atau bukan instansi Anda, jadi ditampilkan semua unit Anda."), ag))
		}
	}
	for _, u := range all {
		if d.Agency == "" || u.AgencyCode == d.Agency {
			d.Units = append(d.Units, u)
		}
	}
	scope := d.Units
	if code := q.Get("unit"); code != "" {
		if i := findCode(d.Units, code, unitCode); i >= 0 {
			d.Unit, scope = d.Units[i].Code, d.Units[i:i+1]
		} else {
			d.Notes = append(d.Notes, fmt.Sprintf(tr("Unit “%s” tidak ditemukan, atau bukan unit instansi Anda, jadi ditampilkan semua unit."), code))
		}
	}
	f := storage.Filter{FromDay: d.Period.FromDay, ToDay: d.Period.ToDay}
	for _, u := range scope {
		f.UnitIDs = append(f.UnitIDs, u.ID)
	}
	if d.Unit != "" {
		if d.Services, err = s.DB.FindServices(ctx, scope[0].ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if code := q.Get("service"); code != "" {
			if i := findCode(d.Services, code, func(sv storage.Service) string { return sv.Code }); i >= 0 {
				d.Service, f.ServiceID = d.Services[i].Code, &d.Services[i].ID
			} else {
				d.Notes = append(d.Notes, fmt.Sprintf(tr("Layanan “%s” tidak ada di unit ini, jadi ditampilkan semua layanannya."), code))
			}
		}
	}
	v := url.Values{"period": {d.Period.Key}}
	if d.Unit != "" {
		v.Set("unit", d.Unit)
	} else if d.Agency != "" {
		v.Set("agency", d.Agency)
	}
	if d.Service != "" {
		v.Set("service", d.Service)
	}
	d.Query = template.URL(v.Encode())
	if len(scope) > 0 { // an empty UnitIDs would mean every unit
		if err := s.fillDashboard(r, &d, f, scope); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "dashboard", view{Title: "Dasbor IKM", Nav: "dashboard"}, d)
}

func (s *Server) fillDashboard(r *http.Request, d *dashboard, f storage.Filter, scope []storage.Unit) error {
	ctx := r.Context()
	total, err := s.DB.Tally(ctx, f)
	if err != nil {
		return err
	}
	l := lang(r)
	d.Total = scoreOf(total, l)
	for _, e := range scoring.Compute(total, scoring.Bands2017).Elements {
		d.Elements = append(d.Elements, element{Code: e.Code, Name: e.Name, NRR: decimal(e.NRR, l), Value: float64(e.NRR) / 100,
			Answered: e.Answered, Of: answeredOf(e, total.Respondents, l)})
	}
	byUnit, err := s.DB.TallyByUnit(ctx, f)
	if err != nil {
		return err
	}
	tallies := map[int64]scoring.Tally{}
	for _, t := range byUnit {
		tallies[t.UnitID] = t.Tally
	}
	// The minimum sample is a year's, prorated to the period's days as the digests do, up
	// to today for a period under way.
	days := periodDays(f.FromDay, d.Period.sampleTo(s.DB.Now().In(s.Location)))
	for _, u := range scope {
		t := tallies[u.ID]
		if u.RetiredAt != nil && t.Respondents == 0 && d.Unit == "" {
			continue // retired before the period: no row, and no part in the pooled sample either
		}
		required := scoring.PeriodSampleSize(u.Population, days)
		d.Rows = append(d.Rows, unitRow{Code: u.Code, Name: u.Name, Agency: u.AgencyName, Score: scoreOf(t, l),
			Required: required, Met: t.Respondents >= required, Population: u.Population, OfService: d.Service != "",
			Retired: u.RetiredAt != nil})
	}
	// The trend is the report's (ReportContext), so that the two agree: every quarter from
	// the year before up to the period's end, an empty one too, and the last, when the
	// period ends inside it, labelled as counted only up to that day.
	_, trend, err := s.DB.ReportContext(ctx, f, days)
	if err != nil {
		return err
	}
	end := time.Date(f.ToDay/10000, time.Month(f.ToDay/100%100), f.ToDay%100, 0, 0, 0, 0, time.UTC)
	for _, p := range trend {
		t := report.Trend{Label: storage.PeriodName("quarter", p.Key), Cut: p.ToDay > f.ToDay}
		en := quarterEn(p.Key)
		if t.Cut {
			en += fmt.Sprintf(" (to %d %s)", end.Day(), end.Month().String()[:3])
		}
		d.Trend = append(d.Trend, trendPoint{Label: t.Title(end), LabelEn: en, Score: scoreOf(p.Tally, l)})
	}
	sugg, err := s.DB.LatestSuggestions(ctx, f, 10)
	if err != nil {
		return err
	}
	for _, sg := range sugg {
		d.Suggestions = append(d.Suggestions, suggestion{
			When: s.when(sg.FinishedAt), Unit: sg.UnitName, Text: sg.Text, Perbaikan: sg.Perbaikan})
	}
	return nil
}

// findCode is the index in xs of the one whose code (of code) is want in any case, spelled as
// want first (a deployment may hold two codes from before codes ignored case), or -1.
func findCode[T any](xs []T, want string, code func(T) string) int {
	if i := slices.IndexFunc(xs, func(x T) bool { return code(x) == want }); i >= 0 {
		return i
	}
	return slices.IndexFunc(xs, func(x T) bool { return strings.EqualFold(code(x), want) })
}

func unitCode(u storage.Unit) string { return u.Code }

// periodDays is the number of days from one YYYYMMDD day to another, both included.
func periodDays(from, to int) int {
	day := func(d int) time.Time { return time.Date(d/10000, time.Month(d/100%100), d%100, 0, 0, 0, 0, time.UTC) }
	return scoring.PeriodDays(day(from), day(to))
}
