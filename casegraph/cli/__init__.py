"""casegraph.cli."""
