package web

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"sukma/report"
	"sukma/scoring"
	"sukma/storage"
	"sukma/web/download"
)

// exportRoutes registers the exports of complete responses: GET /api/v1/responses.csv and
// GET /api/v1/report.xlsx, both with ?unit=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD. Without unit
// they cover every unit, pooled; from defaults to 1 January of this year and to to today, in
// Deps.Location.
func (s *Server) exportRoutes(api func(pattern string, h http.HandlerFunc, params ...string)) {
	api("GET /api/v1/responses.csv", s.handleResponsesCSV, "unit", "from", "to")
	api("GET /api/v1/report.xlsx", s.handleReportXLSX, "unit", "from", "to")
}

// exportQuery is a parsed export request.
type exportQuery struct {
	filter   storage.ExportFilter
	unit     *storage.Unit
	from, to time.Time
}

// name is the download's file name: skm_UNIT_FROM_TO.ext, or skm_semua_… for every unit.
func (q exportQuery) name(ext string) string {
	unit := "semua"
	if q.unit != nil {
		unit = strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
				return r
			}
			return '_'
		}, q.unit.Code)
	}
	return fmt.Sprintf("skm_%s_%s_%s.%s", unit, q.from.Format(time.DateOnly), q.to.Format(time.DateOnly), ext)
}

// parseExport reads unit, from and to. On a bad request it answers with a JSON error naming
// the parameter and returns false.
func (s *Server) parseExport(w http.ResponseWriter, r *http.Request) (exportQuery, bool) {
	// The same period rules as GET /api/v1/ikm: dates are calendar days in Deps.Location.
	from, to, msg := s.dateRange(r.URL.Query().Get("from"), r.URL.Query().Get("to"))
	if msg != (problem{}) {
		msg.write(w, http.StatusBadRequest)
		return exportQuery{}, false
	}
	q := exportQuery{from: from, to: to}
	q.filter = storage.ExportFilter{FromDay: dayOf(q.from), ToDay: dayOf(q.to)}
	if code := r.URL.Query().Get("unit"); code != "" {
		u, err := s.DB.FindUnitByCode(r.Context(), code)
		if errors.Is(err, storage.ErrNotFound) {
			writeError(w, http.StatusNotFound, fmt.Sprintf("Unit %q tidak ditemukan", code), fmt.Sprintf("unit %q not found", code))
			return q, false
		}
		if err != nil {
			if s.unavailable(w, r, err) {
				return q, false
			}
			s.Logger.Error("export: find unit", slog.String("unit", code), slog.Any("err", err))
			writeError(w, http.StatusInternalServerError, "Basis data tidak menjawab: coba lagi", "the database did not answer; try again")
			return q, false
		}
		q.unit, q.filter.UnitID = &u, &u.ID
	}
	return q, true
}

// tooManyRows and tooManyRowsEn answer a report of more respondents than a sheet holds.
const (
	tooManyRows   = "Responden lebih banyak daripada yang muat di satu lembar Excel (sekitar 1.048.000): pilih periode yang lebih pendek atau satu unit, atau pakai responses.csv"
	tooManyRowsEn = "more respondents than one Excel sheet holds (about 1,048,000): choose a shorter period or one unit, or use responses.csv"
)

// csvFlushEvery is how many rows are buffered before they are sent on.
const csvFlushEvery = 500

