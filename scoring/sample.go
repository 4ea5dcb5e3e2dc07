package scoring

import "math/big"

// Krejcie–Morgan constants as the regulation states them: λ² = 3,841 (χ² for
// one degree of freedom at 95%), P = Q = 0,5, d = 0,05.
var (
	kmLambda2 = big.NewRat(3841, 1000)
	kmPQ      = big.NewRat(1, 4)
	kmD2      = big.NewRat(1, 400)
)

// SampleSize returns the Krejcie–Morgan minimum number of respondents for a
// yearly population of service users:
//
//	S = λ²·N·P·Q / (d²·(N−1) + λ²·P·Q)
//
// computed exactly and rounded to the nearest whole number (halves up). It
// matches the published table: 100→80, 500→217, 1000→278, 10000→370,
// 1000000→384. A population of zero or less needs no sample: it returns 0.
func SampleSize(population int64) int64 {
	if population <= 0 {
		return 0
	}
	n := new(big.Rat).SetInt64(population)
	lpq := new(big.Rat).Mul(kmLambda2, kmPQ)
	num := new(big.Rat).Mul(lpq, n)
	den := new(big.Rat).Sub(n, big.NewRat(1, 1))
	den.Mul(den, kmD2).Add(den, lpq)
	return roundHalfUp(num.Quo(num, den)).Int64()
}

// PeriodSampleSize is the minimum sample for a period of days: SampleSize for a
// year or more; for a shorter period, the yearly minimum prorated to its days
// and rounded up. The regulation's minimum is per year; a week cannot be held
// to a year's count, and a prorated minimum shows early whether the year is on
// track. Digests, the dashboard and the API all use it, so they agree.
func PeriodSampleSize(population int64, days int) int64 {
	yearly := SampleSize(population)
	if days >= 365 {
		return yearly
	}
	return (yearly*int64(max(days, 0)) + 364) / 365
}

// A Sample says whether the respondents meet the minimum sample for a
// population; it is the "sample" object of the score JSON.
type Sample struct {
	Population int64 `json:"population"`
	Required   int64 `json:"required"` // SampleSize(Population), or PeriodSampleSize
	Met        bool  `json:"met"`      // respondents ≥ Required
	// Pooled over several units (PooledSample): the units that took part, those of them
	// that met their own minimum, and those left out for want of a population. Reports say
	// with them why a pooled sample is not met, or what it leaves out.
	Units, UnitsMet, UnitsWithoutPopulation int `json:"-"`
}

// NewPeriodSample returns the sample check of respondents against population
// over a period of days (see PeriodSampleSize).
func NewPeriodSample(population, respondents int64, days int) Sample {
	req := PeriodSampleSize(population, days)
	return Sample{Population: population, Required: req, Met: respondents >= req}
}

// NewSample returns the sample check of respondents against population.
func NewSample(population, respondents int64) Sample {
	req := SampleSize(population)
	return Sample{Population: population, Required: req, Met: respondents >= req}
}

// A UnitSample is one unit's part of a pooled sample check.
type UnitSample struct {
	Population, Respondents int64
	Retired                 bool
}

// PooledSample is the sample check of several units pooled over a period of days. The
// minimum is per unit (Krejcie–Morgan is not additive), so the pooled minimum is the sum of
// the units' own, and it is met only when every unit meets its own. Units without a
// population, and retired units without respondents, take no part. It is nil when no unit
// takes part.
func PooledSample(units []UnitSample, days int) *Sample {
	var pooled *Sample
	without := 0
	for _, u := range units {
		if u.Retired && u.Respondents == 0 {
			continue
		}
		if u.Population <= 0 {
			without++
			continue
		}
		s := NewPeriodSample(u.Population, u.Respondents, days)
		if pooled == nil {
			pooled = &Sample{Met: true}
		}
		pooled.Population += s.Population
		pooled.Required += s.Required
		pooled.Met = pooled.Met && s.Met
		pooled.Units++
		if s.Met {
			pooled.UnitsMet++
		}
	}
	if pooled != nil {
		pooled.UnitsWithoutPopulation = without
	}
	return pooled
}
