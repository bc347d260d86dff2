"""casegraph.pipeline."""
