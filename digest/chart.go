package digest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strings"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"sukma/scoring"
)

// ChartWidth and ChartHeight are the chart's size: a phone screen's shape, with fonts large
// enough to read without zooming.
const (
	ChartWidth  = 800
	ChartHeight = 1000
)

var (
	white = color.RGBA{255, 255, 255, 255}
	ink   = color.RGBA{33, 37, 41, 255}
	grey  = color.RGBA{108, 117, 125, 255}
	bar   = color.RGBA{13, 71, 161, 255}
	// The grade bands, shaded: D red, C orange, B yellow-green, A green.
	bands = [4]band{
		{"D", 25, color.RGBA{248, 215, 218, 255}, color.RGBA{176, 42, 55, 255}},
		{"C", 65, color.RGBA{255, 236, 204, 255}, color.RGBA{178, 104, 0, 255}},
		{"B", 76.61, color.RGBA{232, 245, 208, 255}, color.RGBA{85, 124, 20, 255}},
		{"A", 88.31, color.RGBA{209, 240, 218, 255}, color.RGBA{25, 120, 60, 255}},
	}
)

type faces struct{ title, big, label, small font.Face }

var (
	// chartMu serialises drawing: font faces keep buffers and are not safe for concurrent use.
	chartMu   sync.Mutex
	facesOnce sync.Once
	loaded    faces
	facesErr  error
)

func loadFaces() (faces, error) {
	facesOnce.Do(func() {
		reg, err := opentype.Parse(goregular.TTF)
		if err != nil {
			facesErr = err
			return
		}
		bold, err := opentype.Parse(gobold.TTF)
		if err != nil {
			facesErr = err
			return
		}
		face := func(f *opentype.Font, size float64) font.Face {
			fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
			if err != nil && facesErr == nil {
				facesErr = err
			}
			return fc
		}
		loaded = faces{title: face(bold, 44), big: face(bold, 26), label: face(reg, 24), small: face(reg, 20)}
	})
	return loaded, facesErr
}

// Chart draws the digest's picture as a PNG of ChartWidth×ChartHeight: the IKM in large type,
// the elements as horizontal bars over the grade bands, and the IKM trend over the periods of
// d.Trend. It needs a period with responses.
func Chart(d Data, code string) ([]byte, error) {
	chartMu.Lock()
	defer chartMu.Unlock()
	f, err := loadFaces()
	if err != nil {
		return nil, fmt.Errorf("digest: chart fonts: %w", err)
	}
	l := langOf(code)
	img := image.NewRGBA(image.Rect(0, 0, ChartWidth, ChartHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(white), image.Point{}, draw.Src)
	res := scoring.Compute(d.Tally, scoring.Bands2017)
	name := d.Name
	if d.Scope == ScopeProvince || name == "" {
		name = l.t("province")
	}
	text(img, f.big, ink, 30, 44, cutWords(f.big, name, ChartWidth-60))
	text(img, f.label, grey, 30, 78, l.period(d.Period))
	if res.Answered {
		g := bandOf(float64(res.IKM) / 100)
		text(img, f.title, g.text, 30, 136, fmt.Sprintf("IKM %s · %s", l.num(res.IKM), res.Grade.Mutu))
		text(img, f.label, grey, 30+width(f.title, fmt.Sprintf("IKM %s · %s", l.num(res.IKM), res.Grade.Mutu))+16, 136, l.kinerja(res.Grade))
	}
	elementBars(img, f, l, res, 170)
	trend(img, f, l, d.Trend, 700)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("digest: chart: %w", err)
	}
	return buf.Bytes(), nil
}

// elementBars draws the nine elements from top, NRR 1–4 across, the grade bands behind.
func elementBars(img *image.RGBA, f faces, l lang, res scoring.Result, top int) {
	const left, right, row = 300, 770, 48
	text(img, f.big, ink, 30, top+10, l.t("chartNRR"))
	top += 30
	x := func(nrr float64) int { return left + int(math.Round((nrr-1)/3*float64(right-left))) }
	bottom := top + 9*row + 10
	for i, b := range bands {
		hi := 4.0
		if i < 3 {
			hi = bands[i+1].floor / 25
		}
		fill(img, x(b.floor/25), top, x(hi), bottom, b.fill)
		mid := (x(b.floor/25) + x(hi)) / 2
		text(img, f.small, b.text, mid-width(f.small, b.mutu)/2, bottom+24, b.mutu)
	}
	for i, e := range res.Elements {
		y := top + 8 + i*row
		text(img, f.label, ink, 30, y+30, cutWidth(f.label, elementNames[l][i], left-40))
		if !e.Answered {
			text(img, f.small, grey, left+8, y+30, "–")
			continue
		}
		nrr, _ := e.NRRExact.Float64()
		end := x(nrr)
		fill(img, left, y+6, end, y+row-8, bar)
		v := l.num(e.NRR)
		if end+10+width(f.label, v) < ChartWidth-4 {
			text(img, f.label, ink, end+8, y+30, v)
		} else {
			text(img, f.label, white, end-8-width(f.label, v), y+30, v)
		}
	}
}

