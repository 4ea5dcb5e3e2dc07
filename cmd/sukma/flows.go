package main

import (
	"context"
	"fmt"
)

// runFlows is replaced by the flows issue (#3).
func runFlows(_ context.Context, _ []string, io stdio) int {
	fmt.Fprintln(io.err, "sukma flows: not built yet")
	return 1
}
