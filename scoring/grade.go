package scoring

// Bands selects the grade bands that map an IKM to a mutu and kinerja.
type Bands int

const (
	// Bands2017 are the bands of PermenPANRB 14/2017, in force today:
	// A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D. It is the zero value.
	Bands2017 Bands = iota
	// Bands2004 are the historical bands of KEPMENPAN 25/2004 and
	// PermenPANRB 16/2014, for old data: A ≥ 81.26, B ≥ 62.51, C ≥ 43.76,
	// else D.
	Bands2004
)

// A Grade is the mutu pelayanan (A–D) and kinerja unit pelayanan of an IKM.
type Grade struct {
	Mutu    string `json:"mutu"`    // "A", "B", "C" or "D"
	Kinerja string `json:"kinerja"` // "Sangat Baik", "Baik", "Kurang Baik" or "Tidak Baik"
}

var grades = [4]Grade{
	{"A", "Sangat Baik"},
	{"B", "Baik"},
	{"C", "Kurang Baik"},
	{"D", "Tidak Baik"},
}

// lower bounds of A, B and C for each Bands value.
var bandFloors = map[Bands][3]Hundredths{
	Bands2017: {8831, 7661, 6500},
	Bands2004: {8126, 6251, 4376},
}

// GradeOf grades an IKM already rounded to two decimals, comparing with ≥
// against the lower bound of each band, as the regulation's table reads.
// Anything below the C band, including values below 25.00 that no valid tally
// produces, is D. An unknown Bands value is treated as Bands2017.
func GradeOf(ikm Hundredths, b Bands) Grade {
	floors, ok := bandFloors[b]
	if !ok {
		floors = bandFloors[Bands2017]
	}
	for i, f := range floors {
		if ikm >= f {
			return grades[i]
		}
	}
	return grades[3]
}