// trendAxis is the trend's lowest value and the values labelled on its axis: 50–100, where
// IKMs mostly are, or the whole scale from 25 when a point is below 50, which would
// otherwise be drawn on the 50 line as if it were 50.
func trendAxis(pts []TrendPoint) (lo float64, ticks []float64) {
	for _, p := range pts {
		if r := scoring.Compute(p.Tally, scoring.Bands2017); p.Tally.Respondents > 0 && r.Answered && r.IKM < 5000 {
			return 25, []float64{25, 65, 76.61, 88.31, 100}
		}
	}
	return 50, []float64{50, 65, 76.61, 88.31, 100}
}

// trend draws the IKM of each period as a line over the grade bands (see trendAxis).
func trend(img *image.RGBA, f faces, l lang, pts []TrendPoint, top int) {
	const left, right, hi = 90, 760, 100.0
	lo, ticks := trendAxis(pts)
	text(img, f.big, ink, 30, top+10, l.t("chartTrend"))
	top += 40
	bottom := top + 220
	y := func(v float64) int {
		v = math.Max(lo, math.Min(hi, v))
		return bottom - int(math.Round((v-lo)/(hi-lo)*float64(bottom-top)))
	}
	for i, b := range bands {
		upper := hi
		if i < 3 {
			upper = bands[i+1].floor
		}
		if upper <= lo {
			continue
		}
		fill(img, left, y(upper), right, y(math.Max(b.floor, lo)), b.fill)
		text(img, f.small, b.text, right+8, (y(upper)+y(math.Max(b.floor, lo)))/2+7, b.mutu)
	}
	for _, v := range ticks {
		label := fmt.Sprintf("%.0f", math.Floor(v))
		text(img, f.small, grey, left-10-width(f.small, label), y(v)+7, label)
	}
	if len(pts) == 0 {
		return
	}
	step := float64(right-left) / float64(max(len(pts), 2))
	var prev image.Point
	havePrev := false
	for i, p := range pts {
		cx := left + int(step/2+float64(i)*step)
		label := shortPeriod(l, p.Period)
		text(img, f.small, grey, cx-width(f.small, label)/2, bottom+28, label)
		r := scoring.Compute(p.Tally, scoring.Bands2017)
		if p.Tally.Respondents == 0 || !r.Answered {
			havePrev = false
			continue
		}
		v := float64(r.IKM) / 100
		pt := image.Point{cx, y(v)}
		if havePrev {
			line(img, prev, pt, 4, bar)
		}
		disc(img, pt, 8, bar)
		val := l.num(r.IKM)
		text(img, f.small, ink, cx-width(f.small, val)/2, pt.Y-14, val)
		prev, havePrev = pt, true
	}
}

// shortPeriod labels a trend point: "2026" for a calendar year, "Jan–Mar" for whole months
// (a quarter, a semester), "Nov" for a month, "16/11" (the first day) otherwise.
func shortPeriod(l lang, p Period) string {
	wholeMonths := p.From.Day() == 1 && p.To.AddDate(0, 0, 1).Day() == 1
	switch {
	case wholeMonths && p.From.Month() == time.January && p.To.Month() == time.December && p.From.Year() == p.To.Year():
		return fmt.Sprint(p.From.Year())
	case wholeMonths && p.From.Month() == p.To.Month():
		return l.month(p.From.Month(), true)
	case wholeMonths && p.From.Year() == p.To.Year():
		return l.month(p.From.Month(), true) + "–" + l.month(p.To.Month(), true)
	}
	return fmt.Sprintf("%d/%d", p.From.Day(), int(p.From.Month()))
}

// band is a grade band as the chart shades it.
type band struct {
	mutu  string
	floor float64 // on the IKM scale
	fill  color.RGBA
	text  color.RGBA
}

func bandOf(ikm float64) (b band) {
	for _, x := range bands {
		if ikm >= x.floor {
			b = x
		}
	}
	return b
}

func text(img *image.RGBA, face font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func width(face font.Face, s string) int { return font.MeasureString(face, s).Round() }

// cutWidth shortens s with an ellipsis until it fits w pixels.
func cutWidth(face font.Face, s string, w int) string {
	if width(face, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 1 && width(face, strings.TrimSpace(string(r))+"…") > w {
		r = r[:len(r)-1]
	}
	return strings.TrimSpace(string(r)) + "…"
}

// cutWords shortens s to the words that fit w pixels with an ellipsis, a name being read
// better without half a word; a first word too long alone is cut by cutWidth.
func cutWords(face font.Face, s string, w int) string {
	if width(face, s) <= w {
		return s
	}
	words := strings.Fields(s)
	for n := len(words) - 1; n > 0; n-- {
		if t := strings.Join(words[:n], " ") + "…"; width(face, t) <= w {
			return t
		}
	}
	return cutWidth(face, s, w)
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), image.NewUniform(c), image.Point{}, draw.Src)
}

func disc(img *image.RGBA, p image.Point, r int, c color.Color) {
	for dy := -r; dy <= r; dy++ {
		for dx := -r; dx <= r; dx++ {
			if dx*dx+dy*dy <= r*r {
				img.Set(p.X+dx, p.Y+dy, c)
			}
		}
	}
}

func line(img *image.RGBA, a, b image.Point, thick int, c color.Color) {
	n := max(abs(b.X-a.X), abs(b.Y-a.Y))
	for i := 0; i <= n; i++ {
		t := float64(i) / float64(max(n, 1))
		p := image.Point{a.X + int(math.Round(t*float64(b.X-a.X))), a.Y + int(math.Round(t*float64(b.Y-a.Y)))}
		disc(img, p, thick/2, c)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
