"""Training loop for casegraph's NER: annotation formats, DocBin conversion with rehearsal,
config-driven training, evaluation and Label Studio pre-annotation."""
