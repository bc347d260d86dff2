"""The project's NER corpus: train.jsonl, test.jsonl (held out), rehearsal.txt; see generate.py."""
