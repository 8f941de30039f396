"""Helpers that tests and benchmarks share: throwaway servers and the like."""
