"""tracker: a quote and claim attribution tracker for fact-checkers."""

__version__ = "0.1.0"
