// Package report builds the SKM workbook (XLSX) that agencies attach to their report: the
// regulation's working sheet "Pengolahan data survei kepuasan masyarakat per responden dan per
// unsur pelayanan", the respondent profile and a summary: the IKM, the elements from the
// weakest, the trend and a follow-up plan (rencana tindak lanjut) to discuss in a public
// consultation forum, its actions left for the unit to fill in. It is pure given its input:
// rows come in through Add, the workbook goes out through Finish; it does no SQL.
//
// Every computed number (sums, NRR, NRR tertimbang, IKM, grades) is written as a plain value
// computed by scoring.Compute from the exact tally, not as an Excel formula: the file then
// equals the API and `sukma score` to the last decimal, whatever spreadsheet opens it. NRR,
// NRR tertimbang and their sum hold the exact values (to a float's precision) shown to 4
// decimals (the working sheet's custom), the IKM its 2-decimal value: a reader who sums the
// row of NRR tertimbang in the spreadsheet gets the nilai indeks, and the IKM, as the
// regulation computes them from unrounded values. Values rounded to 4 decimals summed to
// 3.5323 where the index is 3.53216: 88.31 (A) by hand against the IKM's 88.30 (B).
package report

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/scoring"
)

// Sheet names. Excel limits a sheet name to 31 characters, so the working sheet carries its
// full regulatory title in its first row.
const (
	SheetPengolahan = "Pengolahan Data"
	SheetProfil     = "Profil Responden"
	SheetRingkasan  = "Ringkasan"
	// TitlePengolahan is the first row of SheetPengolahan.
	TitlePengolahan = "Pengolahan Data Survei Kepuasan Masyarakat per Responden dan per Unsur Pelayanan"
)

// Footer labels of SheetPengolahan, in column A, in this order after the last respondent.
const (
	LabelSum      = "Σ Nilai per unsur"
	LabelN        = "Jumlah jawaban per unsur"
	LabelNRR      = "NRR per unsur"
	LabelWeighted = "NRR tertimbang per unsur"
	LabelIndeks   = "Σ NRR tertimbang (nilai indeks)"
	LabelIKM      = "IKM unit pelayanan"
	LabelMutu     = "Mutu pelayanan"
	LabelKinerja  = "Kinerja unit pelayanan"
)

// Meta describes what the workbook covers.
type Meta struct {
	Unit string // "CODE — Name", or empty for every unit pooled
	// Service is the name of the one service of Unit the report covers, or empty for all.
	// A service has no population of its own: its report checks no minimum sample.
	Service  string
	From, To time.Time // the period, inclusive dates
	// Sample is the minimum sample check of the period (scoring.NewPeriodSample or
	// scoring.PooledSample); nil when no unit has a population.
	Sample *scoring.Sample
	// Trend is the IKM of the periods up to this one, oldest first (one per quarter, say).
	Trend []Trend
}

// A Trend is one earlier period's tally, for the summary's trend table. A period without
// respondents is shown as such, not left out.
type Trend struct {
	Label string // "Triwulan I 2026"
	Tally scoring.Tally
	// Cut is set when the period ends after the report (Meta.To) and is counted only up to
	// it: its label then says so, "Triwulan IV 2026 (s.d. 30 Nov)", since the whole period
	// elsewhere (the API, the public page) gives another IKM.
	Cut bool
}

// Title is the trend's label as shown, the dashboard's as the report's: Label, and for a
// cut period up to which day it counts, end being the report's last day.
func (t Trend) Title(end time.Time) string {
	if !t.Cut {
		return t.Label
	}
	return fmt.Sprintf("%s (s.d. %d %s)", t.Label, end.Day(), bulan[end.Month()-1][:3])
}

// Method is how Sukma collects the data, for the summary.
const Method = "Kuesioner elektronik lewat chat (Telegram, WhatsApp atau web) sesudah pelayanan, sesuai PermenPANRB 14/2017"

// A Respondent is one complete response.
type Respondent struct {
	Scores                   [9]int // 1–4, 0 = not answered
	JenisKelamin, Pendidikan string // as stored: L/P, SD…S3
	Pekerjaan, Layanan       string // PNS…LAINNYA; the service's name
	Usia                     *int   // nil = not answered; 0 is an age, in "<15"
}

