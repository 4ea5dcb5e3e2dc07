package digest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf16"

	"sukma/bot"
	"sukma/scoring"
	"sukma/storage"
)

// CaptionLimit is the longest photo caption Telegram accepts, in UTF-16 code units.
const CaptionLimit = 1024

// Replies returns the digest as chat messages: the chart with the text as its caption, or,
// when the text is too long for a caption, the chart with a short caption followed by the
// text. A period without responses is the text alone.
func Replies(d Data, code string) ([]bot.Reply, error) {
	body := Text(d, code)
	if d.Tally.Respondents == 0 {
		return []bot.Reply{{Text: body}}, nil
	}
	png, err := Chart(d, code)
	if err != nil {
		return nil, err
	}
	if len(utf16.Encode([]rune(body))) <= CaptionLimit {
		return []bot.Reply{{Text: body, Photo: png}}, nil
	}
	l := langOf(code)
	lines := strings.SplitN(body, "\n", 5)
	short := strings.Join(lines[:min(4, len(lines))], "\n") + "\n\n" + l.t("seeText")
	return []bot.Reply{{Text: short, Photo: png}, {Text: body}}, nil
}

// AlertThreshold is the score at or below which an element calls for an alert: 1, the
// worst answer ("tidak sesuai", "tidak mudah", …).
const AlertThreshold = 1

// Alarming reports whether a response calls for an alert: a saran or perbaikan text naming
// serious misconduct (see Misconduct), even in a partial response (a citizen who reported a
// bribe and left before the last question), or, in a complete one, an element scored at or
// below threshold. A mild suggestion alone does not: the flow asks what to improve whenever
// an element is scored 1 or 2, and "tambah kursi" belongs in the digest, not in an alert.
func Alarming(r storage.ResponseScores, threshold int) bool {
	if reportsMisconduct(r) {
		return true
	}
	return r.Complete && lowCount(r, threshold) > 0
}

func reportsMisconduct(r storage.ResponseScores) bool {
	return Misconduct(r.Saran) || Misconduct(r.Perbaikan)
}

// lowCount is how many elements of r are scored at or below threshold.
func lowCount(r storage.ResponseScores, threshold int) int {
	n := 0
	for _, s := range r.Scores {
		if s > 0 && s <= threshold {
			n++
		}
	}
	return n
}

// maxAlertItems is how many responses one alert details.
const maxAlertItems = 8

// AlertText is one alert about responses rs for a subscriber named name (a unit, an agency,
// or "" for the province): for each response its date and time in loc, unit, service,
// whether the survey was left unfinished, low elements and texts; never who answered.
// Responses naming misconduct come first, then those with more elements at or below
// threshold, newest first within. Each text is named by its question (Perbaikan, Saran), one
// naming misconduct first: never "Keluhan" (complaint), as it may as well thank for what it
// names being absent, and the head reads which it is.
func AlertText(name string, rs []storage.ResponseScores, threshold int, loc *time.Location, code, dashboard string) string {
	l := langOf(code)
	if name == "" {
		name = l.t("province")
	}
	rs = slices.Clone(rs)
	slices.SortStableFunc(rs, func(a, b storage.ResponseScores) int {
		return cmp.Or(-cmp.Compare(boolInt(reportsMisconduct(a)), boolInt(reportsMisconduct(b))),
			-cmp.Compare(lowCount(a, threshold), lowCount(b, threshold)),
			-cmp.Compare(a.FinishedAt, b.FinishedAt), -cmp.Compare(a.ID, b.ID))
	})
	var b strings.Builder
	fmt.Fprintf(&b, l.t("alertTitle")+"\n", name)
	count := l.t("alertCount")
	if len(rs) == 1 {
		count = l.t("alertCount1")
	}
	fmt.Fprintf(&b, count+"\n", len(rs))
	for i, r := range rs {
		if i == maxAlertItems {
			fmt.Fprintf(&b, "\n"+l.t("alertMore")+"\n", len(rs)-maxAlertItems)
			break
		}
		head := l.dateTime(time.UnixMilli(r.FinishedAt).In(loc)) + " · " + r.UnitName
		if r.Service != "" {
			head += " · " + r.Service
		}
		if !r.Complete {
			head += " · " + l.t("alertPartial")
		}
		fmt.Fprintf(&b, "\n• %s\n", head)
		texts := []struct{ key, text string }{{"perbaikan", r.Perbaikan}, {"saran", r.Saran}}
		for _, t := range texts {
			if text := oneLine(t.text); text != "" && Misconduct(text) {
				fmt.Fprintf(&b, "  "+l.t(t.key)+"\n", cut(text, 300))
			}
		}
		if all1(r) {
			b.WriteString("  " + l.t("allLow") + "\n")
		} else if low := lowElements(l, r, threshold); len(low) > 0 {
			fmt.Fprintf(&b, "  "+l.t("low")+"\n", strings.Join(low, ", "))
		}
		for _, t := range texts {
			if text := oneLine(t.text); text != "" && !Misconduct(text) {
				fmt.Fprintf(&b, "  "+l.t(t.key)+"\n", cut(text, 300))
			}
		}
	}
	b.WriteByte('\n')
	if dashboard != "" {
		fmt.Fprintf(&b, l.t("alertAction"), dashboard)
	} else {
		b.WriteString(l.t("alertNoLink"))
	}
	b.WriteString("\n" + l.t("stopFooter"))
	return strings.TrimSpace(b.String())
}

// all1 reports whether every element of r is scored 1: said in one line, not nine.
func all1(r storage.ResponseScores) bool {
	return !slices.ContainsFunc(r.Scores[:], func(s int) bool { return s != 1 })
}

func lowElements(l lang, r storage.ResponseScores, threshold int) []string {
	var low []string
	for j, s := range r.Scores {
		if s > 0 && s <= threshold {
			low = append(low, fmt.Sprintf("%s %s %d", scoring.Elements[j].Code, elementNames[l][j], s))
		}
	}
	return low
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
