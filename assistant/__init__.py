"""imnm: a retrieval-grounded clinical assistant that answers only from its indexed sources."""

__version__ = "0.1.0"
