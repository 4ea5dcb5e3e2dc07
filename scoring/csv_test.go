package scoring

import (
	"errors"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

// The four respondents of testdata/responden*.csv; Budi left U8 empty.
var fixtureTally = Tally{
	Respondents: 4,
	Sum:         [9]int64{14, 13, 11, 16, 13, 14, 15, 8, 14},
	N:           [9]int64{4, 4, 4, 4, 4, 4, 4, 3, 4},
}

func TestReadCSVFixtures(t *testing.T) {
	tests := []struct{ name, file string }{
		{"a comma file with codes, extra columns, a multi-line cell and a blank line is read", "testdata/responden.csv"},
		{"an Excel file with a BOM, semicolons, CRLF, element names and U9 before U8 is read", "testdata/responden_excel.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := os.Open(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ReadCSV(f)
			if err != nil {
				t.Fatal(err)
			}
			if got != fixtureTally {
				t.Errorf("got  %+v\nwant %+v", got, fixtureTally)
			}
		})
	}
}

const codes = "U1,U2,U3,U4,U5,U6,U7,U8,U9"

func TestReadCSVHeaders(t *testing.T) {
	tests := []struct{ name, header string }{
		{"lower-case codes are recognised", "u1,u2,u3,u4,u5,u6,u7,u8,u9"},
		{"codes with spaces are recognised", " U 1 ,U2 ,U3,U4,U5,U6,U7,U8,U9"},
		{"code and name together are recognised", `U1 Persyaratan,"U2. Sistem, Mekanisme, dan Prosedur",U3 - Waktu Penyelesaian,Biaya/Tarif (U4),U5,U6,U7,U8,U9`},
		{"names in capitals without punctuation are recognised", "PERSYARATAN,SISTEM MEKANISME DAN PROSEDUR,waktu penyelesaian,Biaya Tarif,Produk Spesifikasi Jenis Pelayanan,Kompetensi Pelaksana,Perilaku Pelaksana,Penanganan Pengaduan Saran dan Masukan,Sarana dan Prasarana"},
		{"tab-separated columns are recognised", strings.ReplaceAll(codes, ",", "\t")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			row := "4,4,4,4,4,4,4,4,4"
			if strings.Contains(tt.header, "\t") {
				row = strings.ReplaceAll(row, ",", "\t")
			}
			got, err := ReadCSV(strings.NewReader(tt.header + "\n" + row + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			if got != everyone(1, 4) {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestReadCSVRows(t *testing.T) {
	tests := []struct {
		name, data string
		want       Tally
	}{
		{"a header alone is an empty tally", codes + "\n", Tally{}},
		{"a row with no element answered is not a respondent", "Nama," + codes + "\nAni,,,,,,,,,\n", Tally{}},
		{"a row of empty cells is skipped", codes + "\n,,,,,,,,\n4,4,4,4,4,4,4,4,4\n", everyone(1, 4)},
		{"spaces around a value are ignored", codes + "\n 4 ,4,4,4,4,4,4,4, 4\n", everyone(1, 4)},
		{"a file without a final newline is read", codes + "\n1,1,1,1,1,1,1,1,1", everyone(1, 1)},
		{"an empty cell is not answered", codes + "\n4,,4,4,4,4,4,4,4\n", Tally{
			Respondents: 1, Sum: [9]int64{4, 0, 4, 4, 4, 4, 4, 4, 4}, N: [9]int64{1, 0, 1, 1, 1, 1, 1, 1, 1},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestReadCSVErrors(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"an empty file", "", "file kosong: tidak ada baris judul"},
		{"a file of blank lines and a BOM", "\uFEFF\n\n ,\n", "file kosong: tidak ada baris judul"},
		{"a UTF-16 file", "\xFF\xFEU\x001\x00", `berkas berformat UTF-16: simpan ulang sebagai "CSV UTF-8"`},
		{"a value of 5 names its row and column", codes + "\n4,4,4,4,4,4,4,4,4\n4,4,5,4,4,4,4,4,4\n", `baris 3, kolom U3: nilai "5" di luar 1–4`},
		{"a value of 0 is out of range", codes + "\n0,4,4,4,4,4,4,4,4\n", `baris 2, kolom U1: nilai "0" di luar 1–4`},
		{"a word is not a score", codes + "\n4,4,4,4,4,4,4,4,baik\n", `baris 2, kolom U9: nilai "baik" bukan angka 1–4`},
		{"a decimal is not a score", codes + "\n4,4,4,4,4,4,4,3.5,4\n", `baris 2, kolom U8: nilai "3.5" bukan angka 1–4`},
		{"rows are counted as a spreadsheet shows them", codes + ",Saran\n4,4,4,4,4,4,4,4,4,\"dua\nbaris\"\n\n4,4,4,4,4,4,4,4,x,\n", `baris 4, kolom U9: nilai "x" bukan angka 1–4`},
		{"a missing element column is named", "U1,U2,U3,U4,U5,U6,U7,U9\n", "kolom U8 (Penanganan Pengaduan, Saran dan Masukan) tidak ditemukan di baris judul"},
		{"several missing element columns are all named", "U1,U2,U3,U4,U5,U6,U7\n", "kolom U8 (Penanganan Pengaduan, Saran dan Masukan) dan U9 (Sarana dan Prasarana) tidak ditemukan di baris judul"},
		{"a header without any element says what a header needs", "4,4,4,4,4,4,4,4,4\n", "baris judul tidak memuat satu pun kolom unsur: baris pertama harus berisi judul kolom U1…U9 atau nama unsurnya"},
		{"a duplicate element column is named with both spreadsheet columns", "Nama,U1,U2,U3,Waktu Penyelesaian,U4,U5,U6,U7,U8,U9\n", "kolom U3 (Waktu Penyelesaian) muncul dua kali di baris judul: kolom D dan E"},
		{"a row with too few cells", codes + "\n4,4,4\n", "baris 2: ada 3 kolom, padahal baris judul 9 kolom"},
		{"an unclosed quote", codes + "\n4,4,4,4,4,4,4,4,4\n\"4,4,4,4,4,4,4,4,4\n", `format CSV rusak pada baris 3 file: tanda kutip (") tidak ditutup, atau diikuti karakter selain pemisah`},
		{"a bare quote", codes + "\n4,4,4,4,4,4,4,4,4\n4,4\"\",4,4,4,4,4,4,4\n", `format CSV rusak pada baris 3 file: tanda kutip (") di tengah nilai yang tidak diapit tanda kutip`},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is reported", func(t *testing.T) {
			got, err := ReadCSV(strings.NewReader(tt.data))
			if err == nil {
				t.Fatalf("no error; tally %+v", got)
			}
			var ce *CSVError
			if !errors.As(err, &ce) {
				t.Errorf("error %T is not a *CSVError", err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if got != (Tally{}) {
				t.Errorf("partial tally returned: %+v", got)
			}
		})
	}
}

func TestReadCSVReaderError(t *testing.T) {
	t.Run("a failing reader's error is wrapped, not disguised as a CSV problem", func(t *testing.T) {
		boom := errors.New("boom")
		_, err := ReadCSV(iotest.ErrReader(boom))
		if !errors.Is(err, boom) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a reader returning one byte at a time reads the same tally", func(t *testing.T) {
		data, err := os.ReadFile("testdata/responden_excel.csv")
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadCSV(iotest.OneByteReader(strings.NewReader(string(data))))
		if err != nil || got != fixtureTally {
			t.Errorf("got %+v, %v", got, err)
		}
	})
}

func TestColumnLetter(t *testing.T) {
	for j, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA"} {
		if got := columnLetter(j); got != want {
			t.Errorf("columnLetter(%d) = %s, want %s", j, got, want)
		}
	}
}
