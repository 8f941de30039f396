"""Benchmarks of the cocrea engine: run with ``python -m bench.run`` (see bench/README.md)."""
