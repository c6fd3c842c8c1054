"""policykg: Chinese municipal S&T policy documents to a knowledge graph."""

from pathlib import Path

__version__ = "0.1.0"

SAMPLES_DIR = Path(__file__).parent / "samples"  # the five public sample plans, shipped with the package
