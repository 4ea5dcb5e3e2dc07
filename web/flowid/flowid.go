// Package flowid is what the admin's flow editor and the flow API agree on about a flow's
// id: which ids can name a flow, and where a flow file writes its own, so that a file naming
// another flow is told so at that place, as flows.Parse tells every other problem.
package flowid

import (
	"regexp"

	"go.yaml.in/yaml/v3"

	"sukma/flows"
)

// shape is flows.Parse's rule for a flow's id (idPattern in flows/parse.go, which does not
// export it); TestValidAgreesWithTheParser holds the two together.
var shape = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// Valid reports whether id can be a flow's: whether flows.Parse takes it as the id of a
// flow file. The editor's preview copies ("~skm", storage.PreviewFlowID) are not.
func Valid(id string) bool { return shape.MatchString(id) }

// Position returns the 1-based line and column of the value of the flow file's top-level
// id key, counted as flows.Parse counts them (the YAML library's lines: CR, LF and CR LF
// each end one); 1, 1 when src does not parse or has no id.
func Position(src []byte) (line, col int) {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return 1, 1
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k, v := root.Content[i], root.Content[i+1]; k.Value == "id" && v.Line > 0 {
			return v.Line, max(v.Column, 1)
		}
	}
	return 1, 1
}

// Problem returns the problem msg (in Indonesian; en in English) of the flow file src,
// named file, at its id's value (Position): "FILE:LINE:COL: msg" as flows.Parse's problems.
func Problem(file string, src []byte, msg, en string) *flows.Error {
	line, col := Position(src)
	return &flows.Error{File: file, Line: line, Col: col, Msg: msg, En: en}
}
