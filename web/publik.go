package web

import (
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"sukma/scoring"
	"sukma/storage"
)

//go:embed templates/publik.html
var publikHTML string

var publikTmpl = template.Must(template.New("publik").Parse(publikHTML))

// publikRoutes registers the public results page, which needs no login: the regulation
// requires SKM results to be published. "/" sends a visitor there.
func (s *Server) publikRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /publik", s.handlePublik)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/publik", http.StatusFound)
	})
}

type publikPage struct {
	Current, Previous publikPeriod
	Units             []publikUnit
	Generated         string
}

type publikPeriod struct {
	Name  string // "Triwulan IV 2026"
	Range string // "1 Oktober – 26 November 2026"
	from  time.Time
	to    time.Time
}

type publikUnit struct {
	Name, Agency  string
	Now, Previous *publikIKM // nil: no response in the period
	// Change is "▲ 1,23", "▼ 0,50" or "= 0,00" when both periods have an IKM from their
	// minimum sample: a change between two handfuls of citizens is chance, not progress.
	Change, ChangeClass string
	// ChangeSaid is Change in words, for a screen reader, which would read the arrow as a
	// shape or not at all: "naik 1,23", "turun 0,50", "tetap".
	ChangeSaid string
	// NotComparable says why two IKMs are not compared ("sampel minimal belum terpenuhi",
	// "jumlah pengguna layanan belum diisi"); empty when Change is set or an IKM is missing.
	NotComparable string
}

type publikIKM struct {
	IKM, Mutu, Kinerja string
	Respondents        int64
	// Fewer is "dari 8 unsur" when the IKM is computed from fewer than the nine elements
	// (a flow without one, or one nobody answered): the page promises nine, so such an
	// IKM must say it is not that.
	Fewer string
	// Required is the unit's minimum sample for the period (scoring.PeriodSampleSize of its
	// population), when the respondents fall short of it: an IKM of a handful of citizens is
	// not the unit's, and the public must be able to tell. 0 when met or when the unit gives
	// no population.
	Required int64
	// NoPopulation is set when the unit gives no population: its minimum sample is unknown,
	// so its IKM, from however few citizens, is no more settled than one short of it.
	NoPopulation bool
	value        scoring.Hundredths
}

// settled reports whether the IKM is from at least the unit's minimum sample.
func (p *publikIKM) settled() bool { return !p.NoPopulation && p.Required == 0 }

// handlePublik renders every active unit's IKM for the current calendar quarter (to date) and
// the previous one, in s.Location.
func (s *Server) handlePublik(w http.ResponseWriter, r *http.Request) {
	now := time.Now().In(s.location())
	cur, prev := quarters(now)
	page := publikPage{Current: cur, Previous: prev, Generated: tanggal(now) + " " + now.Format("15:04 MST")}
	units, err := s.DB.FindUnits(r.Context())
	if err != nil {
		s.publikError(w, err)
		return
	}
	byPeriod := make([]map[int64]scoring.Tally, 2)
	for i, p := range []publikPeriod{cur, prev} {
		ts, err := s.DB.TallyByUnit(r.Context(), storage.Filter{FromDay: dayOf(p.from), ToDay: dayOf(p.to)})
		if err != nil {
			s.publikError(w, err)
			return
		}
		byPeriod[i] = map[int64]scoring.Tally{}
		for _, t := range ts {
			byPeriod[i][t.UnitID] = t.Tally
		}
	}
	for _, u := range units {
		if u.RetiredAt != nil {
			continue
		}
		pu := publikUnit{Name: u.Name, Agency: u.AgencyName,
			Now: publikIKMOf(byPeriod[0][u.ID], u.Population, cur), Previous: publikIKMOf(byPeriod[1][u.ID], u.Population, prev)}
		switch {
		case pu.Now == nil || pu.Previous == nil:
		case u.Population <= 0:
			pu.NotComparable = "jumlah pengguna layanan belum diisi"
		case !pu.Now.settled() || !pu.Previous.settled():
			pu.NotComparable = "sampel minimal belum terpenuhi"
		default:
			switch d := pu.Now.value - pu.Previous.value; {
			case d > 0:
				pu.Change, pu.ChangeClass, pu.ChangeSaid = "▲ "+d.Comma(), "up", "naik "+d.Comma()
			case d < 0:
				pu.Change, pu.ChangeClass, pu.ChangeSaid = "▼ "+(-d).Comma(), "down", "turun "+(-d).Comma()
			default:
				pu.Change, pu.ChangeClass, pu.ChangeSaid = "= 0,00", "same", "tetap"
			}
		}
		page.Units = append(page.Units, pu)
	}
	slices.SortStableFunc(page.Units, func(a, b publikUnit) int {
		if c := strings.Compare(a.Agency, b.Agency); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	var buf strings.Builder
	if err := publikTmpl.Execute(&buf, page); err != nil {
		s.publikError(w, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	// The page is its own inline style and nothing else: no script may run in it. It may be
	// framed by an agency's own site.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	fmt.Fprint(w, buf.String())
}

func (s *Server) publikError(w http.ResponseWriter, err error) {
	s.Logger.Error("publik: render", slog.Any("err", err))
	http.Error(w, "Maaf, hasil survei tidak dapat ditampilkan saat ini. Silakan coba lagi nanti.", http.StatusInternalServerError)
}

// publikIKMOf returns nil when the tally has no answer: the page says "belum ada data"
// rather than show a zero that no one gave. The sample is checked against population over
// the period, as the dashboard and the API check it.
func publikIKMOf(t scoring.Tally, population int64, period publikPeriod) *publikIKM {
	res := scoring.Compute(t, scoring.Bands2017)
	if t.Respondents == 0 || !res.Answered {
		return nil
	}
	p := &publikIKM{IKM: res.IKM.Comma(), Mutu: res.Grade.Mutu, Kinerja: res.Grade.Kinerja,
		Respondents: t.Respondents, value: res.IKM}
	if res.K < len(scoring.Elements) {
		p.Fewer = fmt.Sprintf("dari %d unsur", res.K)
	}
	if population <= 0 {
		p.NoPopulation = true
	} else {
		if sample := scoring.NewPeriodSample(population, t.Respondents, scoring.PeriodDays(period.from, period.to)); !sample.Met {
			p.Required = sample.Required
		}
	}
	return p
}

// quarters returns the calendar quarter of now, up to today, and the whole quarter before.
func quarters(now time.Time) (cur, prev publikPeriod) {
	start := time.Date(now.Year(), (now.Month()-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	pstart := start.AddDate(0, -3, 0)
	return quarter(start, today), quarter(pstart, start.AddDate(0, 0, -1))
}

func quarter(from, to time.Time) publikPeriod {
	name := fmt.Sprintf("Triwulan %s %d", romawi[(from.Month()-1)/3], from.Year())
	return publikPeriod{Name: name, Range: tanggal(from) + " – " + tanggal(to), from: from, to: to}
}

// tanggal is a date in Indonesian: "1 Oktober 2026".
func tanggal(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}
