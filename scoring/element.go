package scoring

// An Element is one of the nine service elements (unsur) of the survey.
type Element struct {
	Code string // "U1" … "U9"
	Name string // the regulation's name, e.g. "Persyaratan"
}

// Elements lists the nine elements of PermenPANRB 14/2017 in code order.
// Answers are stored by code, never by question position: the regulation's own
// sample questionnaire asks U9 before U8.
var Elements = [9]Element{
	{"U1", "Persyaratan"},
	{"U2", "Sistem, Mekanisme, dan Prosedur"},
	{"U3", "Waktu Penyelesaian"},
	{"U4", "Biaya/Tarif"},
	{"U5", "Produk Spesifikasi Jenis Pelayanan"},
	{"U6", "Kompetensi Pelaksana"},
	{"U7", "Perilaku Pelaksana"},
	{"U8", "Penanganan Pengaduan, Saran dan Masukan"},
	{"U9", "Sarana dan Prasarana"},
}

// ElementIndex returns the position in Elements of the element with the given
// code ("U3" → 2). The code must match exactly; ok is false otherwise.
func ElementIndex(code string) (i int, ok bool) {
	for i, e := range Elements {
		if e.Code == code {
			return i, true
		}
	}
	return 0, false
}
