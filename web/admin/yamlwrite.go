package admin

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// encodeYAML writes doc with two-space indents, every text as readable as YAML allows:
// multi-line texts as literal blocks (|), and every character as it is.
//
// go.yaml.in/yaml/v3 takes any character past U+FFFF (an emoji) for unprintable: it writes
// a text holding one double-quoted, with \U0001F44B escapes, and its lines joined with \n,
// even a text read as a literal block. So such characters are swapped, while doc is
// encoded, for private-use characters that doc does not hold, and swapped back in the text
// written. doc is changed in the process: it is the caller's copy to throw away.
func encodeYAML(doc *yaml.Node) ([]byte, error) {
	swap, back := astralSwaps(doc)
	if swap != nil {
		eachScalar(doc, func(n *yaml.Node) { n.Value = swap.Replace(n.Value) })
	}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if back == nil {
		return []byte(b.String()), nil
	}
	return []byte(back.Replace(b.String())), nil
}

// privateUse is the range of stand-ins: characters the encoder writes as they are
// (U+E000–U+EFFF, unlike some of U+F000–U+FFFF), which no one types in a survey.
const privateUseFirst, privateUseLast = 0xE000, 0xEFFF

// astralSwaps returns replacers from each character past U+FFFF in doc's texts to a
// private-use character doc does not hold, and back; nil, nil when there is none. A
// character left without a stand-in (past 4,096 of them) is escaped, which is still YAML.
func astralSwaps(doc *yaml.Node) (swap, back *strings.Replacer) {
	used, astral := map[rune]bool{}, []rune{}
	note := func(s string) {
		for _, c := range s {
			if c > 0xFFFF && !used[c] {
				astral = append(astral, c)
			}
			used[c] = true
		}
	}
	eachNode(doc, func(n *yaml.Node) { note(n.Value + n.HeadComment + n.LineComment + n.FootComment) })
	if len(astral) == 0 {
		return nil, nil
	}
	var to, from []string
	stand := rune(privateUseFirst)
	for _, c := range astral {
		for stand <= privateUseLast && used[stand] {
			stand++
		}
		if stand > privateUseLast {
			break
		}
		to, from = append(to, string(c), string(stand)), append(from, string(stand), string(c))
		stand++
	}
	return strings.NewReplacer(to...), strings.NewReplacer(from...)
}

func eachNode(n *yaml.Node, do func(*yaml.Node)) {
	do(n)
	for _, c := range n.Content {
		eachNode(c, do)
	}
}

func eachScalar(n *yaml.Node, do func(*yaml.Node)) {
	eachNode(n, func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			do(n)
		}
	})
}