// handleResponsesCSV streams one row per complete response, oldest first. The file is UTF-8
// with a byte-order mark: Excel (Windows, Indonesian locale) reads a CSV without one in the
// ANSI code page and garbles names and suggestions; with it, Excel opens the file correctly
// with a double click, and other tools (and `sukma score --csv`) skip the mark. Fields are
// separated by commas (RFC 4180); no field holds a decimal number, so the Indonesian decimal
// comma does not clash. An unanswered element is an empty field.
func (s *Server) handleResponsesCSV(w http.ResponseWriter, r *http.Request) {
	q, ok := s.parseExport(w, r)
	if !ok {
		return
	}
	loc := s.location()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, q.name("csv")))
	w.Header().Set("Cache-Control", "no-store")
	out := download.Writer(w)
	out.Write([]byte("\uFEFF"))
	cw := csv.NewWriter(out)
	cw.Write(report.CSVHeader)
	rc := http.NewResponseController(w)
	n := 0
	rec := make([]string, 0, len(report.CSVHeader))
	err := s.DB.EachResponse(r.Context(), q.filter, func(row storage.ResponseRow) error {
		rec = report.AppendCSV(rec[:0], row, loc)
		cw.Write(rec)
		if n++; n%csvFlushEvery == 0 {
			cw.Flush()
			if err := cw.Error(); err != nil {
				return err // the client went away
			}
			rc.Flush()
		}
		return nil
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		// The header is sent: abort the connection so the client sees a broken download
		// rather than a complete-looking, truncated file. A client that went away is no
		// error of the server's.
		level := slog.LevelError
		if r.Context().Err() != nil {
			level = slog.LevelInfo
		}
		s.Logger.Log(context.WithoutCancel(r.Context()), level, "export: responses.csv not sent whole", slog.Int("rows", n), slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
}

// handleReportXLSX builds the SKM workbook (see package report) of the complete responses.
// The rows go to excelize's stream writer, which spills to a temporary file, so a long
// period does not sit in memory; the file is sent once complete, so that a failure is an
// honest 500 and not a truncated workbook.
func (s *Server) handleReportXLSX(w http.ResponseWriter, r *http.Request) {
	q, ok := s.parseExport(w, r)
	if !ok {
		return
	}
	meta := report.Meta{From: q.from, To: q.to}
	f := storage.Filter{FromDay: q.filter.FromDay, ToDay: q.filter.ToDay}
	if q.unit != nil {
		meta.Unit = q.unit.Code + " — " + q.unit.Name
		f.UnitIDs = []int64{q.unit.ID}
	}
	sample, trend, err := s.DB.ReportContext(r.Context(), f, scoring.PeriodDays(q.from, q.to))
	if errors.Is(err, report.ErrTooManyRespondents) {
		writeError(w, http.StatusUnprocessableEntity, tooManyRows, tooManyRowsEn)
		return
	} else if err != nil {
		if s.unavailable(w, r, err) {
			return
		}
		s.Logger.Error("export: report.xlsx", slog.Any("err", err))
		writeError(w, http.StatusInternalServerError, "Jawaban tidak dapat dibaca: coba lagi", "cannot read the responses; try again")
		return
	}
	meta.Sample = sample
	for _, t := range trend {
		meta.Trend = append(meta.Trend, report.Trend{Label: storage.PeriodName("quarter", t.Key), Tally: t.Tally, Cut: t.ToDay > f.ToDay})
	}
	wb, err := report.New(meta)
	if err != nil {
		s.Logger.Error("export: report.xlsx", slog.Any("err", err))
		writeError(w, http.StatusInternalServerError, "Berkas Excel tidak dapat dibuat", "cannot build the workbook")
		return
	}
	defer wb.Close()
	err = s.DB.EachResponse(r.Context(), q.filter, func(row storage.ResponseRow) error {
		return wb.Add(report.Respondent{Scores: row.Scores, JenisKelamin: row.JenisKelamin, Usia: row.Usia,
			Pendidikan: row.Pendidikan, Pekerjaan: row.Pekerjaan, Layanan: row.ServiceName})
	})
	if errors.Is(err, report.ErrTooManyRespondents) {
		writeError(w, http.StatusUnprocessableEntity, tooManyRows, tooManyRowsEn)
		return
	} else if err != nil {
		if s.unavailable(w, r, err) {
			return
		}
		s.Logger.Error("export: report.xlsx", slog.Any("err", err))
		writeError(w, http.StatusInternalServerError, "Jawaban tidak dapat dibaca: coba lagi", "cannot read the responses; try again")
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, q.name("xlsx")))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := wb.Finish(download.Writer(w)); err != nil {
		s.Logger.Error("export: report.xlsx", slog.Any("err", err))
		panic(http.ErrAbortHandler)
	}
}
