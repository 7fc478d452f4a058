"""Counterpoint: a static site generator for fact timelines."""

__version__ = "0.1.0"
