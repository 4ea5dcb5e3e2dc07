package admin

import (
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"sukma/report"
	"sukma/storage"
	"sukma/web/download"
)

// export is a parsed download request: the period and the units it covers.
type export struct {
	filter storage.ExportFilter
	units  map[int64]bool // the units the admin may export; nil: every unit
	name   string
	meta   report.Meta
}

// parseExport reads period, agency, unit and service like the dashboard does, but answers a
// filter it does not know (a period, an agency or unit the admin has not, a service not the
// unit's) with a 4xx page rather than a file of something else. A unit admin's export covers
// only their agency's units, whatever the request says. The file is named after the unit, or
// the agency when every unit exported is one agency's, else "semua".
func (s *Server) parseExport(w http.ResponseWriter, r *http.Request, ext string) (export, bool) {
	ctx, a, q := r.Context(), current(r), r.URL.Query()
	p, _, ok := choosePeriod(periods(s.DB.Now().In(s.Location)), q.Get("period"))
	if !ok { // a file of another period than asked for would pass for the one asked
		s.render(w, r, http.StatusBadRequest, "message", view{Title: "Periode tidak dikenali"},
			message{Text: fmt.Sprintf("Periode “%s” tidak dikenali. %s", q.Get("period"), periodForms), Back: "/admin/"})
		return export{}, false
	}
	e := export{filter: storage.ExportFilter{FromDay: p.FromDay, ToDay: p.ToDay}}
	from := time.Date(p.FromDay/10000, time.Month(p.FromDay/100%100), p.FromDay%100, 0, 0, 0, 0, s.Location)
	// The workbook covers the period up to today when it is under way: its minimum sample is
	// prorated to those days, as the dashboard's is.
	last := p.sampleTo(s.DB.Now().In(s.Location))
	to := time.Date(last/10000, time.Month(last/100%100), last%100, 0, 0, 0, 0, s.Location)
	e.meta = report.Meta{From: from, To: to}
	label := "semua"
	units, err := s.units(ctx, a)
	if err != nil {
		s.fail(w, r, err)
		return e, false
	}
	// Codes are found in any case, as on the dashboard. An agency the admin has no unit of
	// would give an empty file labelled as all units.
	agency, unit := q.Get("agency"), q.Get("unit")
	if agency != "" {
		i := findCode(units, agency, func(u storage.Unit) string { return u.AgencyCode })
		if i < 0 {
			s.notFound(w, r, fmt.Sprintf(view{Lang: lang(r)}.T("Instansi “%s” tidak ditemukan, atau bukan instansi Anda: tidak ada yang dapat diunduh. Pilih instansi di dasbor."), agency))
			return e, false
		}
		agency = units[i].AgencyCode
	}
	if i := findCode(units, unit, unitCode); unit != "" && i >= 0 {
		unit = units[i].Code
	}
	e.units = map[int64]bool{}
	agencies := map[string]string{} // of the exported units: code → name
	for _, u := range units {
		if unit != "" && u.Code != unit {
			continue
		}
		if agency != "" && u.AgencyCode != agency {
			continue
		}
		e.units[u.ID] = true
		agencies[u.AgencyCode] = u.AgencyName
		if unit != "" {
			e.filter.UnitID = &u.ID
			e.meta.Unit = u.Code + " — " + u.Name
			label = u.Code
		}
	}
	if q.Get("unit") != "" && e.filter.UnitID == nil {
		s.notFound(w, r, fmt.Sprintf("Unit %q tidak ditemukan, atau bukan unit instansi Anda.", q.Get("unit")))
		return e, false
	}
	// A service is one unit's, as on the dashboard, where it is offered once a unit is chosen.
	if code := q.Get("service"); code != "" {
		if e.filter.UnitID == nil {
			s.render(w, r, http.StatusBadRequest, "message", view{Title: "Pilih unit"},
				message{Text: "Layanan hanya dapat dipilih bersama unitnya: pilih unit dulu.", Back: "/admin/"})
			return e, false
		}
		sv, err := s.DB.FindServiceByCode(ctx, *e.filter.UnitID, code)
		if errors.Is(err, storage.ErrNotFound) {
			s.notFound(w, r, fmt.Sprintf("Layanan %q tidak ditemukan di unit ini.", code))
			return e, false
		} else if err != nil {
			s.fail(w, r, err)
			return e, false
		}
		e.filter.ServiceID, e.meta.Service = &sv.ID, sv.Name
		label += "_" + sv.Code
	}
	if e.filter.UnitID == nil && len(agencies) == 1 {
		// Every exported unit is of one agency (the one asked for, or a unit admin's own).
		for code, name := range agencies {
			if code != "" {
				e.meta.Unit = fmt.Sprintf("Semua unit %s — %s (gabungan)", code, name)
				label = code // the file is named as its sheet is labelled
			}
		}
	}
	e.name = fmt.Sprintf("skm_%s_%s_%s.%s", safeName(label), from.Format(time.DateOnly), to.Format(time.DateOnly), ext)
	return e, true
}

