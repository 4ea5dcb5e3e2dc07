package flows

import (
	_ "embed"
	"slices"
)

// BuiltinID is the id of the built-in SKM flow.
const BuiltinID = "skm"

//go:embed builtin/skm.yaml
var builtinSource []byte

// Builtin returns a fresh copy of the built-in SKM flow (PermenPANRB 14/2017), parsed from
// the embedded flows/builtin/skm.yaml; callers may modify it freely. It panics only if the
// embedded file is invalid, which the package's tests rule out.
func Builtin() *Flow {
	f, err := Parse("builtin/skm.yaml", builtinSource)
	if err != nil {
		panic("flows: the built-in flow is invalid:\n" + err.Error())
	}
	return f
}

// BuiltinSource returns a copy of the YAML of the built-in flow, comments and all.
func BuiltinSource() []byte {
	return slices.Clone(builtinSource)
}
