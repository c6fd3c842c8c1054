"""The application: batch ingest and the command line, on top of every other layer."""
