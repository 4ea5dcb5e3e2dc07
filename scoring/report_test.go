package scoring

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestReportJSON(t *testing.T) {
	tests := []struct {
		name   string
		tally  Tally
		sample *Sample
		want   string
	}{
		{"a report has every element, the IKM and the grade", fixtureTally, nil,
			`{"respondents":4,"unsur":[` +
				`{"code":"U1","name":"Persyaratan","sum":14,"n":4,"nrr":3.50},` +
				`{"code":"U2","name":"Sistem, Mekanisme, dan Prosedur","sum":13,"n":4,"nrr":3.25},` +
				`{"code":"U3","name":"Waktu Penyelesaian","sum":11,"n":4,"nrr":2.75},` +
				`{"code":"U4","name":"Biaya/Tarif","sum":16,"n":4,"nrr":4.00},` +
				`{"code":"U5","name":"Produk Spesifikasi Jenis Pelayanan","sum":13,"n":4,"nrr":3.25},` +
				`{"code":"U6","name":"Kompetensi Pelaksana","sum":14,"n":4,"nrr":3.50},` +
				`{"code":"U7","name":"Perilaku Pelaksana","sum":15,"n":4,"nrr":3.75},` +
				`{"code":"U8","name":"Penanganan Pengaduan, Saran dan Masukan","sum":8,"n":3,"nrr":2.67},` +
				`{"code":"U9","name":"Sarana dan Prasarana","sum":14,"n":4,"nrr":3.50}],` +
				`"ikm":83.80,"mutu":"B","kinerja":"Baik"}`},
		{"a report with a sample says whether it is met", everyone(278, 4), &Sample{Population: 1000, Required: 278, Met: true},
			`"ikm":100.00,"mutu":"A","kinerja":"Sangat Baik","sample":{"population":1000,"required":278,"met":true}}`},
		{"a report of fewer than nine elements says how many it counted", func() Tally {
			var t Tally
			t.AddResponse([9]int{4, 4, 4, 4, 4, 4, 4, 4, 0})
			return t
		}(), nil, `{"code":"U9","name":"Sarana dan Prasarana","sum":0,"n":0,"nrr":null}],"ikm":100.00,"mutu":"A","kinerja":"Sangat Baik","unsur_dihitung":8}`},
		{"a report without answers has a null IKM, null NRRs and no grade", Tally{}, nil,
			`{"respondents":0,"unsur":[{"code":"U1","name":"Persyaratan","sum":0,"n":0,"nrr":null},`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := NewReport(Compute(tt.tally, Bands2017))
			rep.Sample = tt.sample
			b, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			got := string(b)
			if !strings.Contains(got, tt.want) {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if tt.tally == (Tally{}) && !strings.HasSuffix(got, `"ikm":null}`) {
				t.Errorf("got %s, want a null IKM and nothing after it", got)
			}
		})
	}
}
