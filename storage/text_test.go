package storage_test

import (
	"strings"
	"testing"

	"sukma/storage"
)

func TestANameShowsAsItIsWritten(t *testing.T) {
	for _, c := range []struct {
		name, in, want string
		problem        storage.NameProblem
	}{
		{"a plain name is kept", "Samsat Surabaya", "Samsat Surabaya", storage.NameOK},
		{"spaces at the ends go", "  Samsat \t", "Samsat", storage.NameOK},
		{"invisible characters at the ends go", "\u200b\ufeffSamsat\u200d\u00ad", "Samsat", storage.NameOK},
		{"an invisible character inside stays", "Sam\u200dsat", "Sam\u200dsat", storage.NameOK},
		{"a name of only invisible characters is empty", "\u200b \u200c\u2060", "", storage.NameEmpty},
		{"the reviewer's name: an override and zero-width spaces", "\u202e\u200b\u200b", "", storage.NameDirection},
		{"an override inside", "Samsat \u202eayabaruS", "Samsat \u202eayabaruS", storage.NameDirection},
		{"an isolate at the end", "Samsat\u2067", "Samsat", storage.NameDirection},
		{"an embedding", "\u202aSamsat", "Samsat", storage.NameDirection},
		{"a pop", "Samsat\u202c Surabaya", "Samsat\u202c Surabaya", storage.NameDirection},
		{"a right-to-left mark is no override", "\u200fSamsat", "Samsat", storage.NameOK},
		{"Arabic script is a name", "مكتب", "مكتب", storage.NameOK},
		{"200 characters", strings.Repeat("é", 200), strings.Repeat("é", 200), storage.NameOK},
		{"201 characters", strings.Repeat("é", 201), strings.Repeat("é", 201), storage.NameTooLong},
		{"201 characters with the ends trimmed to 200", "\u200b" + strings.Repeat("é", 200) + " ", strings.Repeat("é", 200), storage.NameOK},
	} {
		got, problem := storage.CheckName(c.in)
		if got != c.want || problem != c.problem {
			t.Errorf("%s: CheckName(%+q) = %+q, %d; want %+q, %d", c.name, c.in, got, problem, c.want, c.problem)
		}
	}
}
