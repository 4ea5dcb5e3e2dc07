package report

import (
	"errors"
	"io"
	"testing"
	"time"
)

// Past the rows a sheet holds (Excel's 1,048,576; 40 here) the workbook says so, with a typed
// error the handlers answer 422 with, rather than failing on a cell it cannot name; what fits
// still gets its footer.
func TestMoreRespondentsThanASheetHoldsAreRefused(t *testing.T) {
	w, err := New(Meta{From: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	w.maxRows = 40
	r := Respondent{Scores: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}}
	added := 0
	for ; added < 100; added++ {
		if err := w.Add(r); errors.Is(err, ErrTooManyRespondents) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
	}
	if added == 100 || w.row+footerRows != w.maxRows {
		t.Errorf("%d respondents added before the limit, up to row %d: want the rows filled up to %d with the footer's %d", added, w.row, w.maxRows, footerRows)
	}
	if err := w.Add(Respondent{}); err != nil {
		t.Errorf("a response with no element takes no row, so it is no error: %v", err)
	}
	if _, err := w.Finish(io.Discard); err != nil {
		t.Errorf("the respondents that fit, with their footer: %v", err)
	}
}
