package storage

import (
	"strings"
	"testing"
)

func TestEveryDialectHasTheSameQueries(t *testing.T) {
	lite, err := loadQueries(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := loadQueries(Postgres)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) == 0 || len(lite) != len(pg) {
		t.Errorf("sqlite has %d queries, postgres %d", len(lite), len(pg))
	}
	for name := range lite {
		if _, ok := pg[name]; !ok {
			t.Errorf("query %s is missing on postgres", name)
		}
	}
}

func TestQueryFileMistakesAreReported(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"a query defined twice", "-- name: a\nSELECT 1;\n-- name: a\nSELECT 2;\n", "f.sql:3: query \"a\" is defined twice"},
		{"SQL before the first name", "SELECT 1;\n", "f.sql:1: SQL before the first -- name: line"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := parseQueries("f.sql", tt.src, map[string]string{}, false)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}