func safeName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			b[i] = '_'
		}
	}
	return string(b)
}

// each calls fn for the complete responses of the export's units.
func (s *Server) each(r *http.Request, e export, fn func(storage.ResponseRow) error) error {
	codes := map[string]bool{}
	units, err := s.DB.FindUnits(r.Context())
	if err != nil {
		return err
	}
	for _, u := range units {
		if e.units[u.ID] {
			codes[u.Code] = true
		}
	}
	return s.DB.EachResponse(r.Context(), e.filter, func(row storage.ResponseRow) error {
		if !codes[row.UnitCode] {
			return nil
		}
		return fn(row)
	})
}

// handleExportCSV is GET /api/v1/responses.csv for a signed-in admin: UTF-8 with a BOM
// (Excel), one row per complete response.
func (s *Server) handleExportCSV(w http.ResponseWriter, r *http.Request) {
	e, ok := s.parseExport(w, r, "csv")
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, e.name))
	out := download.Writer(w)
	out.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(out)
	cw.Write(report.CSVHeader)
	rec := make([]string, 0, len(report.CSVHeader))
	err := s.each(r, e, func(row storage.ResponseRow) error {
		rec = report.AppendCSV(rec[:0], row, s.Location)
		cw.Write(rec)
		return cw.Error()
	})
	cw.Flush()
	if err != nil {
		s.Logger.Error("admin: export csv", slog.Any("err", err))
		panic(http.ErrAbortHandler) // a broken download, not a truncated file that looks whole
	}
}

// handleExportXLSX is GET /api/v1/report.xlsx for a signed-in admin.
func (s *Server) handleExportXLSX(w http.ResponseWriter, r *http.Request) {
	e, ok := s.parseExport(w, r, "xlsx")
	if !ok {
		return
	}
	if len(e.units) > 0 { // no unit at all: nothing to check a sample or a trend of
		f := storage.Filter{FromDay: e.filter.FromDay, ToDay: e.filter.ToDay, ServiceID: e.filter.ServiceID}
		for id := range e.units {
			f.UnitIDs = append(f.UnitIDs, id)
		}
		slices.Sort(f.UnitIDs)
		sample, trend, err := s.DB.ReportContext(r.Context(), f, periodDays(f.FromDay, day(e.meta.To)))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		e.meta.Sample = sample
		for _, t := range trend {
			e.meta.Trend = append(e.meta.Trend, report.Trend{Label: storage.PeriodName("quarter", t.Key), Tally: t.Tally, Cut: t.ToDay > day(e.meta.To)})
		}
	}
	wb, err := report.New(e.meta)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer wb.Close()
	err = s.each(r, e, func(row storage.ResponseRow) error {
		return wb.Add(report.Respondent{Scores: row.Scores, JenisKelamin: row.JenisKelamin, Usia: row.Usia,
			Pendidikan: row.Pendidikan, Pekerjaan: row.Pekerjaan, Layanan: row.ServiceName})
	})
	if errors.Is(err, report.ErrTooManyRespondents) {
		s.render(w, r, http.StatusUnprocessableEntity, "message", view{Title: "Laporan terlalu besar"}, message{Back: "/admin/",
			Text: "Responden periode ini lebih banyak daripada yang muat di satu lembar Excel (sekitar 1.048.000): pilih periode yang lebih pendek atau satu unit, atau unduh CSV."})
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, e.name))
	if _, err := wb.Finish(download.Writer(w)); err != nil {
		s.Logger.Error("admin: export xlsx", slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
}
