"""The speed and retrieval-quality benchmark behind ``make bench`` (see bench/run.py)."""
