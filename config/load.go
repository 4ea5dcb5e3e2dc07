package config

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"sukma/flows"
)

// Load builds the Config: defaults, then the YAML file at path (if path is not empty), then
// the environment as given by lookupEnv (os.LookupEnv in production). It does not validate.
// Its error has every problem of the file and of the environment, one per line; a value that
// could not be read is left as it was, so that the Config can still be validated.
func Load(path string, lookupEnv func(string) (string, bool)) (Config, error) {
	c := Default()
	var errs []error
	if path != "" {
		if src, err := os.ReadFile(path); err != nil {
			errs = append(errs, fmt.Errorf("berkas pengaturan %s: %s", path, fileProblem(err)))
		} else {
			errs = append(errs, c.loadYAML(path, src))
		}
	}
	errs = append(errs, c.loadEnv(lookupEnv))
	return c, errors.Join(errs...)
}

// loadYAML reads a flat mapping of setting keys. Unknown keys and non-scalar values are
// errors at FILE:LINE:COL, all of them at once.
func (c *Config) loadYAML(path string, src []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return flows.YAMLSyntaxError(path, src, err) // FILE:LINE:COL, as a flow's, with its advice
	}
	if len(doc.Content) == 0 || len(bytes.TrimSpace(src)) == 0 {
		return nil // an empty file sets nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d:%d: berkas pengaturan harus berisi pasangan kunci: nilai", path, root.Line, root.Column)
	}
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		s, ok := c.lookup(k.Value)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s:%d:%d: pengaturan %q tidak dikenal (lihat sukma.example.yaml)", path, k.Line, k.Column, k.Value))
		case seen[k.Value]:
			errs = append(errs, fmt.Errorf("%s:%d:%d: %s ditulis dua kali", path, k.Line, k.Column, k.Value))
		case v.Kind != yaml.ScalarNode:
			errs = append(errs, fmt.Errorf("%s:%d:%d: %s harus satu nilai", path, v.Line, v.Column, k.Value))
		case v.ShortTag() == "!!null":
			// key: ~, key: null or key: with nothing is the key left out: the default.
		case s.ifEmpty != "" && strings.TrimSpace(v.Value) == "":
			errs = append(errs, fmt.Errorf("%s:%d:%d: %s: %s", path, v.Line, v.Column, k.Value, fmt.Sprintf(s.ifEmpty, "kunci ini")))
		default:
			if err := s.set(v.Value); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d:%d: %s: %v", path, v.Line, v.Column, k.Value, err))
			}
		}
		seen[k.Value] = true
	}
	return errors.Join(errs...)
}

// loadEnv applies SUKMA_<KEY> and, for secrets, SUKMA_<KEY>_FILE (the file's content, trimmed).
// Setting both is an error: which one wins would be a guess. An empty variable is left out,
// as if unset (SUKMA_TELEGRAM_TOKEN= turns Telegram off), except for a setting with ifEmpty:
// there a variable set to nothing, or a file with nothing in it, is an error.
func (c *Config) loadEnv(lookupEnv func(string) (string, bool)) error {
	var errs []error
	for _, s := range c.settings() {
		val, set := lookupEnv(s.env())
		file, fileSet := "", false
		if s.secret {
			file, fileSet = lookupEnv(s.env() + "_FILE")
		}
		if s.ifEmpty == "" {
			set, fileSet = val != "", file != ""
		}
		switch {
		case set && fileSet:
			errs = append(errs, fmt.Errorf("%s dan %s_FILE (%s) sama-sama diisi: pakai salah satu", s.env(), s.env(), s.key))
			continue
		case fileSet && s.ifEmpty != "" && strings.TrimSpace(file) == "":
			errs = append(errs, fmt.Errorf("%s_FILE (%s): %s", s.env(), s.key, fmt.Sprintf(s.ifEmpty, "variabel ini")))
			continue
		case fileSet:
			b, err := os.ReadFile(file)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE (%s): %s: %s", s.env(), s.key, file, fileProblem(err)))
				continue
			}
			// A byte-order mark is what Windows Notepad begins a UTF-8 file with: no part of a secret.
			val = strings.TrimSpace(strings.TrimPrefix(string(b), "\ufeff"))
			if val == "" && s.ifEmpty != "" {
				errs = append(errs, fmt.Errorf("%s_FILE (%s): berkas %s %s", s.env(), s.key, file, fmt.Sprintf(s.ifEmpty, "variabel "+s.env()+"_FILE")))
				continue
			}
		case !set:
			continue
		case s.ifEmpty != "" && strings.TrimSpace(val) == "":
			errs = append(errs, fmt.Errorf("%s: %s", s.name(), fmt.Sprintf(s.ifEmpty, "variabel ini")))
			continue
		}
		if err := s.set(val); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", s.name(), err))
		}
	}
	return errors.Join(errs...)
}

// UnknownEnv returns the SUKMA_* variables of environ ("KEY=value" entries) that name no
// setting: a misspelt one (SUKMA_PUBLICURL) is otherwise ignored without a word. Variables
// of the tests and the load tool (SUKMA_TEST_*, SUKMA_REQUIRE_*, SUKMA_LOADTEST_*) are not
// settings and are not reported.
func UnknownEnv(environ []string) []string {
	known := map[string]bool{"SUKMA_CONFIG": true}
	var c Config
	for _, s := range c.settings() {
		known[s.env()] = true
		if s.secret {
			known[s.env()+"_FILE"] = true
		}
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "SUKMA_") || known[name] {
			continue
		}
		if strings.HasPrefix(name, "SUKMA_TEST_") || strings.HasPrefix(name, "SUKMA_REQUIRE_") ||
			strings.HasPrefix(name, "SUKMA_LOADTEST_") || name == "SUKMA_CHART_DIR" {
			continue
		}
		unknown = append(unknown, name)
	}
	return unknown
}

// fileProblem says in Indonesian why a file could not be read.
func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "berkas tidak ditemukan"
	case errors.Is(err, fs.ErrPermission):
		return "berkas tidak boleh dibaca (izin akses)"
	}
	return "berkas tidak dapat dibaca: " + err.Error()
}
