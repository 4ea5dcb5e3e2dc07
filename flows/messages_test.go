package flows

import (
	"errors"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEveryMessageHasItsEnglish reads the package's source: every message the checker can
// give is a msg literal (errorf takes nothing else), so every msg literal must hold an
// Indonesian and an English text, with the same fmt verbs, and the English must not be the
// Indonesian copied. Every Error is made by newError, which takes both texts from a msg.
func TestEveryMessageHasItsEnglish(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	literals := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := goparser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && slices.Contains([]string{"with", "keyName", "newError"}, fn.Name.Name) {
				continue // they make a msg or an Error of others', checked where those are written
			}
			ast.Inspect(decl, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok {
					return true
				}
				switch typ := lit.Type.(type) {
				case *ast.Ident:
					switch typ.Name {
					case "msg":
						literals++
						checkMsgLiteral(t, fset, lit)
					case "Error":
						t.Errorf("%s: an Error written as a literal: make it with newError, so that it has its English", fset.Position(lit.Pos()))
					case "ErrorList":
						for _, e := range lit.Elts {
							if _, ok := e.(*ast.CompositeLit); ok {
								t.Errorf("%s: an Error written as a literal: make it with newError, so that it has its English", fset.Position(e.Pos()))
							}
						}
					}
				case *ast.MapType: // syntaxHints: map[string]msg{"problem": {"…", "…"}}
					if v, ok := typ.Value.(*ast.Ident); ok && v.Name == "msg" {
						for _, e := range lit.Elts {
							if kv, ok := e.(*ast.KeyValueExpr); ok {
								if m, ok := kv.Value.(*ast.CompositeLit); ok && m.Type == nil {
									literals++
									checkMsgLiteral(t, fset, m)
								}
							}
						}
					}
				}
				return true
			})
		}
	}
	if literals < 100 {
		t.Errorf("found only %d messages: does the test still find them?", literals)
	}
}

// checkMsgLiteral checks one msg{"Indonesian", "English"}; msg{} is no message at all.
func checkMsgLiteral(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit) {
	t.Helper()
	at := fset.Position(lit.Pos())
	if len(lit.Elts) == 0 {
		return
	}
	texts := map[string]string{}
	for i, e := range lit.Elts {
		field := []string{"id", "en"}[min(i, 1)]
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			field, e = kv.Key.(*ast.Ident).Name, kv.Value
		}
		s, ok := constantText(e)
		if !ok {
			t.Errorf("%s: a message text that is not a string literal: write both texts out, so that this test can read them", at)
			return
		}
		texts[field] = s
	}
	id, en := texts["id"], texts["en"]
	switch {
	case len(lit.Elts) != 2 || id == "" || en == "":
		t.Errorf("%s: message %q has no English", at, id)
	case !slices.Equal(verbs(id), verbs(en)):
		t.Errorf("%s: the English of %q puts in %v, the Indonesian %v:\n%s", at, id, verbs(en), verbs(id), en)
	case id == en:
		t.Errorf("%s: the English of %q is the Indonesian", at, id)
	}
}

// constantText is the value of a string literal, or of literals joined with +.
func constantText(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, ok1 := constantText(e.X)
			b, ok2 := constantText(e.Y)
			return a + b, ok1 && ok2
		}
	case *ast.ParenExpr:
		return constantText(e.X)
	}
	return "", false
}

// verbs lists the fmt verbs of a format by the argument each takes ("0s", "1d"), sorted, so
// that a translation may take its arguments in another order with %[n]s.
func verbs(format string) []string {
	var out []string
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		if i < len(format) && format[i] == '[' {
			if end := strings.IndexByte(format[i:], ']'); end > 0 {
				n, _ := strconv.Atoi(format[i+1 : i+end])
				arg, i = n-1, i+end+1
			}
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '.') {
			i++
		}
		if i < len(format) && format[i] != '%' {
			out = append(out, strconv.Itoa(arg)+string(format[i]))
			arg++
		}
	}
	slices.Sort(out)
	return out
}