// Workbook is a workbook being built. Rows of the working sheet are streamed to a temporary
// file by excelize, so a long period does not sit in memory. Close it when done.
type Workbook struct {
	meta    Meta
	f       *excelize.File
	sw      *excelize.StreamWriter
	row     int
	tally   scoring.Tally
	profile profile
	styles  styles
	maxRows int // of a sheet: Excel's, excelize.TotalRows
}

type styles struct{ title, header, dec2, dec4, pct, bold int }

// New starts a workbook and writes the working sheet's title and column headers.
func New(m Meta) (*Workbook, error) {
	f := excelize.NewFile()
	w := &Workbook{meta: m, f: f, profile: newProfile(), maxRows: excelize.TotalRows}
	if err := w.init(); err != nil {
		f.Close()
		return nil, fmt.Errorf("report: %w", err)
	}
	return w, nil
}

func (w *Workbook) init() error {
	f := w.f
	if err := f.SetSheetName("Sheet1", SheetPengolahan); err != nil {
		return err
	}
	for _, name := range []string{SheetProfil, SheetRingkasan} {
		if _, err := f.NewSheet(name); err != nil {
			return err
		}
	}
	f.SetDocProps(&excelize.DocProperties{Title: TitlePengolahan, Creator: "Sukma"})
	var err error
	newStyle := func(s *excelize.Style) int {
		id, e := f.NewStyle(s)
		if err == nil {
			err = e
		}
		return id
	}
	dec2, dec4, pct := "0.00", "0.0000", "0.00%"
	w.styles = styles{
		title:  newStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}),
		header: newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center"}}),
		dec2:   newStyle(&excelize.Style{CustomNumFmt: &dec2}),
		dec4:   newStyle(&excelize.Style{CustomNumFmt: &dec4}),
		pct:    newStyle(&excelize.Style{CustomNumFmt: &pct}),
		bold:   newStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}),
	}
	if err != nil {
		return err
	}
	if w.sw, err = f.NewStreamWriter(SheetPengolahan); err != nil {
		return err
	}
	if err := w.sw.SetColWidth(1, 1, 32); err != nil {
		return err
	}
	if err := w.sw.SetColWidth(2, 10, 9); err != nil {
		return err
	}
	header := []any{excelize.Cell{StyleID: w.styles.header, Value: "No."}}
	for _, e := range scoring.Elements {
		header = append(header, excelize.Cell{StyleID: w.styles.header, Value: e.Code})
	}
	for _, r := range append(w.heading(TitlePengolahan), nil, header) {
		if err := w.next(r); err != nil {
			return err
		}
	}
	return nil
}

// heading is the title, unit and period rows every sheet starts with.
func (w *Workbook) heading(title string) [][]any {
	unit := w.meta.Unit
	if unit == "" {
		unit = "Semua unit pelayanan (gabungan)"
	}
	if w.meta.Service != "" {
		unit += " — layanan " + w.meta.Service
	}
	return [][]any{
		{excelize.Cell{StyleID: w.styles.title, Value: title}},
		{"Unit pelayanan", unit},
		{"Periode", Period(w.meta.From, w.meta.To)},
	}
}

// next writes a row of the working sheet below the last one.
func (w *Workbook) next(values []any) error {
	w.row++
	cell, _ := excelize.CoordinatesToCellName(1, w.row)
	return w.sw.SetRow(cell, values)
}

// ErrTooManyRespondents means the respondents do not fit in one sheet: Excel holds 1,048,576
// rows, and the sheet's header and footer take some of them.
var ErrTooManyRespondents = errors.New("report: more respondents than an Excel sheet holds: choose a shorter period or one unit")

// footerRows is how many rows the footer takes at most.
const footerRows = 8

