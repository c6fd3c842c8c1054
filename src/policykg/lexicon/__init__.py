"""Word lists and official lists that extraction reads: places, names, suffixes, cues (data/*.tsv)."""
