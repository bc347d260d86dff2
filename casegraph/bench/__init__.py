"""casegraph.bench."""
