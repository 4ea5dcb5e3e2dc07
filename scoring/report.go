package scoring

// A Report is the JSON shape of an IKM, the contract of `sukma score --json`
// and of GET /api/v1/ikm (which embeds it and adds unit and period):
//
//	{"respondents":N,"unsur":[{"code":"U1","name":"…","sum":S,"n":N,"nrr":3.62},…],
//	 "ikm":91.48,"mutu":"A","kinerja":"Sangat Baik","sample":{…}}
//
// All nine elements are listed; an element nobody answered has "nrr":null.
// When no element has any answer, "ikm" is null and mutu and kinerja are
// omitted. "sample" is present only when Sample is set. "unsur_dihitung" is
// the number of elements the IKM was computed from when it is fewer than the
// regulation's nine (a flow without an element, or one nobody answered): such
// an IKM is not the regulation's, and whoever shows it must say so.
type Report struct {
	Respondents int64         `json:"respondents"`
	Unsur       []UnsurReport `json:"unsur"`
	IKM         *Hundredths   `json:"ikm"`
	Mutu        string        `json:"mutu,omitempty"`
	Kinerja     string        `json:"kinerja,omitempty"`
	Counted     int           `json:"unsur_dihitung,omitempty"`
	Sample      *Sample       `json:"sample,omitempty"`
}

// An UnsurReport is one element of a Report.
type UnsurReport struct {
	Code string      `json:"code"`
	Name string      `json:"name"`
	Sum  int64       `json:"sum"`
	N    int64       `json:"n"`
	NRR  *Hundredths `json:"nrr"` // nil when N = 0
}

// NewReport returns the Report of r, without a sample.
func NewReport(r Result) Report {
	rep := Report{Respondents: r.Respondents, Unsur: make([]UnsurReport, len(r.Elements))}
	for i, e := range r.Elements {
		u := UnsurReport{Code: e.Code, Name: e.Name, Sum: e.Sum, N: e.N}
		if e.Answered {
			nrr := e.NRR
			u.NRR = &nrr
		}
		rep.Unsur[i] = u
	}
	if r.Answered {
		ikm := r.IKM
		rep.IKM = &ikm
		rep.Mutu, rep.Kinerja = r.Grade.Mutu, r.Grade.Kinerja
		if r.K < len(Elements) {
			rep.Counted = r.K
		}
	}
	return rep
}
