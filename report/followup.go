package report

import (
	"github.com/xuri/excelize/v2"

	"sukma/scoring"
)

// LabelFollowUp heads the follow-up plan (rencana tindak lanjut) on SheetRingkasan.
const LabelFollowUp = "Rencana tindak lanjut"

// ForumNote closes the follow-up plan: the regulation's report has the plan discussed with
// service users in a public consultation forum before it is carried out and published.
const ForumNote = "Rencana tindak lanjut ini dibahas bersama pengguna layanan dan pemangku kepentingan dalam forum konsultasi publik, lalu hasilnya dipublikasikan."

// followUpSize is how many of the weakest elements the plan lists when none is below B.
const followUpSize = 3

// followUp returns the elements the follow-up plan starts from, weakest first, and whether
// they are the ones graded below B.
//
// An element graded C or D (kinerja "Kurang Baik", "Tidak Baik") is one the unit must improve,
// so every such element is listed, however many. When none is, the plan still has something
// to discuss: the three weakest, and any tied with the third, since NRR alone cannot say
// which of equal elements to leave out. An element nobody answered has no NRR to improve on
// and is left to the element table, which marks it.
func followUp(res scoring.Result) ([]scoring.ElementResult, bool) {
	var answered, below []scoring.ElementResult
	for _, e := range Ranked(res) {
		if !e.Answered {
			continue
		}
		answered = append(answered, e)
		if e.Grade.Mutu == "C" || e.Grade.Mutu == "D" {
			below = append(below, e)
		}
	}
	if len(below) > 0 {
		return below, true
	}
	n := min(followUpSize, len(answered))
	for n > 0 && n < len(answered) && answered[n].NRRExact.Cmp(answered[n-1].NRRExact) == 0 {
		n++
	}
	return answered[:n], false
}

// followUpRows is the follow-up plan: the elements to act on, with empty columns for the
// action, the person in charge and the deadline, which the unit fills in after the forum.
func (w *Workbook) followUpRows(res scoring.Result) [][]any {
	rows := [][]any{nil, {excelize.Cell{StyleID: w.styles.bold, Value: LabelFollowUp}}}
	els, belowB := followUp(res)
	switch {
	case len(els) == 0:
		rows = append(rows, []any{"Belum ada jawaban: belum ada unsur yang dapat ditindaklanjuti."})
	case belowB:
		rows = append(rows, []any{"Unsur dengan mutu di bawah B (Baik), dari yang terlemah:"})
	default:
		rows = append(rows, []any{"Tidak ada unsur dengan mutu di bawah B (Baik); unsur dengan NRR terendah:"})
	}
	if len(els) > 0 {
		header := []any{}
		for _, h := range []string{"No.", "Kode", "Unsur", "NRR", "Mutu", "Rencana perbaikan", "Penanggung jawab", "Waktu"} {
			header = append(header, excelize.Cell{StyleID: w.styles.header, Value: h})
		}
		rows = append(rows, header)
		for i, e := range els {
			rows = append(rows, []any{i + 1, e.Code, e.Name, excelize.Cell{StyleID: w.styles.dec2, Value: Float(e.NRR)}, e.Grade.Mutu})
		}
	}
	return append(rows, []any{ForumNote})
}
