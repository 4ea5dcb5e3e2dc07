package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"sukma/scoring"
	"sukma/storage"
)

// ikmRoutes registers the IKM endpoint of the JSON API through api, which adds the bearer
// token check.
func (s *Server) ikmRoutes(api func(pattern string, h http.HandlerFunc, params ...string)) {
	api("GET /api/v1/ikm", s.handleIKM, "unit", "service", "from", "to", "by", "profile")
}

// ikmResponse is the answer of GET /api/v1/ikm: the `sukma score --json` report of the
// pooled responses, with the unit, the period and optionally a breakdown and the profile.
type ikmResponse struct {
	Unit string `json:"unit"` // "" when every unit is pooled
	From string `json:"from"`
	To   string `json:"to"`
	scoring.Report
	Breakdown []ikmPart        `json:"breakdown,omitempty"`
	Profile   *storage.Profile `json:"profile,omitempty"`
}

// ikmPart is one line of a breakdown: a service (key = its code) or a period (key =
// "2026-Q1" and the like), with its own report. A period's from and to are the days it
// counts, within the request's: a quarter the request starts or ends inside is counted only
// in part, and its label says so ("Triwulan I 2026 (15 Feb – 31 Mar)").
type ikmPart struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	scoring.Report
}

const dateLayout = "2006-01-02"