// indonesianWords are words of the Indonesian messages that no English one has.
var indonesianWords = regexp.MustCompile(`\b(harus|tidak|bukan|untuk|yang|dan|atau|di|dari|pertanyaan|teks|kunci|baris|opsi|alur|unsur|skor|nilai|bahasa|berkas|sintaks)\b`)

// quoted are the parts of a message that come from the file, in quotes: Indonesian may be
// written there.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// TestEveryProblemOfTheFixturesIsInEnglish parses every fixture and syntax case: each
// problem has an English text, at the same position as the Indonesian, all in English but
// for what the file says (a flow written in Indonesian: "Survei Baru").
func TestEveryProblemOfTheFixturesIsInEnglish(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sources := map[string][]byte{}
	for _, name := range files {
		if sources[name], err = os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range syntaxCases {
		sources[c.name] = []byte(c.src)
	}
	sources["a draft that cannot be renumbered"] = []byte("id: t\nversion: !!int \"\\x31\"\ntitle: T\nquestions: [{id: s, kind: text, prompt: Saran}]\n")
	problems := 0
	for name, src := range sources {
		_, err := Parse("a.yaml", src)
		var list ErrorList
		if !errors.As(err, &list) {
			continue
		}
		for _, e := range list {
			problems++
			en := strings.TrimPrefix(e.In("en"), "a.yaml:"+strconv.Itoa(e.Line)+":"+strconv.Itoa(e.Col)+": ")
			switch {
			case en == e.In("en") || en != e.En:
				t.Errorf("%s: %q is not the English at the Indonesian's position %d:%d", name, e.In("en"), e.Line, e.Col)
			case e.En == "" || e.En == e.Msg || strings.Contains(e.En, "%!"):
				t.Errorf("%s: %v has English %q", name, e, e.En)
			case indonesianWords.MatchString(quoted.ReplaceAllString(e.En, "")):
				t.Errorf("%s: Indonesian in the English %q (of %q)", name, e.En, e.Msg)
			}
			if e.In("id") != e.Error() || e.In("") != e.Error() {
				t.Errorf("%s: In(\"id\") = %q, Error() = %q", name, e.In("id"), e.Error())
			}
		}
	}
	if problems < 60 {
		t.Errorf("only %d problems in the fixtures", problems)
	}
}

// A few problems in English as an admin reads them, to see that the parts fit together.
func TestProblemsReadInEnglish(t *testing.T) {
	tests := []struct{ file, want string }{
		{"unknown_keys.yaml", `3:1: unknown key "titel" in the flow (did you mean "title"?) (allowed: id, version, title, languages, expire_after, intro, closing, questions)`},
		{"texts.yaml", `10:7: the Indonesian text (id) of the prompt of question "a" is required`},
		{"kinds.yaml", `16:10: min must be a whole number, not "1.5"`},
		{"header.yaml", `1:5: flow id "Survei Baru" is not valid: use lower-case letters, digits and underscores, starting with a letter (for example: kepuasan_umum)`},
		{"syntax_tab.yaml", `6:1: YAML syntax error: a tab is used for indentation: use spaces`},
	}
	for _, tt := range tests {
		src, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse("f.yaml", src)
		var list ErrorList
		if !errors.As(err, &list) || !slices.Contains(strings.Split(list.In("en"), "\n"), "f.yaml:"+tt.want) {
			t.Errorf("%s: no problem reads %q in:\n%s", tt.file, tt.want, list.In("en"))
		}
	}
	_, err := Parse("f.yaml", []byte("%YAML 1.1\n%YAML 1.1\n---\nid: a\n"))
	if want := "f.yaml:2:1: YAML syntax error: the %YAML directive is written twice: delete this line"; err == nil || err.(ErrorList).In("en") != want {
		t.Errorf("a hint with %%: %v, want %q", err, want)
	}
}
