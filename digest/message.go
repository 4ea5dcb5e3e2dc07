package digest

import (
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

// Alarming reports whether a response calls for an alert: complete, with an element scored
// at or below threshold or a complaint (perbaikan) text.
func Alarming(r storage.ResponseScores, threshold int) bool {
	if !r.Complete {
		return false
	}
	if strings.TrimSpace(r.Perbaikan) != "" {
		return true
	}
	return slices.ContainsFunc(r.Scores[:], func(s int) bool { return s > 0 && s <= threshold })
}

// maxAlertItems is how many responses one alert details.
const maxAlertItems = 8

// AlertText is one alert about responses rs for a subscriber named name (a unit, an agency,
// or "" for the province): for each response its time, unit, service, low elements and
// complaint; never who answered.
func AlertText(name string, rs []storage.ResponseScores, threshold int, loc *time.Location, code, dashboard string) string {
	l := langOf(code)
	if name == "" {
		name = l.t("province")
	}
	var b strings.Builder
	fmt.Fprintf(&b, l.t("alertTitle")+"\n", name)
	fmt.Fprintf(&b, l.t("alertCount")+"\n", len(rs))
	for i, r := range rs {
		if i == maxAlertItems {
			fmt.Fprintf(&b, "\n"+l.t("alertMore")+"\n", len(rs)-maxAlertItems)
			break
		}
		at := time.UnixMilli(r.FinishedAt).In(loc)
		head := fmt.Sprintf("%02d.%02d · %s", at.Hour(), at.Minute(), r.UnitName)
		if l == "en" {
			head = fmt.Sprintf("%02d:%02d · %s", at.Hour(), at.Minute(), r.UnitName)
		}
		if r.Service != "" {
			head += " · " + r.Service
		}
		fmt.Fprintf(&b, "\n• %s\n", head)
		var low []string
		for j, s := range r.Scores {
			if s > 0 && s <= threshold {
				low = append(low, fmt.Sprintf("%s %s %d", scoring.Elements[j].Code, elementNames[l][j], s))
			}
		}
		if len(low) > 0 {
			fmt.Fprintf(&b, "  "+l.t("low")+"\n", strings.Join(low, ", "))
		}
		if p := oneLine(r.Perbaikan); p != "" {
			fmt.Fprintf(&b, "  "+l.t("complaint")+"\n", cut(p, 300))
		}
	}
	if dashboard != "" {
		fmt.Fprintf(&b, "\n"+l.t("dashboard"), dashboard)
	}
	return strings.TrimSpace(b.String())
}