// handleIKM answers GET /api/v1/ikm?unit=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD[&service=CODE]
// [&by=service|month|quarter|semester|year][&profile=1]. The period defaults to the current
// calendar year up to today.
func (s *Server) handleIKM(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ctx := r.Context()
	fail := func(status int, id, en string) { writeError(w, status, id, en) }
	from, to, msg := s.dateRange(q.Get("from"), q.Get("to"))
	if msg != (problem{}) {
		msg.write(w, http.StatusBadRequest)
		return
	}
	by := q.Get("by")
	if by != "" && by != "service" && !slices.Contains(storage.Periods, by) {
		fail(http.StatusBadRequest, fmt.Sprintf("by: %q bukan salah satu dari service, month, quarter, semester, year", by),
			fmt.Sprintf("by: %q is not one of service, month, quarter, semester, year", by))
		return
	}
	if p := q.Get("profile"); p != "" && p != "0" && p != "1" {
		fail(http.StatusBadRequest, fmt.Sprintf("profile: %q harus 1 atau 0", p), fmt.Sprintf("profile: %q must be 1 or 0", p))
		return
	}
	f := storage.Filter{FromDay: dayOf(from), ToDay: dayOf(to)}
	days := scoring.PeriodDays(from, to)
	unitCode, serviceCode := q.Get("unit"), q.Get("service")
	var unit storage.Unit
	if unitCode != "" {
		u, err := s.DB.FindUnitByCode(ctx, unitCode)
		if errors.Is(err, storage.ErrNotFound) {
			fail(http.StatusNotFound, fmt.Sprintf("Unit %q tidak ditemukan", unitCode), fmt.Sprintf("unit %q not found", unitCode))
			return
		}
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		unit, f.UnitIDs, unitCode = u, []int64{u.ID}, u.Code // as stored: codes ignore case
		if serviceCode != "" {
			svc, err := s.DB.FindServiceByCode(ctx, u.ID, serviceCode)
			if errors.Is(err, storage.ErrNotFound) {
				fail(http.StatusNotFound, fmt.Sprintf("Layanan %q tidak ditemukan di unit %q", serviceCode, unitCode),
					fmt.Sprintf("service %q not found in unit %q", serviceCode, unitCode))
				return
			}
			if err != nil {
				s.internalError(w, r, err)
				return
			}
			f.ServiceID = &svc.ID
		}
	} else if serviceCode != "" {
		fail(http.StatusBadRequest, "service: perlu unit, karena kode layanan milik sebuah unit", "service: needs a unit, because service codes belong to a unit")
		return
	} else if by == "service" {
		// Pooled over units, one code (AKTALAHIR) would be a line for each unit that has it,
		// with nothing to tell which is whose.
		fail(http.StatusBadRequest, "by=service: perlu unit, karena kode layanan milik sebuah unit: tambahkan unit=KODE",
			"by=service: needs a unit, because service codes belong to a unit: add unit=CODE")
		return
	}

	tally, err := s.DB.Tally(ctx, f)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	resp := ikmResponse{Unit: unitCode, From: from.Format(dateLayout), To: to.Format(dateLayout), Report: reportOf(tally)}
	switch {
	case f.ServiceID != nil:
		// A service has no population of its own: the minimum sample is the unit's.
	case unitCode != "":
		if unit.Population > 0 {
			sample := scoring.NewPeriodSample(unit.Population, tally.Respondents, days)
			resp.Sample = &sample
		}
	default:
		if resp.Sample, err = s.pooledSample(r, f, days); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	if by != "" {
		if resp.Breakdown, err = s.breakdown(r, f, by); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	if q.Get("profile") == "1" {
		p, err := s.DB.Profile(ctx, f)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		resp.Profile = &p
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) breakdown(r *http.Request, f storage.Filter, by string) ([]ikmPart, error) {
	parts := []ikmPart{}
	if by == "service" {
		ss, err := s.DB.TallyByService(r.Context(), f)
		for _, st := range ss {
			label := st.Name
			if st.ServiceID == 0 {
				label = "Tanpa jenis layanan"
			}
			parts = append(parts, ikmPart{Key: st.Code, Label: label, Report: reportOf(st.Tally)})
		}
		return parts, err
	}
	ps, err := s.DB.TallyByPeriod(r.Context(), f, by)
	for _, p := range ps {
		part := ikmPart{Key: p.Label, Label: storage.PeriodName(by, p.Key), Report: reportOf(p.Tally)}
		from, to := max(p.FromDay, f.FromDay), min(p.ToDay, f.ToDay)
		part.From, part.To = isoDay(from), isoDay(to)
		if from != p.FromDay || to != p.ToDay {
			part.Label += " (" + shortDay(from) + " – " + shortDay(to) + ")"
		}
		parts = append(parts, part)
	}
	return parts, err
}

// isoDay writes a YYYYMMDD day as 2026-02-15.
func isoDay(d int) string { return fmt.Sprintf("%04d-%02d-%02d", d/10000, d/100%100, d%100) }

// shortDay writes a YYYYMMDD day as "15 Feb", for a label.
func shortDay(d int) string { return fmt.Sprintf("%d %s", d%100, bulan[d/100%100-1][:3]) }

// pooledSample is the sample check of every unit pooled (scoring.PooledSample).
func (s *Server) pooledSample(r *http.Request, f storage.Filter, days int) (*scoring.Sample, error) {
	parts, err := s.DB.UnitSamples(r.Context(), f)
	if err != nil {
		return nil, err
	}
	return scoring.PooledSample(parts, days), nil
}

func reportOf(t scoring.Tally) scoring.Report {
	return scoring.NewReport(scoring.Compute(t, scoring.Bands2017))
}

// dateRange parses the from and to parameters (YYYY-MM-DD, inclusive). Either defaults to the
// current calendar year to date in s.Location. msg says what is wrong, naming the parameter.
func (s *Server) dateRange(fromS, toS string) (from, to time.Time, msg problem) {
	now := time.Now().In(s.location())
	from = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	to = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	for _, p := range []struct {
		name, value string
		into        *time.Time
	}{{"from", fromS, &from}, {"to", toS, &to}} {
		if p.value == "" {
			continue
		}
		d, err := time.Parse(dateLayout, p.value)
		if err != nil {
			return from, to, problem{fmt.Sprintf("%s: %q bukan tanggal YYYY-MM-DD", p.name, p.value), fmt.Sprintf("%s: %q is not a date YYYY-MM-DD", p.name, p.value)}
		}
		*p.into = d
	}
	if from.After(to) {
		// One of them may be a default the caller never sent: it is named as such, with
		// the parameter to send.
		fromID, fromEn := "from: "+from.Format(dateLayout), "from: "+from.Format(dateLayout)
		toID, toEn := "to: "+to.Format(dateLayout), "to: "+to.Format(dateLayout)
		hintID, hintEn := "", ""
		switch {
		case fromS == "":
			fromID += ", bawaan: 1 Januari tahun ini,"
			fromEn += ", the default: 1 January of this year,"
			hintID, hintEn = "; kirim juga from=YYYY-MM-DD", "; send from=YYYY-MM-DD too"
		case toS == "":
			toID += ", bawaan: hari ini"
			toEn += ", the default: today"
			hintID, hintEn = "; kirim juga to=YYYY-MM-DD", "; send to=YYYY-MM-DD too"
		}
		return from, to, problem{fromID + " sesudah " + toID + hintID, fromEn + " is after " + toEn + hintEn}
	}
	return from, to, problem{}
}

// dayOf is the local_day YYYYMMDD of a date.
func dayOf(t time.Time) int { return t.Year()*10000 + int(t.Month())*100 + t.Day() }

var (
	bulan  = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}
	romawi = [4]string{"I", "II", "III", "IV"}
)
