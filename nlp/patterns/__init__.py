"""Pattern files for the entity ruler (data only; see nlp/ruler.py)."""