// Add writes one respondent's row (No., U1…U9; an unanswered element is an empty cell) and
// counts it in the tally and the profile. Scores outside 0–4 are an error. A response that
// answered no element is not a respondent (scoring.Scored): it gets no row and is not counted,
// as in the database's aggregates.
func (w *Workbook) Add(r Respondent) error {
	if scoring.Scored(r.Scores) && w.row+1+footerRows > w.maxRows {
		return ErrTooManyRespondents
	}
	if err := w.tally.AddResponse(r.Scores); err != nil {
		return fmt.Errorf("report: respondent %d: %w", w.tally.Respondents+1, err)
	}
	if !scoring.Scored(r.Scores) {
		return nil
	}
	row := make([]any, 10)
	row[0] = w.tally.Respondents
	for i, s := range r.Scores {
		if s > 0 {
			row[i+1] = s
		}
	}
	w.profile.add(r)
	return w.next(row)
}

// Finish writes the footer, the profile and the summary, then the workbook to out. It returns
// the result the footer shows.
func (w *Workbook) Finish(out io.Writer) (scoring.Result, error) {
	res := scoring.Compute(w.tally, scoring.Bands2017)
	if err := w.footer(res); err != nil {
		return res, fmt.Errorf("report: %w", err)
	}
	if err := w.sw.Flush(); err != nil {
		return res, fmt.Errorf("report: %w", err)
	}
	if err := w.writeProfil(); err != nil {
		return res, fmt.Errorf("report: %s: %w", SheetProfil, err)
	}
	if err := w.writeRingkasan(res); err != nil {
		return res, fmt.Errorf("report: %s: %w", SheetRingkasan, err)
	}
	if _, err := w.f.WriteTo(out); err != nil {
		return res, fmt.Errorf("report: write: %w", err)
	}
	return res, nil
}

// Close removes the workbook's temporary files.
func (w *Workbook) Close() error { return w.f.Close() }

func (w *Workbook) footer(res scoring.Result) error {
	sums := []any{excelize.Cell{StyleID: w.styles.bold, Value: LabelSum}}
	ns := []any{excelize.Cell{StyleID: w.styles.bold, Value: LabelN}}
	nrr := []any{excelize.Cell{StyleID: w.styles.bold, Value: LabelNRR}}
	weighted := []any{excelize.Cell{StyleID: w.styles.bold, Value: LabelWeighted}}
	for _, e := range res.Elements {
		sums, ns = append(sums, e.Sum), append(ns, e.N)
		if !e.Answered {
			nrr, weighted = append(nrr, nil), append(weighted, nil)
			continue
		}
		nrr = append(nrr, excelize.Cell{StyleID: w.styles.dec4, Value: Exact(e.NRRExact)})
		weighted = append(weighted, excelize.Cell{StyleID: w.styles.dec4, Value: Exact(e.Weighted)})
	}
	rows := [][]any{sums, ns, nrr, weighted}
	if res.Answered {
		rows = append(rows,
			[]any{excelize.Cell{StyleID: w.styles.bold, Value: LabelIndeks}, excelize.Cell{StyleID: w.styles.dec4, Value: Exact(res.Indeks)}},
			[]any{excelize.Cell{StyleID: w.styles.bold, Value: LabelIKM}, excelize.Cell{StyleID: w.styles.dec2, Value: Float(res.IKM)}},
			[]any{excelize.Cell{StyleID: w.styles.bold, Value: LabelMutu}, res.Grade.Mutu},
			[]any{excelize.Cell{StyleID: w.styles.bold, Value: LabelKinerja}, res.Grade.Kinerja})
	} else {
		rows = append(rows, []any{excelize.Cell{StyleID: w.styles.bold, Value: LabelIKM}, "belum ada jawaban"})
	}
	for _, r := range rows {
		if err := w.next(r); err != nil {
			return err
		}
	}
	return nil
}

// Exact is an exact value as a number for a cell, the nearest float; its cell's format
// shows it to 4 decimals.
func Exact(r *big.Rat) float64 {
	v, _ := r.Float64()
	return v
}

// Float is h as a number for a cell: 9148 → 91.48.
func Float(h scoring.Hundredths) float64 {
	v, _ := strconv.ParseFloat(h.String(), 64)
	return v
}

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// Period formats a period the Indonesian way: "1 Januari 2026 – 30 Juni 2026".
func Period(from, to time.Time) string {
	d := func(t time.Time) string { return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year()) }
	return d(from) + " – " + d(to)
}
