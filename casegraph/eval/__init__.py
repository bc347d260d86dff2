"""casegraph.eval."""
