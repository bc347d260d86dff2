"""casegraph.core."""
