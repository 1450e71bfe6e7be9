"""Benchmarks: ``python -m bench`` (see the README's "Benchmarks" section)."""
