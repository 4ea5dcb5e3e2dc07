package scoring

// AgeBands are the bands of ten years in which the respondent profile counts ages (usia),
// youngest first: the API's profile and the report's Profil sheet use the same ones. The
// built-in flow asks ages 15–100; AgeUnder15 is for a custom flow that allows younger.
var AgeBands = []string{"15–24", "25–34", "35–44", "45–54", "55–64", "≥65"}

// AgeUnder15 is the band of ages below 15.
const AgeUnder15 = "<15"

// AgeBand returns the band of an age in years.
func AgeBand(age int) string {
	if age < 15 {
		return AgeUnder15
	}
	return AgeBands[min((age-15)/10, len(AgeBands)-1)]
}
