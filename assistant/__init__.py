"""imnm: a retrieval-grounded clinical assistant for inflammatory necrotizing myopathy."""

__version__ = "0.1.0"
