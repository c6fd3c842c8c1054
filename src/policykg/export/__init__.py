"""The graph written out: RDF (Turtle, JSON-LD), GraphML and CSV."""
