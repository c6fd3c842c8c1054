"""policykg: Chinese municipal S&T policy documents to a knowledge graph."""

__version__ = "0.1.0"
