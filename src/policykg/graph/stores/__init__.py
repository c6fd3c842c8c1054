"""The stores: one protocol (protocol.py), the embedded FalkorDB and Neo4j, and opening one from settings."""
