"""kg: a curated, evidence-backed knowledge graph of US–Morocco security cooperation."""

__version__ = "0.1.0"
