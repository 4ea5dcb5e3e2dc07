package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"sukma/scoring"
)

// A category counts respondents by one profile question, in a fixed order of known values
// followed by any other value met, then "Tidak diisi".
type category struct {
	title  string
	order  []string          // known values, in the order of the standard form
	rare   []string          // known values put before order, and only when counted
	labels map[string]string // value → printed label
	counts map[string]int64
	byRank bool // order by count (most first) rather than by order
}

type profile []*category

const notGiven = ""

func newProfile() profile {
	return profile{
		{title: "Jenis kelamin", order: []string{"L", "P"}, labels: map[string]string{"L": "Laki-laki", "P": "Perempuan"}},
		{title: "Usia", order: scoring.AgeBands, rare: []string{scoring.AgeUnder15}, labels: ageLabels()},
		{title: "Pendidikan", order: []string{"SD", "SMP", "SMA", "D1-D3", "S1", "S2", "S3"},
			labels: map[string]string{"SMA": "SMA/sederajat", "D1-D3": "D1–D3"}},
		{title: "Pekerjaan", order: []string{"PNS", "TNI", "POLRI", "SWASTA", "WIRAUSAHA", "LAINNYA"},
			labels: map[string]string{"SWASTA": "Pegawai swasta", "WIRAUSAHA": "Wirausaha", "LAINNYA": "Lainnya"}},
		{title: "Jenis layanan", byRank: true, labels: map[string]string{notGiven: "Tidak disebut"}},
	}
}

// ageLabels prints scoring's age bands as "15–24 tahun", "≥ 65 tahun".
func ageLabels() map[string]string {
	labels := map[string]string{}
	for _, b := range append([]string{scoring.AgeUnder15}, scoring.AgeBands...) {
		labels[b] = strings.NewReplacer("<", "< ", "≥", "≥ ").Replace(b) + " tahun"
	}
	return labels
}

// ageBand is the band of an age, or notGiven when there is none. It must agree with the
// profile query (storage/queries/aggregates.sql), which bands only NULL as not answered.
func ageBand(usia *int) string {
	if usia == nil {
		return notGiven
	}
	return scoring.AgeBand(*usia)
}

func (p profile) add(r Respondent) {
	for i, v := range []string{r.JenisKelamin, ageBand(r.Usia), r.Pendidikan, r.Pekerjaan, r.Layanan} {
		c := p[i]
		if c.counts == nil {
			c.counts = map[string]int64{}
		}
		c.counts[v]++
	}
}

// rows returns the category's values with their counts, in print order.
func (c *category) rows() (values []string) {
	seen := map[string]bool{}
	for _, v := range c.rare {
		seen[v] = true
		if c.counts[v] > 0 {
			values = append(values, v)
		}
	}
	for _, v := range c.order {
		values, seen[v] = append(values, v), true
	}
	var other []string
	for v := range c.counts {
		if !seen[v] && v != notGiven {
			other = append(other, v)
		}
	}
	slices.Sort(other)
	values = append(values, other...)
	if c.byRank {
		slices.SortStableFunc(values, func(a, b string) int { return cmp.Compare(c.counts[b], c.counts[a]) })
	}
	if c.counts[notGiven] > 0 {
		values = append(values, notGiven)
	}
	return values
}

func (c *category) label(v string) string {
	if l, ok := c.labels[v]; ok {
		return l
	}
	if v == notGiven {
		return "Tidak diisi"
	}
	return v
}

func (w *Workbook) writeProfil() error {
	sw, err := w.f.NewStreamWriter(SheetProfil)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(1, 1, 40); err != nil {
		return err
	}
	n := w.tally.Respondents
	rows := append(w.heading("Profil Responden"), []any{"Jumlah responden", n}, nil)
	for _, c := range w.profile {
		rows = append(rows, []any{
			excelize.Cell{StyleID: w.styles.bold, Value: c.title},
			excelize.Cell{StyleID: w.styles.header, Value: "Jumlah"},
			excelize.Cell{StyleID: w.styles.header, Value: "Persentase"}})
		for _, v := range c.rows() {
			row := []any{c.label(v), c.counts[v]}
			if n > 0 {
				row = append(row, excelize.Cell{StyleID: w.styles.pct, Value: float64(c.counts[v]) / float64(n)})
			}
			rows = append(rows, row)
		}
		rows = append(rows, nil)
	}
	return writeRows(sw, rows)
}

