package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// dockerIgnore reads a .dockerignore as Docker does (moby/patternmatcher): a pattern is a
// path with *, ? and ** (any number of folders), relative to the context, ! makes an
// exception, the last pattern that matches wins, and a pattern that matches a folder
// leaves out all it holds. It returns whether a path is left out.
func dockerIgnore(t *testing.T, path string) func(string) bool {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	type rule struct {
		re     *regexp.Regexp
		except bool
	}
	var rules []rule
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		except := strings.HasPrefix(line, "!")
		p := filepath.ToSlash(filepath.Clean(strings.TrimPrefix(strings.TrimPrefix(line, "!"), "/")))
		var re strings.Builder
		for i := 0; i < len(p); i++ {
			switch {
			case strings.HasPrefix(p[i:], "**/"):
				re.WriteString("(.*/)?")
				i += 2
			case strings.HasPrefix(p[i:], "**"):
				re.WriteString(".*")
				i++
			case p[i] == '*':
				re.WriteString("[^/]*")
			case p[i] == '?':
				re.WriteString("[^/]")
			default:
				re.WriteString(regexp.QuoteMeta(p[i : i+1]))
			}
		}
		rules = append(rules, rule{regexp.MustCompile("^" + re.String() + "$"), except})
	}
	return func(file string) bool {
		out := false
		for _, r := range rules {
			// The file or a folder above it.
			for p := file; p != "."; p = filepath.ToSlash(filepath.Dir(p)) {
				if r.re.MatchString(p) {
					out = !r.except
					break
				}
			}
		}
		return out
	}
}

func TestTheDockerBuildContextHasTheSourcesAndNoData(t *testing.T) {
	ignored := dockerIgnore(t, "../../.dockerignore")
	for _, file := range []string{
		"data/sukma.db", "data/sukma.db-wal", "data/sukma.db-shm", "cmd/sukma/data/sukma.db",
		"sukma.db", "cadangan/sukma-2026-01-31.db", "sukma.db.bak",
		".git/config", ".ci/run", "sukma", "cmd/sukma/sukma.test", "cpu.out", "bot/mem.prof",
		".vscode/settings.json", ".idea/workspace.xml", "cmd/sukma/.main.go.swp", "README.md~", ".DS_Store",
	} {
		if !ignored(file) {
			t.Errorf("%s would be sent to docker build", file)
		}
	}
	// What the Dockerfile's go build needs: every file of the module but the tests'.
	root := "../.."
	kept := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" || rel == "data" || strings.HasSuffix(rel, "/data") || strings.Contains(rel, "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(rel) {
		case ".go", ".sql", ".yaml", ".html", ".css", ".js", ".svg", ".png", ".mod", ".sum":
			kept++
			if ignored(rel) {
				t.Errorf("%s is needed by the build but left out of its context", rel)
			}
		}
		return nil
	})
	if err != nil || kept < 50 {
		t.Errorf("walked %d source files (%v): not the module", kept, err)
	}
}
