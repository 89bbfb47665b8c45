"""Citations in entries: which passages each page cites, and the source pages' data."""
