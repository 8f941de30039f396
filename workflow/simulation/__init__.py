"""Simulation: a whole process run on a virtual clock through the real services."""