// writeRingkasan writes the unit's IKM, its elements from the weakest to the strongest, the
// trend and the follow-up plan.
func (w *Workbook) writeRingkasan(res scoring.Result) error {
	sw, err := w.f.NewStreamWriter(SheetRingkasan)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(3, 3, 42); err != nil {
		return err
	}
	// The follow-up plan's columns to fill in: what, who, when.
	if err := sw.SetColWidth(6, 8, 24); err != nil {
		return err
	}
	rows := append(w.heading("Ringkasan Hasil Survei Kepuasan Masyarakat"),
		[]any{"Metode pengumpulan data", Method},
		[]any{"Jumlah responden", res.Respondents})
	switch s := w.meta.Sample; {
	case w.meta.Service != "":
		rows = append(rows, []any{"Kecukupan sampel", "dinilai per unit, bukan per layanan"})
	case s != nil:
		met := "belum memenuhi"
		if s.Met {
			met = "memenuhi"
		}
		if s.Units > 1 { // pooled: met only when every unit meets its own
			met += fmt.Sprintf(" (%d dari %d unit memenuhi sampel minimumnya sendiri)", s.UnitsMet, s.Units)
		}
		rows = append(rows,
			[]any{"Populasi penerima layanan (setahun)", s.Population},
			[]any{sampleLabel(w.meta.From, w.meta.To), s.Required},
			[]any{"Kecukupan sampel", met})
		if n := s.UnitsWithoutPopulation; n > 0 {
			rows = append(rows, []any{"Unit tanpa populasi", fmt.Sprintf("%d unit belum diisi populasinya: tidak ikut dinilai kecukupan sampelnya", n)})
		}
	default:
		rows = append(rows, []any{"Kecukupan sampel", "populasi belum diisi"})
	}
	if res.Answered {
		rows = append(rows,
			[]any{"IKM unit pelayanan", excelize.Cell{StyleID: w.styles.dec2, Value: Float(res.IKM)}},
			[]any{"Mutu pelayanan", res.Grade.Mutu},
			[]any{"Kinerja unit pelayanan", res.Grade.Kinerja})
		if note := fewerElements(res); note != "" {
			rows = append(rows, []any{LabelElementsCounted, "IKM dihitung " + note + ", bukan sembilan unsur PermenPANRB 14/2017"})
		}
	} else {
		rows = append(rows, []any{"IKM unit pelayanan", "belum ada jawaban"})
	}
	rows = append(rows, nil, []any{"Unsur pelayanan, dari yang terlemah ke yang terkuat"})
	header := []any{}
	for _, h := range []string{"No.", "Kode", "Unsur", "NRR", "IKM unsur", "Mutu", "Kinerja", "Keterangan"} {
		header = append(header, excelize.Cell{StyleID: w.styles.header, Value: h})
	}
	rows = append(rows, header)
	els := Ranked(res)
	for i, e := range els {
		row := []any{i + 1, e.Code, e.Name}
		if e.Answered {
			note := ""
			switch weakest, strongest := els[0].NRRExact, lastAnswered(els).NRRExact; {
			case weakest.Cmp(strongest) == 0: // all equal: none is weaker or stronger
			case e.NRRExact.Cmp(weakest) == 0:
				note = "terlemah"
			case e.NRRExact.Cmp(strongest) == 0:
				note = "terkuat"
			}
			row = append(row, excelize.Cell{StyleID: w.styles.dec2, Value: Float(e.NRR)},
				excelize.Cell{StyleID: w.styles.dec2, Value: Float(e.IKM)}, e.Grade.Mutu, e.Grade.Kinerja, note)
		} else {
			row = append(row, nil, nil, nil, nil, "belum ada jawaban")
		}
		rows = append(rows, row)
	}
	if len(w.meta.Trend) > 0 {
		rows = append(rows, nil, []any{"Tren IKM"})
		header := []any{}
		for _, h := range []string{"Periode", "Jumlah responden", "IKM", "Mutu", "Kinerja", "Keterangan"} {
			header = append(header, excelize.Cell{StyleID: w.styles.header, Value: h})
		}
		rows = append(rows, header)
		for _, t := range w.meta.Trend {
			r := scoring.Compute(t.Tally, scoring.Bands2017)
			row := []any{t.Title(w.meta.To), r.Respondents}
			switch {
			case r.Answered:
				row = append(row, excelize.Cell{StyleID: w.styles.dec2, Value: Float(r.IKM)}, r.Grade.Mutu, r.Grade.Kinerja)
				if note := fewerElements(r); note != "" {
					row = append(row, note)
				}
			case r.Respondents == 0:
				row = append(row, "—")
			default:
				row = append(row, "belum ada jawaban")
			}
			rows = append(rows, row)
		}
	}
	rows = append(rows, w.followUpRows(res)...)
	return writeRows(sw, rows)
}

// LabelElementsCounted labels, on SheetRingkasan, the row that says the IKM was computed from
// fewer than the nine elements; the row is there only then.
const LabelElementsCounted = "Unsur yang dihitung"

// fewerElements is "dari 8 unsur (tanpa U8)" for an IKM computed from fewer than the nine
// elements (a flow without an element, or an element nobody answered), or "": such an IKM is
// not the regulation's, and whoever reads it must be told.
func fewerElements(res scoring.Result) string {
	if !res.Answered || res.K >= len(scoring.Elements) {
		return ""
	}
	return fmt.Sprintf("dari %d unsur (tanpa %s)", res.K, strings.Join(res.Unanswered(), ", "))
}

// Ranked returns the elements of res from the weakest to the strongest (by exact NRR; ties
// in code order), elements nobody answered last.
func Ranked(res scoring.Result) []scoring.ElementResult {
	els := slices.Clone(res.Elements)
	slices.SortStableFunc(els, func(a, b scoring.ElementResult) int {
		switch {
		case a.Answered && b.Answered:
			return a.NRRExact.Cmp(b.NRRExact)
		case a.Answered:
			return -1
		case b.Answered:
			return 1
		}
		return 0
	})
	return els
}

// lastAnswered returns the last answered element of Ranked's order: the strongest.
func lastAnswered(els []scoring.ElementResult) scoring.ElementResult {
	for i := len(els) - 1; i > 0; i-- {
		if els[i].Answered {
			return els[i]
		}
	}
	return els[0]
}

// sampleLabel names the minimum sample of a period: the regulation's is yearly, and a
// shorter period is held to it prorated (scoring.PeriodSampleSize).
func sampleLabel(from, to time.Time) string {
	days := scoring.PeriodDays(from, to)
	if days >= 365 {
		return "Sampel minimum (Krejcie–Morgan)"
	}
	return fmt.Sprintf("Sampel minimum untuk %d hari (Krejcie–Morgan setahun, prorata)", days)
}

func writeRows(sw *excelize.StreamWriter, rows [][]any) error {
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, r); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return sw.Flush()
}
