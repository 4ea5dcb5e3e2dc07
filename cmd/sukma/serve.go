package main

import (
	"context"
	"fmt"
)

func runServe(_ context.Context, _ []string, io stdio) int {
	fmt.Fprintln(io.err, "sukma serve: not built yet")
	return 1
}
