"""Entity candidates: each source module finds names its own way and tags them with its extractor name."""
